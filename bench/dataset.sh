#!/usr/bin/env bash
# Builds the benchmark dataset in PostgreSQL database $BENCH_DB (default boardcast_bench) on
# 127.0.0.1:5432 (user postgres, trust): SCALE × (1,000 boards × 5 columns × 200 tasks, 40 per column),
# 20 users who are members of every board, 10 labels per board, 0–3 labels per task, assignees on
# 6 tasks of 7. The app itself makes the schema (its Flyway migration, by starting the jar once) and
# mints the users' development tokens (valid 10 years; the signing key stays in the database, so
# any later server on this database accepts them); the rest is bulk SQL (bench/sql/dataset.sql).
# Writes bench/work/dataset.json = {"db","boards","users":[{"id","handle","token"}]}.
# A database already built at the same scale is kept (REBUILD=1 forces a new one). Not a test.
source "$(dirname "$0")/lib.sh"
BOARDS=$(awk -v s="$SCALE" 'BEGIN {n = int(1000 * s + 0.5); print (n < 1) ? 1 : n}')
OUT=$WORK/dataset.json
PORT=${DATASET_PORT:-$BENCH_PORT_BASE}
trap 'stop_server' EXIT

if [ "${REBUILD:-0}" != 1 ] && [ -s "$OUT" ] && [ "$(jq -r .db "$OUT")" = "$BENCH_DB" ] \
  && [ "$(dataset_boards 2> /dev/null || true)" = "$BOARDS" ]; then
  log "dataset: $BENCH_DB already holds $BOARDS boards (REBUILD=1 to make it again)"
  exit 0
fi
[ -f "$JAR" ] || { log "no jar at $JAR: build it first (./mvnw -B -DskipTests -pl app package)"; exit 1; }

started=$(date +%s)
log "dataset: $BOARDS boards into database $BENCH_DB"
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" -c "CREATE DATABASE $BENCH_DB"

# The schema is the app's own: start it once on the empty database and let Flyway migrate.
SERVER_NAME=dataset SERVER_CPUS=0-$(( $(nproc) - 1 )) start_server "$PORT" BOARDCAST_DEV_TOKEN_TTL=3650d

# The users, with ids derived from their number like every other id of the dataset; /dev/token then
# finds each by handle and signs a token for it.
"${PSQL[@]}" -d "$BENCH_DB" -c "INSERT INTO users (id, issuer, subject, handle, display_name)
  SELECT md5('bench-user-' || u)::uuid, 'boardcast-dev', 'bench-subject-' || u, 'bench' || lpad(u::text, 2, '0'),
         'Bench User ' || u FROM generate_series(1, 20) u"
users='[]'
for u in $(seq 1 20); do
  handle=bench$(printf %02d "$u")
  token=$(curl -sf -X POST "localhost:$PORT/dev/token" -H 'Content-Type: application/json' \
    -d "{\"handle\":\"$handle\"}" | jq -r .token)
  id=$("${PSQL[@]}" -d "$BENCH_DB" -Atc "SELECT id FROM users WHERE handle = '$handle'")
  users=$(jq -c --arg id "$id" --arg handle "$handle" --arg token "$token" '. + [{id: $id, handle: $handle, token: $token}]' <<< "$users")
done
stop_server

"${PSQL[@]}" -d "$BENCH_DB" -v boards="$BOARDS" -f "$BENCH_DIR/sql/dataset.sql"
"${PSQL[@]}" -d "$BENCH_DB" -f "$BENCH_DIR/sql/fractional_keys.sql"
jq -n --arg db "$BENCH_DB" --argjson boards "$BOARDS" --argjson users "$users" \
  '{db: $db, boards: $boards, users: $users}' > "$OUT"
"${PSQL[@]}" -d "$BENCH_DB" -Atc "SELECT 'dataset: ' || (SELECT count(*) FROM boards) || ' boards, '
  || (SELECT count(*) FROM columns) || ' columns, ' || (SELECT count(*) FROM tasks) || ' tasks, '
  || (SELECT count(*) FROM labels) || ' labels, ' || (SELECT count(*) FROM board_members) || ' memberships, '
  || pg_size_pretty(pg_database_size(current_database()))" >&2
log "dataset ready in $(( $(date +%s) - started )) s: $OUT"
