#!/usr/bin/env bash
# Measurement 2 of issue 7, fan-out latency: bench/fanout.mjs (its header says what it does) with the
# run's knobs. CPU plan (lib.sh): both replicas on SUT_CPU; PostgreSQL, Redis and the Node driver
# (subscribers and mutations) on AUX_CPU. PIN=0 pins nothing (e.g. while others use the machine).
# Writes bench/work/results/fanout.json. Not a test.
source "$(dirname "$0")/lib.sh"
if [ "${PIN:-1}" = 1 ]; then
  trap unpin_services EXIT
  pin_services "$AUX_CPU"
  export SERVER_CPUS=${SERVER_CPUS:-$SUT_CPU} DRIVER_CPUS=${DRIVER_CPUS:-$AUX_CPU} SERVICES_CPUS=$AUX_CPU
fi
export BENCH_DB BENCH_PORT_BASE DURATION REPEATS JAR JAVA
# Warm-up at the steady rate: max(DURATION, 120) s, as for the read. C2 on the replicas' one shared
# core was still compiling the delivery path after 60 s: three repeats after a 60 s warm-up measured
# p50 12.2, 8.1 and 5.3 ms with the replicas at 0.94, 0.81 and 0.77 cores (2026-12-01).
export WARMUP=${WARMUP:-$(( DURATION > 120 ? DURATION : 120 ))}
node=$NODE22; [ -x "$node" ] || node=node
"$node" "$BENCH_DIR/fanout.mjs"
