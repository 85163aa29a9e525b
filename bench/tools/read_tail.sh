#!/usr/bin/env bash
# Where the board read's p99 at a fixed rate goes as the JIT finishes: one Boardcast server on
# SUT_CPU (PostgreSQL and the load on AUX_CPU, as in bench/read.sh), a closed-loop warm-up of
# WARMUP s (default 120, the read bench's), then PHASES open-loop phases of 20 s at RATE req/s,
# each printed with its latency and the CPU the JIT compiler threads and the whole process used
# in it. The GC's pauses go to bench/work/read-tail-gc.log. Needs the files of an earlier run of
# bench/read.sh (bench/work/read).   RATE=165 PHASES=5 bench/tools/read_tail.sh   Not a test.
source "$(dirname "$0")/../lib.sh"
DIR=$WORK/read
PORT=$((BENCH_PORT_BASE + 91))
RATE=${RATE:-165}
PHASES=${PHASES:-5}
WARMUP=${WARMUP:-120}
trap 'stop_server; unpin_services' EXIT
pin_services "$AUX_CPU"
SERVER_NAME=read-tail JVM_OPTS="${JVM_OPTS:-} -Xlog:gc:file=$WORK/read-tail-gc.log" start_server "$PORT" "${SERVER_ENV[@]}"
taskset -c "$AUX_CPU" wrk -t1 -c "${CONNECTIONS:-32}" --timeout 10s -d "${WARMUP}s" -s "$BENCH_DIR/driver/graphql.lua" \
  "http://127.0.0.1:$PORT/graphql" -- "$DIR/boardcast.json" "$DIR/ids.txt" "$DIR/tokens.txt" | tail -1 | jq -c '{warmUpRate: .rate}'
for p in $(seq 1 "$PHASES"); do
  j0=$(jit_ticks "$SERVER_PID"); a0=$(proc_ticks "/proc/$SERVER_PID/stat")
  out=$(taskset -c "$AUX_CPU" "$NODE22" "$BENCH_DIR/driver/load.mjs" --url "http://127.0.0.1:$PORT/graphql" --workload read \
    --rate "$RATE" --duration 20 --warmup 2 --template "$DIR/boardcast.json" --ids "$DIR/ids.txt" --tokens "$DIR/tokens.txt")
  j1=$(jit_ticks "$SERVER_PID"); a1=$(proc_ticks "/proc/$SERVER_PID/stat")
  jq -c --argjson p "$p" --argjson jit "$(( (j1 - j0) * 1000 / HZ ))" --argjson cpu "$(( (a1 - a0) * 1000 / HZ ))" \
    '{phase: $p, rate, p50: .latencyMs.p50, p90: .latencyMs.p90, p99: .latencyMs.p99, jitCpuMs: $jit, processCpuMs: $cpu}' <<< "$out"
done
