#!/usr/bin/env bash
# Start-up benchmark: process start -> first successful board query, median of N runs, for
#   (a) the fat jar on JDK 17, (b) the extracted jar with a CDS archive on JDK 17,
#   (c) the extracted jar with an AOT cache on JDK 25 (JEP 483/514).
# Needs a built jar (./mvnw -B -DskipTests package), a PostgreSQL (default: 127.0.0.1:5432,
# user postgres, trust auth) and both JDKs. Writes bench/results/startup.md, and the same figures
# for bench/run.sh's table to bench/work/results/startup.json. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-10}
JAR=app/target/boardcast.jar
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
DB=${BENCH_DB:-boardcast_startup}
PG="psql -h 127.0.0.1 -U postgres -q"
PORT=${STARTUP_PORT:-$(( ${BENCH_PORT_BASE:-19500} + 4 ))}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

$PG -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
export SPRING_R2DBC_URL=r2dbc:postgresql://127.0.0.1:5432/$DB SPRING_R2DBC_USERNAME=postgres SPRING_R2DBC_PASSWORD=
export PORT

# A board to read, created through the API once (the dev token stays valid: its key is in the database).
"$JDK17/bin/java" -jar "$JAR" > "$WORK/setup.log" 2>&1 &
until curl -sf "localhost:$PORT/actuator/health/readiness" > /dev/null; do sleep 0.5; done
TOKEN=$(curl -s -X POST "localhost:$PORT/dev/token" -H 'Content-Type: application/json' -d '{"handle":"bench"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
gql() { curl -s -X POST "localhost:$PORT/graphql" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$1"; }
BOARD=$(gql '{"query":"mutation { createBoard(input:{name:\"Startup\"}) { board { id } } }"}' | sed 's/.*"id":"\([^"]*\)".*/\1/')
COLUMN=$(gql "{\"query\":\"mutation { createColumn(input:{boardId:\\\"$BOARD\\\", name:\\\"Todo\\\"}) { column { id } } }\"}" | sed 's/.*"id":"\([^"]*\)".*/\1/')
for i in $(seq 1 20); do gql "{\"query\":\"mutation { createTask(input:{columnId:\\\"$COLUMN\\\", title:\\\"Task $i\\\"}) { task { id } } }\"}" > /dev/null; done
kill %1; wait %1 2>/dev/null || true
QUERY="{\"query\":\"{ board(id:\\\"$BOARD\\\") { columns { tasks(first:50) { nodes { id number title } } } } }\"}"

# Extracted layout, CDS archive (JDK 17) and AOT cache (JDK 25), each from a training run.
"$JDK17/bin/java" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app17" > /dev/null
"$JDK17/bin/java" -XX:ArchiveClassesAtExit="$WORK/app17/app.jsa" -Dspring.context.exit=onRefresh -jar "$WORK/app17/boardcast.jar" > "$WORK/train17.log" 2>&1
"$JDK25/bin/java" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app25" > /dev/null
"$JDK25/bin/java" -XX:AOTCacheOutput="$WORK/app25/app.aot" -Dspring.context.exit=onRefresh -jar "$WORK/app25/boardcast.jar" > "$WORK/train25.log" 2>&1

now_ms() { date +%s%3N; }
# Prints "<ms to first successful board query> <RSS KiB>"
measure() {
  local start pid rss
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
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  echo "$rss"
  kill $pid; wait $pid 2>/dev/null || true
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

declare -A CMD=(
  [a]="$JDK17/bin/java -jar $JAR"
  [b]="$JDK17/bin/java -XX:SharedArchiveFile=$WORK/app17/app.jsa -jar $WORK/app17/boardcast.jar"
  [c]="$JDK25/bin/java -XX:AOTCache=$WORK/app25/app.aot -jar $WORK/app25/boardcast.jar"
)
declare -A NAME=([a]="fat jar, JDK 17" [b]="extracted + CDS archive, JDK 17" [c]="extracted + AOT cache, JDK 25")
OUT=bench/results/startup.md
mkdir -p bench/results
{
  echo "# Start-up: process start → first successful board query"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, JDK 17: $("$JDK17/bin/java" -version 2>&1 | head -1), JDK 25: $("$JDK25/bin/java" -version 2>&1 | head -1)."
  echo "Median of $RUNS runs each, interleaved; PostgreSQL on the same machine; no Redis. Shared, noisy machine: compare the ratios."
  echo
  echo "| variant | median ms | min ms | max ms | median RSS MB | vs fat jar |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
} > "$OUT.tmp"
for v in a b c; do : > "$WORK/$v.times"; : > "$WORK/$v.rss"; done
for run in $(seq 1 "$RUNS"); do
  for v in a b c; do
    measure ${CMD[$v]} > "$WORK/m"
    read -r ms rss < "$WORK/m"
    echo "$ms" >> "$WORK/$v.times"; echo "$rss" >> "$WORK/$v.rss"
  done
done
base=$(median < "$WORK/a.times")
for v in a b c; do
  med=$(median < "$WORK/$v.times"); rss=$(( $(median < "$WORK/$v.rss") / 1024 ))
  echo "| ${NAME[$v]} | $med | $(sort -n "$WORK/$v.times" | head -1) | $(sort -n "$WORK/$v.times" | tail -1) | $rss | $(awk "BEGIN {printf \"%.2f×\", $med / $base}") |" >> "$OUT.tmp"
done
mv "$OUT.tmp" "$OUT"
cat "$OUT"

# The same figures as rows of bench/run.sh's results table (targets of issue 7, measurement 5).
mkdir -p bench/work/results
for v in a b c; do
  jq -nc --arg name "${NAME[$v]}" --argjson ms "$(median < "$WORK/$v.times")" --argjson base "$base" \
    --argjson rss "$(( $(median < "$WORK/$v.rss") / 1024 ))" --argjson min "$(sort -n "$WORK/$v.times" | head -1)" \
    --argjson max "$(sort -n "$WORK/$v.times" | tail -1)" '{name: $name, ms: $ms, base: $base, rss: $rss, min: $min, max: $max}'
done | jq -s --arg runs "$RUNS" --arg cores "$(nproc)" '
  (min_by(.ms)) as $best
  | {section: "Cold start",
     setup: "Process start → first successful board query (a board of 20 tasks, polled every 20 ms), median of \($runs) runs per variant, interleaved, on all \($cores) cores, PostgreSQL on the same machine, no Redis. RSS of the process right after that first answer. bench/startup.sh; details in bench/results/startup.md.",
     rows: (map({metric: "Start → first board query, \(.name)", value: .ms, unit: "ms",
                reference: {name: "fat jar, JDK 17", value: .base, unit: "ms"}, ratio: ((.ms / .base * 100 | round) / 100),
                target: (if .name == $best.name then "≤ 1500 ms (best variant)" else null end),
                met: (if .name == $best.name then .ms <= 1500 else null end),
                limit: "Spring context start, Flyway validation and the first connections (see startup.md; profile with -Xlog:startuptime or JFR)"})
            + map({metric: "RSS after start, \(.name)", value: .rss, unit: "MB", reference: null, ratio: null,
                target: (if .name == $best.name then "≤ 250 MB (best variant)" else null end),
                met: (if .name == $best.name then .rss <= 250 else null end),
                limit: "heap sized by default ergonomics (¼ of RAM) and class metadata; -Xmx/-XX:MaxRAMPercentage and AOT cache size bound it"})),
     notes: (map("\(.name): min \(.min) ms, max \(.max) ms"))}' > bench/work/results/startup.json
