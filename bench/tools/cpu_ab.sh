#!/usr/bin/env bash
# CPU per request of one or more Boardcast jars, one after the other on the same dataset, for
# comparing builds on a shared (noisy) machine where req/s says little: each jar is started
# fresh, warmed up for WARMUP s (default 60: C2 is still compiling after 20 s when the core is
# shared), then measured for DURATION s with tools/cpu_per_request.sh.
#   WORKLOAD=read|move bench/tools/cpu_ab.sh JAR [JAR...]
# Needs the files of an earlier run of bench/read.sh (read) or bench/write.sh (move) in
# bench/work. Prints one JSON line per jar. JFR=PREFIX records the measured phase of each jar
# (JFR_SETTINGS, default profile) into PREFIX.<jar name>.jfr; JFR distorts this workload (the JIT
# recompiles so much under it that the server ran at a quarter of its speed): ASYNC_PROFILER=path of
# libasyncProfiler.so (Maven Central: tools.profiler:async-profiler, linux-x64 jar) with
# PROFILE_TO=PREFIX writes collapsed stacks to PREFIX.<jar name>.collapsed instead
# (AP_EVENT=cpu samples with perf events, the kernel's frames included; default itimer). ROUNDS=N (N > 1)
# runs the jars side by side and measures them in N alternating phases each (a machine whose speed
# drifts between minutes then slows them alike; sequential runs of the same jar here once differed
# 2.5x), printing each phase and then each jar's median. Not a test.
source "$(dirname "$0")/../lib.sh"
WARMUP=${WARMUP:-60}
WORKLOAD=${WORKLOAD:-read}
ROUNDS=${ROUNDS:-1}
BASE_PORT=$((BENCH_PORT_BASE + 7))
PORT=$BASE_PORT
JARS=("$@")
trap 'stop_server' EXIT
load() { # load SECONDS
  if [ "$WORKLOAD" = read ]; then
    taskset -c "$AUX_CPU" wrk -t1 -c "${CONNECTIONS:-32}" --timeout 10s -d "$1s" -s "$BENCH_DIR/driver/graphql.lua" \
      "http://127.0.0.1:$PORT/graphql" -- "$WORK/read/boardcast.json" "$WORK/read/ids.txt" "$WORK/read/tokens.txt"
  else
    "${PSQL[@]}" -d "$BENCH_DB" -Atc "COPY (SELECT t.board_id, c.ids, t.id, t.column_id FROM tasks t
      JOIN (SELECT board_id, string_agg(id::text, ';' ORDER BY position) AS ids FROM columns GROUP BY board_id) c
      USING (board_id)) TO STDOUT WITH (FORMAT csv)" > "$WORK/write/tasks.csv"
    taskset -c "$AUX_CPU" "$NODE22" "$BENCH_DIR/driver/load.mjs" --url "http://127.0.0.1:$PORT/graphql" --workload move \
      --tasks "$WORK/write/tasks.csv" --tokens "$WORK/write/tokens.txt" --connections 64 --concurrency "${CONNECTIONS:-32}" --duration "$1"
  fi
}
# per thread of the server: tid, name, user+system ticks
threads() {
  local t
  for t in /proc/"$SERVER_PID"/task/*; do
    printf '%s\t%s\t%s\n' "${t##*/}" "$(cat "$t/comm" 2> /dev/null)" "$(proc_ticks "$t/stat" 2> /dev/null)"
  done
}
# One measured phase of the server SERVER_PID on PORT (jar $1, label $2): prints its JSON line.
measure() {
  local jar=$1 label=$2
  sleep 2
  # as tools/cpu_per_request.sh does, with the load function of this script
  threads > "$WORK/cpu-ab.threads.0"
  c0=$(proc_ticks "/proc/$SERVER_PID/stat"); t0=$(date +%s.%N)
  [ -n "${ASYNC_PROFILER:-}" ] && "$JAVA" "$BENCH_DIR/tools/Attach.java" "$SERVER_PID" "$ASYNC_PROFILER" "start,event=${AP_EVENT:-itimer},interval=5ms"
  [ -n "${JFR:-}" ] && jcmd "$SERVER_PID" JFR.start name=ab settings=${JFR_SETTINGS:-profile} > /dev/null
  out=$(load "$DURATION" | tail -1)
  [ -n "${ASYNC_PROFILER:-}" ] && "$JAVA" "$BENCH_DIR/tools/Attach.java" "$SERVER_PID" "$ASYNC_PROFILER" "stop,file=$PROFILE_TO.$label.collapsed,collapsed"
  [ -n "${JFR:-}" ] && jcmd "$SERVER_PID" JFR.stop name=ab filename="$JFR.$label.jfr" > /dev/null
  c1=$(proc_ticks "/proc/$SERVER_PID/stat"); t1=$(date +%s.%N)
  threads > "$WORK/cpu-ab.threads.1"
  requests=$(jq -r '.requests // .sent' <<< "$out")
  # the same CPU by kind of thread: JIT compilers, the GC (Serial GC runs in the VM thread), the rest
  split=$(awk -v r="$requests" -v hz="$HZ" -F'\t' '
    FNR == NR { t0[$1] = $3; next }
    { d = $3 - t0[$1]; k = ($2 ~ /Compiler/) ? "jit" : ($2 ~ /^(VM Thread|GC |G1 |Gang)/) ? "gc" : "app"; u[k] += d }
    END { printf "{\"appMsPerRequest\":%.3f,\"jitMsPerRequest\":%.3f,\"gcMsPerRequest\":%.3f}", u["app"] / hz * 1000 / r, u["jit"] / hz * 1000 / r, u["gc"] / hz * 1000 / r }' \
    "$WORK/cpu-ab.threads.0" "$WORK/cpu-ab.threads.1")
  result=$(awk -v r="$requests" -v c0="$c0" -v c1="$c1" -v hz="$HZ" -v t0="$t0" -v t1="$t1" 'BEGIN {
    cpu = (c1 - c0) / hz; s = t1 - t0
    printf "{\"requests\":%d,\"seconds\":%.2f,\"rate\":%.1f,\"cpuSeconds\":%.2f,\"cpuMsPerRequest\":%.3f,\"cpuPercent\":%.0f}\n",
      r, s, r / s, cpu, (r > 0 ? cpu * 1000 / r : 0), cpu / s * 100 }')
  jq -c --arg jar "$jar" --arg workload "$WORKLOAD" --arg load "$(cut -d ' ' -f 1 /proc/loadavg)" \
    --argjson split "$split" '{jar: $jar, workload: $workload, loadavg: $load} + . + $split' <<< "$result"
}
ENV=("${SERVER_ENV[@]}")
[ "$WORKLOAD" = move ] && ENV+=(SPRING_DATA_REDIS_URL=redis://127.0.0.1:6379)
if [ "$ROUNDS" -le 1 ]; then
  for jar in "$@"; do
    JAR=$jar SERVER_NAME=cpu-ab start_server "$PORT" "${ENV[@]}"
    load "$WARMUP" > /dev/null
    measure "$jar" "$(basename "$jar" .jar)"
    stop_server
  done
  exit 0
fi
# ROUNDS > 1: every jar runs at once (idle but for its own phases, on the same core), each warmed
# up in turn, then measured in alternating phases, so a machine whose speed drifts from one
# minute to the next slows every jar alike; the last line per jar is the median of its rounds
PIDS=()
for i in $(seq 0 $(( $# - 1 ))); do
  jar=${JARS[$i]}
  JAR=$jar SERVER_NAME=cpu-ab-$i start_server $(( PORT + i )) "${ENV[@]}"
  PIDS+=("$SERVER_PID")
done
trap 'for SERVER_PID in "${PIDS[@]}"; do stop_server; done' EXIT
for i in "${!PIDS[@]}"; do
  SERVER_PID=${PIDS[$i]} PORT=$(( BASE_PORT + i )) load "$WARMUP" > /dev/null
done
lines=$(for r in $(seq 1 "$ROUNDS"); do
  order=("${!PIDS[@]}")
  # odd rounds forward, even rounds backward: no jar always measured first
  [ $(( r % 2 )) = 0 ] && order=($(printf '%s\n' "${order[@]}" | tac))
  for i in "${order[@]}"; do
    SERVER_PID=${PIDS[$i]}; PORT=$(( BASE_PORT + i ))
    measure "${JARS[$i]}" "$(basename "${JARS[$i]}" .jar).r$r" | jq -c --argjson round "$r" '. + {round: $round}'
  done
done | tee /dev/stderr)
for jar in "${JARS[@]}"; do
  jq -sc --arg jar "$jar" 'map(select(.jar == $jar)) | (map(.cpuMsPerRequest) | sort) as $c | (map(.rate) | sort)
    as $r | {jar: $jar, rounds: length, medianCpuMsPerRequest: $c[length / 2 | floor], medianRate: $r[length / 2 | floor],
    cpuMsPerRequest: $c}' <<< "$lines"
done
