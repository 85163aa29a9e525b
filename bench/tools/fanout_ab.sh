#!/usr/bin/env bash
# Runs tools/fanout_ab.mjs (CPU per delivered event of two jars, side by side on the same events)
# with the CPU plan of the fan-out benchmark: both servers on SUT_CPU, PostgreSQL, Redis and the
# Node driver on AUX_CPU.   bench/tools/fanout_ab.sh A.jar B.jar   Not a test.
source "$(dirname "$0")/../lib.sh"
trap unpin_services EXIT
pin_services "$AUX_CPU"
export SERVER_CPUS=${SERVER_CPUS:-$SUT_CPU} DRIVER_CPUS=${DRIVER_CPUS:-$AUX_CPU}
export BENCH_DB BENCH_PORT_BASE DURATION JAVA
node=$NODE22; [ -x "$node" ] || node=node
"$node" "$BENCH_DIR/tools/fanout_ab.mjs" "$@"
