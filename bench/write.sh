#!/usr/bin/env bash
# Measurement 4, write path: moveTask with WRITE_CLIENTS (32) concurrent clients on random boards
# against pgbench running the same transaction (bench/pgbench/move_*.sql), in the same run, REPEATS
# times interleaved. Half of the moves go right after another random task of the board (afterId,
# into its column), half to the end of a random column. For each: the maximum (closed loop,
# DURATION s after WARMUP s), then latency at 50% of that maximum (open loop, from each request's
# scheduled start: driver/load.mjs, or pgbench --rate). The server publishes each event on Redis
# after commit, as a deployed replica does (WRITE_REDIS=0: in-process bus).
# CPU: Boardcast's JVM (or the pgbench client) on core SUT_CPU; PostgreSQL, Redis and the driver on
# AUX_CPU. Writes bench/work/results/write.json. Needs the dataset (dataset.sh). Not a test.
source "$(dirname "$0")/lib.sh"
WARMUP=${WARMUP:-$(( DURATION > 120 ? DURATION : 120 ))}
CLIENTS=${WRITE_CLIENTS:-32}
LOAD=${WRITE_LOAD:-0.5}
PORT=$((BENCH_PORT_BASE + 3))
DIR=$WORK/write
rm -rf "$DIR"; mkdir -p "$DIR"
trap 'stop_server; unpin_services' EXIT

BOARDS=$(dataset_boards)
jq -r '.users[].token' "$WORK/dataset.json" > "$DIR/tokens.txt"
REDIS_ENV=()
[ "${WRITE_REDIS:-1}" = 1 ] && REDIS_ENV=(SPRING_DATA_REDIS_URL=redis://127.0.0.1:6379)
# A task as the server logs it in a TASK_MOVED event, for pgbench's INSERT (see move_after.sql).
PAYLOAD=$("${PSQL[@]}" -d "$BENCH_DB" -Atc "SELECT jsonb_build_object('id', id, 'title', title, 'number', number,
  'boardId', board_id, 'dueDate', due_date, 'version', version, 'columnId', column_id, 'labelIds', label_ids,
  'position', position, 'priority', priority, 'createdAt', created_at, 'updatedAt', updated_at,
  'assigneeId', assignee_id, 'completedAt', completed_at, 'createdById', created_by, 'description', description)
  FROM tasks WHERE id = md5('bench-task-1-1')::uuid")

# Where every task is now (the driver tracks its own moves from there).
export_tasks() {
  "${PSQL[@]}" -d "$BENCH_DB" -Atc "COPY (SELECT t.board_id, c.ids, t.id, t.column_id FROM tasks t
    JOIN (SELECT board_id, string_agg(id::text, ';' ORDER BY position) AS ids FROM columns GROUP BY board_id) c
    USING (board_id)) TO STDOUT WITH (FORMAT csv)" > "$DIR/tasks.csv"
}

drive() { # drive <args...>: the move driver on AUX_CPU; prints its JSON
  taskset -c "$AUX_CPU" "$NODE22" "$BENCH_DIR/driver/load.mjs" --url "http://127.0.0.1:$PORT/graphql" --workload move \
    --tasks "$DIR/tasks.csv" --tokens "$DIR/tokens.txt" --connections 64 "$@"
}

measure_boardcast() {
  local r=$1 max rate
  export_tasks
  drive --concurrency "$CLIENTS" --duration "$WARMUP" > /dev/null
  export_tasks
  drive --concurrency "$CLIENTS" --duration "$DURATION" > "$DIR/max-boardcast-$r.json" &
  local driver=$!
  profile_start
  cpu_watch "$DIR/cpu-boardcast-$r.json" "$DURATION" "$SERVER_PID" "$driver"
  wait "$driver"
  profile_stop
  cpu_json "$DIR/cpu-boardcast-$r.json"; local cpu=$CPU_RESULT
  # answered per second: a refusal (503 past the replica's wait bound) is no move
  max=$(jq '.ok / .seconds * 10 | round / 10' "$DIR/max-boardcast-$r.json")
  rate=$(awk -v m="$max" -v l="$LOAD" 'BEGIN {r = m * l; printf "%.0f", (r < 1) ? 1 : r}')
  export_tasks
  drive --rate "$rate" --duration "$DURATION" --warmup 2 > "$DIR/rate-boardcast-$r.json"
  jq -c --argjson r "$r" --argjson cpu "$cpu" --slurpfile max "$DIR/max-boardcast-$r.json" \
    '{system: "boardcast", repeat: $r, max: ($max[0].ok / $max[0].seconds * 10 | round / 10), maxP99: $max[0].latencyMs.p99, maxErrors: $max[0].errors,
      cpu: $cpu, target: .rate, p50: .latencyMs.p50, p90: .latencyMs.p90, p99: .latencyMs.p99, errors: .errors,
      firstErrors: ($max[0].firstErrors + .firstErrors)}' "$DIR/rate-boardcast-$r.json" | tee -a "$DIR/raw.jsonl" >&2
}

measure_pgbench() {
  local r=$1 tps rate
  local args=(-h 127.0.0.1 -U postgres -n -M prepared -c "$CLIENTS" -j 1 -D "boards=$BOARDS" -D "payload=$PAYLOAD"
    -f "$BENCH_DIR/pgbench/move_after.sql@1" -f "$BENCH_DIR/pgbench/move_end.sql@1")
  taskset -c "$SUT_CPU" pgbench "${args[@]}" -T "$(( WARMUP < 10 ? WARMUP : 10 ))" "$BENCH_DB" > /dev/null 2>&1
  taskset -c "$SUT_CPU" pgbench "${args[@]}" -T "$DURATION" "$BENCH_DB" > "$DIR/max-pgbench-$r.txt" 2>&1 &
  local pgbench_pid=$!
  cpu_watch "$DIR/cpu-pgbench-$r.json" "$DURATION" "$pgbench_pid"
  wait "$pgbench_pid" || true
  cpu_json "$DIR/cpu-pgbench-$r.json"; local cpu=$CPU_RESULT
  tps=$(awk '/^tps = / {print $3}' "$DIR/max-pgbench-$r.txt")
  rate=$(awk -v m="${tps:-0}" -v l="$LOAD" 'BEGIN {r = m * l; printf "%.0f", (r < 1) ? 1 : r}')
  mkdir -p "$DIR/pgbench-log-$r"
  (cd "$DIR/pgbench-log-$r" && taskset -c "$SUT_CPU" pgbench "${args[@]}" -T "$DURATION" -R "$rate" -l \
    --log-prefix=tx "$BENCH_DB" > "$DIR/rate-pgbench-$r.txt" 2>&1) || true
  local latency done_tps failed
  latency=$(pgbench_latency_json "$DIR"/pgbench-log-"$r"/tx.*)
  done_tps=$(awk '/^tps = / {print $3}' "$DIR/rate-pgbench-$r.txt")
  failed=$(awk '/number of failed transactions/ {print $5; exit}' "$DIR/max-pgbench-$r.txt")
  jq -nc --argjson r "$r" --argjson cpu "$cpu" --argjson max "${tps:-null}" --argjson target "${done_tps:-null}" \
    --argjson latency "$latency" --argjson failed "${failed:-0}" \
    '{system: "pgbench", repeat: $r, max: $max, maxErrors: $failed, cpu: $cpu, target: $target,
      p50: $latency.p50, p90: $latency.p90, p99: $latency.p99, errors: 0}' | tee -a "$DIR/raw.jsonl" >&2
  rm -rf "$DIR/pgbench-log-$r"
}

pin_services "$AUX_CPU"
for r in $(seq 1 "$REPEATS"); do
  log "write path, repeat $r of $REPEATS: Boardcast"
  SERVER_NAME=write-boardcast-$r start_server "$PORT" "${SERVER_ENV[@]}" "${REDIS_ENV[@]}"
  measure_boardcast "$r"
  stop_server
  log "write path, repeat $r: pgbench"
  measure_pgbench "$r"
done
unpin_services

jq -s --arg duration "$DURATION" --arg warmup "$WARMUP" --arg clients "$CLIENTS" --arg load "$LOAD" \
  --arg sut "$SUT_CPU" --arg aux "$AUX_CPU" --arg boards "$BOARDS" --arg repeats "$REPEATS" --arg jvm "${JVM_OPTS:+, $JVM_OPTS}" --arg jdk "$JDK_NAME" \
  --arg redis "${WRITE_REDIS:-1}" '
  def median: map(select(. != null)) | sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
    else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def r1: if . == null then null else (. * 10 | round) / 10 end;
  def r2: if . == null then null else (. * 100 | round) / 100 end;
  def ratio($a; $b): if $a != null and $b != null and $b != 0 then $a / $b else null end;
  def of($s): map(select(.system == $s));
  def med($s; f): of($s) | map(f) | median;
  def cpu($s): of($s) | map(.cpu) | {server: (map(.sut) | median), database: (map(.db) | median), generator: (map(.gen) | median),
    serverCore: (map(.["cpu" + $sut]) | median), databaseCore: (map(.["cpu" + $aux]) | median)};
  def pct: (($load | tonumber) * 100 | round);
  def perreq($x; $p): if $x.max != null and $x.max > 0 and $p != null then ($p * 10 / $x.max * 100 | round) / 100 else "?" end;
  . as $all
  | {b: {max: med("boardcast"; .max), p50: med("boardcast"; .p50), p99: med("boardcast"; .p99), cpu: cpu("boardcast"),
         errors: (of("boardcast") | map(.errors + .maxErrors) | add), firstErrors: (of("boardcast") | map(.firstErrors) | add)},
     p: {max: med("pgbench"; .max), p50: med("pgbench"; .p50), p99: med("pgbench"; .p99), cpu: cpu("pgbench"),
         errors: (of("pgbench") | map(.maxErrors) | add)}}
  | . as $m
  | {section: "Write path",
   setup: "moveTask on random boards of \($boards): a random task of the board, half of the time right after another random task of the board (afterId, into that task'\''s column), half to the end of a random column; a random member user per request. Maximum: closed loop, \($clients) concurrent clients (pgbench: \($clients) connections), \($warmup) s warm-up then \($duration) s. Latency: open loop at \(pct)% of each one'\''s own maximum for \($duration) s, counted from each request'\''s scheduled start (no coordinated omission). Boardcast publishes each event \(if $redis == "1" then "on Redis" else "on its in-process bus" end) after commit. CPU: Boardcast'\''s JVM or the pgbench client on core \($sut); PostgreSQL, Redis and the Node driver on core \($aux). PostgreSQL as installed (synchronous_commit on, fsync on). Boardcast: the jar on \($jdk) with default flags (on one core the JVM picks SerialGC)\($jvm), rate limit off (BOARDCAST_RATE_LIMIT_ENABLED=false), R2DBC pool of 20. Medians of \($repeats) interleaved repeats, a fresh server each time.",
   rows: [
    {metric: "Boardcast moveTask max throughput, \($clients) clients", value: ($m.b.max | r1), unit: "mutations/s",
     reference: {name: "pgbench, the same transaction", value: ($m.p.max | r1), unit: "tps"},
     ratio: (ratio($m.b.max; $m.p.max) | r2), target: "≥ 0.5×",
     met: (ratio($m.b.max; $m.p.max) as $x | if $x == null then null else $x >= 0.5 end),
     limit: "Boardcast used \($m.b.cpu.server)% of its core (busy \($m.b.cpu.serverCore)%); PostgreSQL \($m.b.cpu.database)% and the driver \($m.b.cpu.generator)% of the other (busy \($m.b.cpu.databaseCore)%); pgbench: PostgreSQL \($m.p.cpu.database)% of its core. CPU per move (ms): Boardcast \(perreq($m.b; $m.b.cpu.server)) + PostgreSQL \(perreq($m.b; $m.b.cpu.database)); pgbench: PostgreSQL \(perreq($m.p; $m.p.cpu.database)). A database core well below 100% with the server'\''s core full means the server limits; both below 100% means waiting (commit fsync, the board lock)"},
    {metric: "Boardcast moveTask p99 at \(pct)% of its max", value: ($m.b.p99 | r2), unit: "ms",
     reference: {name: "pgbench p99 at \(pct)% of its max", value: ($m.p.p99 | r2), unit: "ms"},
     ratio: (ratio($m.b.p99; $m.p.p99) | r2), target: "≤ 20 ms",
     met: (if $m.b.p99 == null then null else $m.b.p99 <= 20 end),
     limit: "the database'\''s own latency for this transaction: at \(pct)% of each one'\''s maximum, pgbench'\''s p50 alone was \($m.p.p50 | r2) ms (commit fsync and the board lock included) against Boardcast'\''s \($m.b.p50 | r2) ms (\(ratio($m.b.p50; $m.p.p50) | r2)×)\(if (ratio($m.b.p50; $m.p.p50) // 99) <= 1.25 then ", so the server adds little to a typical move" else "; the server adds the difference" end). A p99 ≤ 20 ms would need a tail of \(if $m.b.p50 != null and $m.b.p50 > 0 then (20 / $m.b.p50 | r2) else "?" end)× the p50; Boardcast'\''s p99 was \(ratio($m.b.p99; $m.b.p50) | r2)× its p50 and pgbench'\''s \(ratio($m.p.p99; $m.p.p50) | r1)× its own (a single queue at any load has p99 ≈ 6.6× p50 when its service times vary exponentially): at the database'\''s latency here, p99 ≤ 20 ms needs a tail shorter than a queue'\''s"},
    {metric: "Boardcast moveTask p50 at \(pct)% of its max", value: ($m.b.p50 | r2), unit: "ms",
     reference: {name: "pgbench p50 at \(pct)% of its max", value: ($m.p.p50 | r2), unit: "ms"},
     ratio: (ratio($m.b.p50; $m.p.p50) | r2), target: null, met: null}
   ],
   raw: $all,
   notes: [
     "Same transaction: the pgbench scripts (bench/pgbench/move_after.sql, move_end.sql) send the statements Boardcast sends for these moves (captured from its r2dbc QUERY log): BEGIN, the board row lock `UPDATE boards ... RETURNING` (which finds the task'\''s board itself) joined with the membership, one read of the task, the target column, the neighbour and the key next to it (or the last key of the column), the task UPDATE, the event INSERT, COMMIT. The new order key is computed by the same algorithm (FractionalKeys, ported to PL/pgSQL) inside the UPDATE; the event payload is a task JSON of the same shape passed as a parameter. Boardcast also publishes the event after commit; pgbench does not.",
     "Errors (GraphQL errors or non-200 answers) during the measured phases: Boardcast \($m.b.errors), pgbench failed transactions \($m.p.errors)\(if ($m.b.firstErrors | length) > 0 then "; first: " + ($m.b.firstErrors[0:2] | join(" | ")) else "" end)."
   ]}' "$DIR/raw.jsonl" > "$RESULTS/write.json"
log "write path: $(jq -c '[.rows[] | {metric, value, ratio, met}]' "$RESULTS/write.json")"
