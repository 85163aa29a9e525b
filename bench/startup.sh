#!/usr/bin/env bash
# Start-up benchmark: process start -> first successful board query, median of N runs, for
#   (a) the fat jar on JDK 17 (the README's `java -jar`),
#   (b) the extracted jar with a CDS archive on JDK 17 (recorded at context start),
#   (c) the previous image: the extracted jar with an AOT cache on JDK 25 (JEP 483/514)
#       recorded at context start (spring.context.exit=onRefresh), default heap ergonomics,
#   (d) the image: an AOT cache recorded by deploy/aot-training.sh (the Dockerfile's training
#       run: embedded PostgreSQL, in-process bus, a few real requests, so the cache holds the
#       request path and its method profiles), in the image's default Cloud Run container
#       (1 GiB: -XX:MaxRAM=1g, and SerialGC, which is what the JVM picks below 1792 MB),
#   (e) (d) with C1 only (-XX:TieredStopAtLevel=1): start-up only, not for serving (C2 is what
#       makes the steady state fast); it shows how much of the start the JIT takes.
# Every variant serves the same app with the same behaviour, against this machine's PostgreSQL
# and Redis (Redis event bus and rate-limit buckets, as deployed). Then, separately, the image's
# variant on the embedded default (no SPRING_R2DBC_URL, no Redis; data folder initialized
# before, so initdb is not counted).
# Needs a built jar (./mvnw -B -DskipTests package), PostgreSQL (default 127.0.0.1:5432, user
# postgres, trust auth), Redis (REDIS_URL, default redis://127.0.0.1:6379; REDIS_URL= for none)
# and both JDKs. Writes bench/results/startup.md, and the same figures for bench/run.sh's table
# to bench/work/results/startup.json. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-10}
EMBEDDED_RUNS=${EMBEDDED_RUNS:-3}
# starts of the image variant that record where the time goes (the median one is reported)
STEP_RUNS=${STEP_RUNS:-3}
JAR=$ROOT/app/target/boardcast.jar
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
DB=${BENCH_DB:-boardcast_startup}
REDIS_URL=${REDIS_URL-redis://127.0.0.1:6379}
PG="psql -h 127.0.0.1 -U postgres -q"
PORT=${STARTUP_PORT:-$(( ${BENCH_PORT_BASE:-19500} + 4 ))}
# STARTUP_WORK: keep the caches, logs and raw figures there (default: a temporary folder, removed)
WORK=${STARTUP_WORK:-$(mktemp -d)}
mkdir -p "$WORK"
trap 'kill $(jobs -p) 2>/dev/null || true; [ -n "${STARTUP_WORK:-}" ] || rm -rf "$WORK"' EXIT

$PG -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
export PORT
deployed() {
  export SPRING_R2DBC_URL=r2dbc:postgresql://127.0.0.1:5432/$DB SPRING_R2DBC_USERNAME=postgres SPRING_R2DBC_PASSWORD=
  if [ -n "$REDIS_URL" ]; then export SPRING_DATA_REDIS_URL=$REDIS_URL; fi
}
embedded() {
  unset SPRING_R2DBC_URL SPRING_R2DBC_USERNAME SPRING_R2DBC_PASSWORD SPRING_DATA_REDIS_URL
  export BOARDCAST_DATA_DIR=$WORK/embedded-data
}
deployed

# A board of 20 tasks to read, created through the running server (the dev token stays valid:
# its key is in the database). Sets TOKEN and QUERY.
populate() {
  until TOKEN=$(curl -sf -X POST "localhost:$PORT/dev/token" -H 'Content-Type: application/json' -d '{"handle":"bench"}' | sed 's/.*"token":"\([^"]*\)".*/\1/') && [ -n "$TOKEN" ]; do sleep 0.5; done
  gql() { curl -s -X POST "localhost:$PORT/graphql" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$1"; }
  local board column i
  board=$(gql '{"query":"mutation { createBoard(input:{name:\"Startup\"}) { board { id } } }"}' | sed 's/.*"id":"\([^"]*\)".*/\1/')
  column=$(gql "{\"query\":\"mutation { createColumn(input:{boardId:\\\"$board\\\", name:\\\"Todo\\\"}) { column { id } } }\"}" | sed 's/.*"id":"\([^"]*\)".*/\1/')
  for i in $(seq 1 20); do gql "{\"query\":\"mutation { createTask(input:{columnId:\\\"$column\\\", title:\\\"Task $i\\\"}) { task { id } } }\"}" > /dev/null; done
  QUERY="{\"query\":\"{ board(id:\\\"$board\\\") { columns { tasks(first:50) { nodes { id number title } } } } }\"}"
}
"$JDK17/bin/java" -jar "$JAR" > "$WORK/setup.log" 2>&1 &
server=$!
populate
kill $server; wait $server 2>/dev/null || true

# Extracted layouts, the CDS archive (JDK 17) and the AOT caches (JDK 25), each from its training run.
"$JDK17/bin/java" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app17" > /dev/null
"$JDK17/bin/java" -XX:ArchiveClassesAtExit="$WORK/app17/app.jsa" -Dspring.context.exit=onRefresh -jar "$WORK/app17/boardcast.jar" > "$WORK/train17.log" 2>&1
"$JDK25/bin/java" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app25" > /dev/null
"$JDK25/bin/java" -XX:AOTCacheOutput="$WORK/app25/onrefresh.aot" -Dspring.context.exit=onRefresh -jar "$WORK/app25/boardcast.jar" > "$WORK/train25.log" 2>&1
# As the Dockerfile does it: embedded PostgreSQL, no Redis, requests through the dev issuer.
# --enable-native-access as in the image; it must match between training and use.
IMAGE_FLAGS="--enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=70"
(embedded; export BOARDCAST_DATA_DIR=$WORK/training-data
 deploy/aot-training.sh "$JDK25/bin/java" -XX:AOTCacheOutput="$WORK/app25/app.aot" $IMAGE_FLAGS \
   -Djava.io.tmpdir="$WORK/training-data" -jar "$WORK/app25/boardcast.jar" > "$WORK/train25-requests.log" 2>&1) \
  || { tail -20 "$WORK/train25-requests.log"; exit 1; }
# The image's default Cloud Run container has 1 GiB: the JVM sizes its heap from that and picks
# SerialGC (fewer than 1792 MB); this machine has more, so say it.
CONTAINER="-XX:MaxRAM=1g -XX:+UseSerialGC"

now_ms() { date +%s%3N; }
# Prints "<ms to first successful board query> <process CPU ms by then> <RSS KiB>"
measure() {
  local start pid rss cpu
  # the previous server must be gone, or the first answer would be its
  while curl -s -o /dev/null "localhost:$PORT/actuator/health"; do sleep 0.1; done
  start=$(now_ms)
  "$@" > "$WORK/run.log" 2>&1 &
  pid=$!
  until curl -sf -X POST "localhost:$PORT/graphql" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$QUERY" | grep -q '"nodes"'; do
    sleep 0.02
    kill -0 $pid 2>/dev/null || { echo "process died: $(tail -5 "$WORK/run.log")" >&2; return 1; }
  done
  echo -n "$(( $(now_ms) - start )) "
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  echo "$cpu $rss"
  kill $pid; wait $pid 2>/dev/null || true
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

VARIANTS=(a b c d e)
declare -A CMD=(
  [a]="$JDK17/bin/java -jar $JAR"
  [b]="$JDK17/bin/java -XX:SharedArchiveFile=$WORK/app17/app.jsa -jar $WORK/app17/boardcast.jar"
  [c]="$JDK25/bin/java -XX:AOTCache=$WORK/app25/onrefresh.aot -XX:MaxRAMPercentage=70 -jar $WORK/app25/boardcast.jar"
  [d]="$JDK25/bin/java -XX:AOTCache=$WORK/app25/app.aot $IMAGE_FLAGS $CONTAINER -jar $WORK/app25/boardcast.jar"
  [e]="$JDK25/bin/java -XX:AOTCache=$WORK/app25/app.aot $IMAGE_FLAGS $CONTAINER -XX:TieredStopAtLevel=1 -jar $WORK/app25/boardcast.jar"
)
declare -A NAME=(
  [a]="fat jar, JDK 17"
  [b]="extracted + CDS archive, JDK 17"
  [c]="extracted + AOT cache of the context start, JDK 25 (previous image)"
  [d]="extracted + AOT cache trained with requests, JDK 25, 1 GiB container (image)"
  [e]="the image's variant with C1 only (start-up only, not for serving)"
)
for v in "${VARIANTS[@]}"; do : > "$WORK/$v.times"; : > "$WORK/$v.cpu"; : > "$WORK/$v.rss"; done
for run in $(seq 1 "$RUNS"); do
  for v in "${VARIANTS[@]}"; do
    measure ${CMD[$v]} > "$WORK/m"
    read -r ms cpu rss < "$WORK/m"
    echo "$ms" >> "$WORK/$v.times"; echo "$cpu" >> "$WORK/$v.cpu"; echo "$rss" >> "$WORK/$v.rss"
  done
done
# Where the image variant's start goes: one more start (deployed, as measured above) that
# records Spring's start-up steps (-Dboardcast.startup-steps) and serves them at the actuator's
# startup endpoint; bench/tools/startup-steps.mjs splits the time into phases and bean groups.
: > "$WORK/steps.out"
for run in $(seq 1 "$STEP_RUNS"); do
  while curl -s -o /dev/null "localhost:$PORT/actuator/health"; do sleep 0.1; done
  start=$(now_ms)
  MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE=health,startup ${CMD[d]/ -jar / -Dboardcast.startup-steps=10000 -jar } > "$WORK/steps.log" 2>&1 &
  pid=$!
  until curl -sf -X POST "localhost:$PORT/graphql" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$QUERY" | grep -q '"nodes"'; do
    sleep 0.02
    kill -0 $pid 2>/dev/null || { echo "process died: $(tail -5 "$WORK/steps.log")" >&2; exit 1; }
  done
  first=$(now_ms)
  curl -sf "localhost:$PORT/actuator/startup" > "$WORK/steps.json"
  kill $pid; wait $pid 2>/dev/null || true
  node bench/tools/startup-steps.mjs "$WORK/steps.json" "$start" "$first" >> "$WORK/steps.out"
done
# the run whose total is the median
STEPS=$(jq -s 'sort_by(.phases.total) | .[(length - 1) / 2 | floor]' "$WORK/steps.out")

# The embedded default (README "Run"): no database, no Redis configured. A first start
# initializes the data folder (initdb, which only the very first start of an installation pays)
# and creates a board to read there, with a token of that database's development issuer.
embedded
: > "$WORK/emb.times"; : > "$WORK/emb.cpu"; : > "$WORK/emb.rss"
"$JDK25/bin/java" -XX:AOTCache="$WORK/app25/app.aot" $IMAGE_FLAGS $CONTAINER -jar "$WORK/app25/boardcast.jar" > "$WORK/emb-setup.log" 2>&1 &
server=$!
populate
kill $server; wait $server 2>/dev/null || true
for run in $(seq 1 "$EMBEDDED_RUNS"); do
  measure ${CMD[d]} > "$WORK/m"
  read -r ms cpu rss < "$WORK/m"
  echo "$ms" >> "$WORK/emb.times"; echo "$cpu" >> "$WORK/emb.cpu"; echo "$rss" >> "$WORK/emb.rss"
done
VARIANTS+=(emb)
NAME[emb]="the image's variant on the embedded default (embedded PostgreSQL started by the app, no Redis)"

OUT=bench/results/startup.md
mkdir -p bench/results bench/work/results
base=$(median < "$WORK/a.times")
{
  echo "# Start-up: process start → first successful board query"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load average at the end $(cut -d' ' -f1-3 /proc/loadavg), JDK 17: $("$JDK17/bin/java" -version 2>&1 | head -1), JDK 25: $("$JDK25/bin/java" -version 2>&1 | head -1)."
  echo "Median of $RUNS runs each, interleaved (embedded default: $EMBEDDED_RUNS runs); PostgreSQL and Redis on the same machine."
  echo "CPU ms is the process's CPU time (user + system, all threads: JIT and GC included) when the first answer arrived: on a shared, noisy machine it is far steadier than the wall time."
  echo
  echo "| variant | median ms | min ms | max ms | median CPU ms | median RSS MB | vs fat jar |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for v in "${VARIANTS[@]}"; do
    med=$(median < "$WORK/$v.times")
    echo "| ${NAME[$v]} | $med | $(sort -n "$WORK/$v.times" | head -1) | $(sort -n "$WORK/$v.times" | tail -1) | $(median < "$WORK/$v.cpu") | $(( $(median < "$WORK/$v.rss") / 1024 )) | $(awk "BEGIN {printf \"%.2f×\", $med / $base}") |"
  done
  echo
  echo "Where the time goes (the image's variant, $STEP_RUNS more start(s) recording Spring's start-up steps, the median one; bench/tools/startup-steps.mjs): $(jq -r .sentence <<< "$STEPS"). Beans that took longest themselves: $(jq -r '[.slowest[] | "\(.[0]) \(.[1]) ms"] | join(", ")' <<< "$STEPS")."
  echo
  echo "Commands (WORK is a temporary folder):"
  echo
  for v in a b c d e; do echo "- ${NAME[$v]}: \`${CMD[$v]//$WORK/WORK}\`"; done
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cat "$OUT"

# The same figures as rows of bench/run.sh's results table (targets of issue 7, measurement 5).
# The best variant is the best one that serves (e only shows what the JIT costs).
for v in "${VARIANTS[@]}"; do
  jq -nc --arg v "$v" --arg name "${NAME[$v]}" --argjson ms "$(median < "$WORK/$v.times")" --argjson base "$base" \
    --argjson cpu "$(median < "$WORK/$v.cpu")" --argjson rss "$(( $(median < "$WORK/$v.rss") / 1024 ))" \
    --argjson min "$(sort -n "$WORK/$v.times" | head -1)" --argjson max "$(sort -n "$WORK/$v.times" | tail -1)" \
    '{v: $v, name: $name, ms: $ms, cpu: $cpu, base: $base, rss: $rss, min: $min, max: $max}'
done | jq -s --argjson steps "$STEPS" --arg runs "$RUNS" --arg cores "$(nproc)" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" '
  (map(select(.v != "e" and .v != "emb")) | min_by(.ms)) as $best
  | {section: "Cold start",
     setup: "Process start → first successful board query (a board of 20 tasks, polled every 20 ms), median of \($runs) runs per variant, interleaved, on all \($cores) cores (load average \($load): the machine is shared), PostgreSQL and Redis on the same machine. CPU: process CPU time by the first answer. RSS of the process right after that first answer. bench/startup.sh; details and commands in bench/results/startup.md.",
     rows: (map({metric: "Start → first board query, \(.name)", value: .ms, unit: "ms",
                reference: {name: "fat jar, JDK 17", value: .base, unit: "ms"}, ratio: ((.ms / .base * 100 | round) / 100),
                target: (if .name == $best.name then "≤ 1500 ms (best variant)" else null end),
                met: (if .name == $best.name then .ms <= 1500 else null end),
                limit: "the Spring context'"'"'s start on one thread, with the JIT compiler threads competing for the same 2 cores (see the CPU column and variant e); a start that recorded its steps: \($steps.sentence); without the configuration classes and the GraphQL schema \((($steps.phases.total - $steps.phases.configurationClasses - ([$steps.groups[] | select(.[0] | startswith("GraphQL")) | .[1]] | add // 0)) / 10 | round) / 100) s would remain. Spring AOT (build-time bean definitions) would remove the configuration classes'"'"' part but fixes every condition at build time, and Boardcast chooses its database, event bus, token issuer and rate limiting when it starts; a native image or a CRaC checkpoint need a JDK this machine does not have"})
            + map({metric: "CPU to first board query, \(.name)", value: .cpu, unit: "ms", reference: null, ratio: null,
                target: null, met: null, limit: "JIT compilation (C1 + C2) is about half of it with an AOT cache; variant e shows the part C2 takes"})
            + map({metric: "RSS after start, \(.name)", value: .rss, unit: "MB", reference: null, ratio: null,
                target: (if .name == $best.name then "≤ 250 MB (best variant)" else null end),
                met: (if .name == $best.name then .rss <= 250 else null end),
                limit: "heap sized from the memory the JVM sees (¼ of this machine without a container limit, 70% of 1 GiB in the image) and the GC (SerialGC in a 1 GiB container); class metadata and the mapped AOT cache"})),
     notes: (map("\(.name): min \(.min) ms, max \(.max) ms"))}' > bench/work/results/startup.json
