#!/usr/bin/env bash
# Measurement 3 of issue 7, subscription capacity: bench/capacity.mjs (its header says what it does)
# with the run's knobs. Nothing is pinned: the target is a share of the machine's 2 cores, so the
# server may use both (the Node driver holding 10,000 sockets runs next to it, and says so).
# Writes bench/work/results/capacity.json. Not a test.
source "$(dirname "$0")/lib.sh"
unpin_services
export BENCH_DB BENCH_PORT_BASE DURATION REPEATS JAR JAVA
export WARMUP=${WARMUP:-10}
node=$NODE22; [ -x "$node" ] || node=node
"$node" "$BENCH_DIR/capacity.mjs"
