#!/usr/bin/env bash
# Issue 4's benchmark, the hostile flood: bench/flood.mjs (its header says what it does) with the
# run's knobs. CPU plan (lib.sh): the server on SUT_CPU; PostgreSQL, Redis and the Node driver (the
# ordinary reads and the flood) on AUX_CPU, so the flood's own generator does not take the server's
# core. PIN=0 pins nothing. Writes bench/work/results/flood.json. Not a test.
source "$(dirname "$0")/lib.sh"
if [ "${PIN:-1}" = 1 ]; then
  trap unpin_services EXIT
  pin_services "$AUX_CPU"
  export SERVER_CPUS=${SERVER_CPUS:-$SUT_CPU} DRIVER_CPUS=${DRIVER_CPUS:-$AUX_CPU} SERVICES_CPUS=$AUX_CPU
fi
export BENCH_DB BENCH_PORT_BASE DURATION REPEATS JAR JAVA
export WARMUP=${WARMUP:-$(( DURATION > 120 ? DURATION : 120 ))}
node=$NODE22; [ -x "$node" ] || node=node
"$node" "$BENCH_DIR/flood.mjs"
