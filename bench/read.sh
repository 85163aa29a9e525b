#!/usr/bin/env bash
# Measurement 1, board read: Boardcast against pgbench running the same SQL statements, and against
# PostGraphile 5 serving the same database, in the same run, REPEATS times interleaved. For each:
# the maximum rate (closed loop: wrk, or pgbench, READ_CONNECTIONS connections, DURATION s after
# WARMUP s), then latency at 70% of that maximum (open loop: driver/load.mjs, or pgbench --rate,
# from each request's scheduled start). Boards and users are picked at random per request.
# CPU: the system under test on core SUT_CPU, PostgreSQL and the load generator on AUX_CPU.
# Writes bench/work/results/read.json. Needs the dataset (dataset.sh). Not a test.
source "$(dirname "$0")/lib.sh"
# 120 s: after 60 s C2 still took about 15% of the server's one core (async-profiler), which
# decided the p99 at 70% load; every system gets the same warm-up (pgbench's client needs 10 s)
WARMUP=${WARMUP:-$(( DURATION > 120 ? DURATION : 120 ))}
CONNECTIONS=${READ_CONNECTIONS:-32}
DB_CONNECTIONS=${READ_DB_CONNECTIONS:-20}
LOAD=${READ_LOAD:-0.7}
# Before each latency phase, the open-loop driver at the same rate for this long, not measured
LATENCY_WARMUP=${READ_LATENCY_WARMUP:-20}
# and the measured latency phase: at 70% of ~240 req/s, 20 s hold ~3,300 requests, so one stall of
# 0.2 s decides their p99; 60 s (default) weigh a stall a third as much, for every system alike
LATENCY_DURATION=${READ_LATENCY_DURATION:-$(( DURATION > 60 ? DURATION : 60 ))}
PORT=$((BENCH_PORT_BASE + 1))
PGL_PORT=$((BENCH_PORT_BASE + 2))
DIR=$WORK/read
rm -rf "$DIR"; mkdir -p "$DIR"
trap 'stop_server; stop_postgraphile; unpin_services' EXIT

BOARDS=$(dataset_boards)
jq -r '.users[].token' "$WORK/dataset.json" > "$DIR/tokens.txt"
"${PSQL[@]}" -d "$BENCH_DB" -Atc "SELECT md5('bench-board-' || n)::uuid FROM generate_series(1, $BOARDS) n" > "$DIR/ids.txt"
cat > "$DIR/boardcast.json" <<'JSON'
{"query":"query Board($id: ID!) { board(id: $id) { columns { tasks(first: 50) { nodes { id number title priority dueDate assignee { handle } labels { name color } } } } } }","variables":{"id":"%ID%"}}
JSON
cat > "$DIR/postgraphile.json" <<'JSON'
{"query":"query Board($id: UUID!) { viewerBoard(id: $id) { columnsByBoardId(orderBy: POSITION_ASC) { nodes { tasksByColumnId(first: 50, orderBy: POSITION_ASC) { nodes { rowId number title priority dueDate userByAssigneeId { handle } labels { nodes { name color } } } } } } } }","variables":{"id":"%ID%"}}
JSON

# One request, checked: 5 columns of up to 50 tasks each, and no errors.
check() {
  local port=$1 template=$2 id token count
  id=$(head -1 "$DIR/ids.txt"); token=$(head -1 "$DIR/tokens.txt")
  count=$(sed "s/%ID%/$id/" "$template" | curl -s "localhost:$port/graphql" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d @- | jq 'if .errors then 0 else [.. | objects | select(has("number"))] | length end')
  [ "$count" -gt 0 ] || { log "no tasks in the answer of port $port"; return 1; }
  log "check: $count tasks in one board read on port $port"
}

# Closed loop then open loop against an HTTP GraphQL endpoint; appends one JSON line to raw.jsonl.
measure_http() {
  local system=$1 port=$2 template=$3 r=$4 pid=$5 max rate
  taskset -c "$AUX_CPU" wrk -t1 -c "$CONNECTIONS" --timeout 10s -d "${WARMUP}s" -s "$BENCH_DIR/driver/graphql.lua" \
    "http://127.0.0.1:$port/graphql" -- "$template" "$DIR/ids.txt" "$DIR/tokens.txt" > /dev/null
  # wrk drops its connections at the end: let the server finish (or cancel) what was in flight
  sleep 2
  taskset -c "$AUX_CPU" wrk -t1 -c "$CONNECTIONS" --timeout 10s -d "${DURATION}s" -s "$BENCH_DIR/driver/graphql.lua" \
    "http://127.0.0.1:$port/graphql" -- "$template" "$DIR/ids.txt" "$DIR/tokens.txt" > "$DIR/wrk-$system-$r.txt" &
  local wrk_pid=$! max_j0 max_j1
  max_j0=$(jit_ticks "$pid")
  if [ "$system" = boardcast ]; then profile_start; fi
  cpu_watch "$DIR/cpu-$system-$r.json" "$DURATION" "$pid" "$wrk_pid"
  wait "$wrk_pid"
  max_j1=$(jit_ticks "$pid")
  if [ "$system" = boardcast ]; then profile_stop; fi
  tail -1 "$DIR/wrk-$system-$r.txt" > "$DIR/max-$system-$r.json"
  cpu_json "$DIR/cpu-$system-$r.json"; local cpu=$CPU_RESULT
  # answered per second: a refusal (503 past the replica's wait bound, on a slow machine) is no read
  max=$(jq '(.requests - .errors) / .seconds * 10 | round / 10' "$DIR/max-$system-$r.json")
  rate=$(awk -v m="$max" -v l="$LOAD" 'BEGIN {r = m * l; printf "%.0f", (r < 1) ? 1 : r}')
  sleep 2
  local open_loop=("$NODE22" "$BENCH_DIR/driver/load.mjs" --url "http://127.0.0.1:$port/graphql" --workload read
    --rate "$rate" --template "$template" --ids "$DIR/ids.txt" --tokens "$DIR/tokens.txt")
  # The open-loop driver's own warm-up, not measured: its connections and request pattern differ
  # from wrk's, and the server's compiled code for them is not yet there
  taskset -c "$AUX_CPU" "${open_loop[@]}" --duration "$LATENCY_WARMUP" > /dev/null
  # What the server's process and, for the JVM, its JIT compiler threads spent in the measured phase
  local t0 j0 t1 j1
  t0=$(proc_ticks "/proc/$pid/stat"); j0=$(jit_ticks "$pid")
  taskset -c "$AUX_CPU" "${open_loop[@]}" --duration "$LATENCY_DURATION" --warmup 2 > "$DIR/rate-$system-$r.json"
  t1=$(proc_ticks "/proc/$pid/stat"); j1=$(jit_ticks "$pid")
  jq -c --arg system "$system" --argjson r "$r" --argjson cpu "$cpu" --slurpfile max "$DIR/max-$system-$r.json" \
    --argjson procMs "$(( (t1 - t0) * 1000 / HZ ))" --argjson jitMs "$(( (j1 - j0) * 1000 / HZ ))" \
    --argjson seconds "$(( LATENCY_DURATION + 2 ))" --argjson maxJitMs "$(( (max_j1 - max_j0) * 1000 / HZ ))" \
    '{system: $system, repeat: $r, max: (($max[0].requests - $max[0].errors) / $max[0].seconds * 10 | round / 10), maxErrors: $max[0].errors, cpu: $cpu, target: .rate,
      p50: .latencyMs.p50, p90: .latencyMs.p90, p99: .latencyMs.p99, errors: .errors, firstErrors: .firstErrors,
      maxJitCpuMs: $maxJitMs, atRate: {seconds: $seconds, processCpuMs: $procMs, jitCpuMs: $jitMs}}' \
    "$DIR/rate-$system-$r.json" | tee -a "$DIR/raw.jsonl" >&2
}

measure_pgbench() {
  local r=$1 tps rate
  local args=(-h 127.0.0.1 -U postgres -n -M prepared -c "$DB_CONNECTIONS" -j 1 -D "boards=$BOARDS" -f "$BENCH_DIR/pgbench/board_read.sql")
  taskset -c "$SUT_CPU" pgbench "${args[@]}" -T "$(( WARMUP < 10 ? WARMUP : 10 ))" "$BENCH_DB" > /dev/null 2>&1
  taskset -c "$SUT_CPU" pgbench "${args[@]}" -T "$DURATION" "$BENCH_DB" > "$DIR/max-pgbench-$r.txt" 2>&1 &
  local pgbench_pid=$!
  cpu_watch "$DIR/cpu-pgbench-$r.json" "$DURATION" "$pgbench_pid"
  wait "$pgbench_pid"
  cpu_json "$DIR/cpu-pgbench-$r.json"; local cpu=$CPU_RESULT
  tps=$(awk '/^tps = / {print $3}' "$DIR/max-pgbench-$r.txt")
  rate=$(awk -v m="$tps" -v l="$LOAD" 'BEGIN {printf "%.0f", m * l}')
  mkdir -p "$DIR/pgbench-log-$r"
  (cd "$DIR/pgbench-log-$r" && taskset -c "$SUT_CPU" pgbench "${args[@]}" -T "$LATENCY_DURATION" -R "$rate" -l \
    --log-prefix=tx "$BENCH_DB" > "$DIR/rate-pgbench-$r.txt" 2>&1)
  local latency done_tps failed
  latency=$(pgbench_latency_json "$DIR"/pgbench-log-"$r"/tx.*)
  done_tps=$(awk '/^tps = / {print $3}' "$DIR/rate-pgbench-$r.txt")
  failed=$(awk '/number of failed transactions/ {print $5}' "$DIR/max-pgbench-$r.txt")
  jq -nc --argjson r "$r" --argjson cpu "$cpu" --argjson max "$tps" --argjson target "${done_tps:-0}" \
    --argjson latency "$latency" --argjson failed "${failed:-0}" \
    '{system: "pgbench", repeat: $r, max: $max, maxErrors: $failed, cpu: $cpu, target: $target,
      p50: $latency.p50, p90: $latency.p90, p99: $latency.p99, errors: 0}' | tee -a "$DIR/raw.jsonl" >&2
  rm -rf "$DIR/pgbench-log-$r"
}

pin_services "$AUX_CPU"
for r in $(seq 1 "$REPEATS"); do
  log "board read, repeat $r of $REPEATS: Boardcast"
  SERVER_NAME=read-boardcast-$r start_server "$PORT" "${SERVER_ENV[@]}"
  check "$PORT" "$DIR/boardcast.json"
  measure_http boardcast "$PORT" "$DIR/boardcast.json" "$r" "$SERVER_PID"
  stop_server
  log "board read, repeat $r: pgbench"
  measure_pgbench "$r"
  log "board read, repeat $r: PostGraphile"
  start_postgraphile "$PGL_PORT"
  check "$PGL_PORT" "$DIR/postgraphile.json"
  measure_http postgraphile "$PGL_PORT" "$DIR/postgraphile.json" "$r" "$PGL_PID"
  stop_postgraphile
done
unpin_services

# Medians per system, ratios, targets.
jq -s --arg duration "$DURATION" --arg latencyDuration "$LATENCY_DURATION" --arg latencyWarmup "$LATENCY_WARMUP" --arg warmup "$WARMUP" --arg conns "$CONNECTIONS" --arg dbconns "$DB_CONNECTIONS" \
  --arg load "$LOAD" --arg sut "$SUT_CPU" --arg aux "$AUX_CPU" --arg boards "$BOARDS" --arg repeats "$REPEATS" --arg jvm "${JVM_OPTS:+, $JVM_OPTS}" --arg jdk "$JDK_NAME" '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
    else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def r1: if . == null then null else (. * 10 | round) / 10 end;
  def r2: if . == null then null else (. * 100 | round) / 100 end;
  def ratio($a; $b): if $a != null and $b != null and $b != 0 then $a / $b else null end;
  def rr($a; $b): ratio($a; $b) | r2;
  # two decimals, or three where two would round onto the target and hide which side it is on
  def rt($a; $b; $t): ratio($a; $b) as $x | ($x | r2) as $y
    | if $x != null and $y == $t and $x != $t then ($x * 1000 | round) / 1000 else $y end;
  def meets($a; $b; $min): ratio($a; $b) as $x | if $x == null then null else $x >= $min end;
  def of($s): map(select(.system == $s));
  def med($s; f): of($s) | map(f) | median;
  def cpu($s): of($s) | map(.cpu) | {server: (map(.sut) | median), database: (map(.db) | median), generator: (map(.gen) | median),
    serverCore: (map(.["cpu" + $sut]) | median), databaseCore: (map(.["cpu" + $aux]) | median)};
  def busy($s): med($s; .atRate.processCpuMs / .atRate.seconds / 10 | round);
  def jit($s): med($s; .atRate.jitCpuMs);
  . as $all
  | {b: {max: med("boardcast"; .max), p50: med("boardcast"; .p50), p99: med("boardcast"; .p99), cpu: cpu("boardcast"),
         busy: busy("boardcast"), jit: jit("boardcast"), maxJit: med("boardcast"; .maxJitCpuMs), p99s: (of("boardcast") | map(.p99 | r1)),
         errors: (of("boardcast") | map(.errors + .maxErrors) | add)},
     g: {max: med("postgraphile"; .max), p50: med("postgraphile"; .p50), p99: med("postgraphile"; .p99), cpu: cpu("postgraphile"),
         busy: busy("postgraphile"), p99s: (of("postgraphile") | map(.p99 | r1)),
         errors: (of("postgraphile") | map(.errors + .maxErrors) | add)},
     p: {max: med("pgbench"; .max), p50: med("pgbench"; .p50), p99: med("pgbench"; .p99), cpu: cpu("pgbench")}}
  | . as $m
  | def perreq($x; $pct): if $x.max != null and $x.max > 0 and $pct != null then ($pct * 10 / $x.max * 100 | round) / 100 else "?" end;
  def cpums($x): perreq($x; $x.cpu.server);
  # p99 of an M/M/1 queue: ln(100) service times ÷ (1 − utilisation)
  def mm1($x): cpums($x) as $s | if ($s | type) == "number" and $x.busy != null and $x.busy < 100
    then 4.605 * $s / (1 - $x.busy / 100) | round else "?" end;
  def dbms($x): perreq($x; $x.cpu.database);
  def limit($who; $c): "\($who) used \($c.server)% of its core (core busy \($c.serverCore)%), PostgreSQL \($c.database)% and the load generator \($c.generator)% of the other core (busy \($c.databaseCore)%)";
  def blimit: "\(limit("Boardcast"; $m.b.cpu))\(if $m.b.maxJit == null then "" else ", \($m.b.maxJit) ms of the \($duration) s in its JIT compiler threads, still compiling after the \($warmup) s warm-up (median)" end)";
  {section: "Board read",
   setup: "Query `board(id){columns{tasks(first:50){nodes{id number title priority dueDate assignee{handle} labels{name color}}}}}` (variables, a random board of \($boards) and a random one of the 20 member users per request). Maximum: closed loop, wrk with \($conns) connections (pgbench: \($dbconns) connections = the server pool size), \($warmup) s warm-up then \($duration) s. Latency: open loop at \(($load | tonumber) * 100 | round)% of each system'\''s own maximum, \($latencyWarmup) s of it not measured (the open-loop driver'\''s own connections and pattern) then \($latencyDuration) s, counted from each request'\''s scheduled start (no coordinated omission; pgbench --rate likewise). CPU: the system under test (Boardcast JVM, PostGraphile, or the pgbench client) pinned to core \($sut); PostgreSQL, Redis and the load generator pinned to core \($aux). Boardcast: the jar on \($jdk) with default flags (on one core the JVM picks SerialGC)\($jvm), rate limit off (BOARDCAST_RATE_LIMIT_ENABLED=false), R2DBC pool of 20. Medians of \($repeats) interleaved repeats, a fresh server each time.",
   rows: [
    {metric: "Boardcast max throughput", value: ($m.b.max | r1), unit: "req/s",
     reference: {name: "pgbench, the same 5 statements", value: ($m.p.max | r1), unit: "tps"},
     ratio: rt($m.b.max; $m.p.max; 0.45), target: "≥ 0.45×", met: meets($m.b.max; $m.p.max; 0.45),
     limit: "\(blimit); per request Boardcast spent \(cpums($m.b)) ms of CPU and PostgreSQL \(dbms($m.b)) ms, while a pgbench transaction cost PostgreSQL \(dbms($m.p)) ms"},
    {metric: "Boardcast max throughput", value: ($m.b.max | r1), unit: "req/s",
     reference: {name: "PostGraphile 5, equivalent query", value: ($m.g.max | r1), unit: "req/s"},
     ratio: rt($m.b.max; $m.g.max; 1.5), target: "≥ 1.5×", met: meets($m.b.max; $m.g.max; 1.5),
     limit: "\(blimit); \(limit("PostGraphile"; $m.g.cpu)); CPU per request (ms): Boardcast \(cpums($m.b)) + PostgreSQL \(dbms($m.b)), PostGraphile \(cpums($m.g)) + PostgreSQL \(dbms($m.g))"},
    {metric: "Boardcast p50 at \(($load | tonumber) * 100 | round)% of its max", value: ($m.b.p50 | r2), unit: "ms",
     reference: {name: "PostGraphile p50 at \(($load | tonumber) * 100 | round)% of its max", value: ($m.g.p50 | r2), unit: "ms"},
     ratio: rr($m.b.p50; $m.g.p50), target: null, met: null},
    {metric: "Boardcast p99 at \(($load | tonumber) * 100 | round)% of its max", value: ($m.b.p99 | r2), unit: "ms",
     reference: {name: "PostGraphile p99 at \(($load | tonumber) * 100 | round)% of its max", value: ($m.g.p99 | r2), unit: "ms"},
     ratio: rr($m.b.p99; $m.g.p99), target: "≤ 1× (no worse p99)",
     met: (ratio($m.b.p99; $m.g.p99) as $x | if $x == null then null else $x <= 1 end),
     limit: "stalls on the server'\''s one core: in the measured \($latencyDuration) s at \(($load | tonumber) * 100 | round)% of its maximum Boardcast'\''s JVM kept its core \($m.b.busy)% busy, \($m.b.jit) ms of that in the JIT compiler threads, still compiling (medians); PostGraphile'\''s process kept its core \($m.g.busy)% busy. p99 by repeat (ms): Boardcast \($m.b.p99s | map(tostring) | join(", ")), PostGraphile \($m.g.p99s | map(tostring) | join(", ")). The p99 is decided by the worst 1% of the requests, which is about all that arrive during \($latencyDuration | tonumber * 10) ms of the phase: stalls of that much in all (a C2 compile, a GC pause, or the shared VM'\''s core running slower) set it; a single queue with exponential service times of Boardcast'\''s CPU per request (\(cpums($m.b)) ms) at \($m.b.busy)% busy would have a p99 of about \(mm1($m.b)) ms, with PostGraphile'\''s (\(cpums($m.g)) ms at \($m.g.busy)%) about \(mm1($m.g)) ms (bench/tools/read_tail.sh prints the p99 phase by phase with the JIT'\''s CPU)"},
    {metric: "pgbench p50 / p99 at \(($load | tonumber) * 100 | round)% of its max", value: ($m.p.p50 | r2), unit: "ms",
     reference: {name: "p99", value: ($m.p.p99 | r2), unit: "ms"}, ratio: null, target: null, met: null}
   ],
   raw: $all,
   notes: ([
     "Same statements: the pgbench script (bench/pgbench/board_read.sql) sends the 5 statements Boardcast sends for this query (board with membership, columns, tasks by columns with a window, assignees, labels), prepared, in autocommit, with the same parameters; Boardcast'\''s token check costs no statement (HS256 verified in the JVM, issuer+subject to user id cached).",
     "PostGraphile (bench/postgraphile/server.mjs, Node 22, amber preset, no GraphiQL, no explain): verifies the same HS256 token on every request and maps it to the user id through a cache like Boardcast; viewerBoard(id) returns the board only to a member, like board(id) (a non-member gets null, Boardcast NOT_FOUND); columns and tasks come from the foreign keys ordered by position, tasks limited to 50 per column; labels from a computed column over label_ids ordered by name; it compiles the whole query into one SQL statement, sent with begin/set_config/commit around it (4 round trips) where Boardcast sends 5 statements without a transaction. Task ids are uuids in both (PostGraphile rowId).",
     "Errors (GraphQL errors or non-200 answers) during the measured phases: Boardcast \($m.b.errors), PostGraphile \($m.g.errors).",
     "CPU at max (median, % of one core used by the system under test / by PostgreSQL; then how busy the two cores were with anything): Boardcast \($m.b.cpu.server)/\($m.b.cpu.database) (\($m.b.cpu.serverCore)/\($m.b.cpu.databaseCore)), PostGraphile \($m.g.cpu.server)/\($m.g.cpu.database) (\($m.g.cpu.serverCore)/\($m.g.cpu.databaseCore)), pgbench client \($m.p.cpu.server)/\($m.p.cpu.database) (\($m.p.cpu.serverCore)/\($m.p.cpu.databaseCore))."
   ])}' "$DIR/raw.jsonl" > "$RESULTS/read.json"
log "board read: $(jq -c '[.rows[] | {metric, value, ratio, met}]' "$RESULTS/read.json")"
