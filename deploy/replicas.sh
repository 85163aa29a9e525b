#!/usr/bin/env bash
# Boardcast's multi-replica topology, natively (no Docker): N replicas of the built jar on one
# local PostgreSQL and one local Redis, behind Debian's nginx as a round-robin load balancer
# with WebSocket upgrades passed through (the same topology as compose.yaml). Then a check:
#
#   1. through nginx: a dev token, a board, and the cursor of the board's latest event;
#   2. graphql-ws subscriptions boardChanged(boardId, after: <that cursor>), one DIRECTLY on
#      replica 1 and one THROUGH nginx;
#   3. createColumn mutations through nginx until one is answered by a replica other than
#      replica 1 (response header X-Boardcast-Upstream);
#   4. every mutation's event must reach both subscriptions, in seq order without gaps. The
#      summary says which replica answered what and the mutation -> event latency.
#
# PASS: exit 0; FAIL: exit 1 (and the tails of the logs are printed).
#
# Run from anywhere:   deploy/replicas.sh
# Needs: app/target/boardcast.jar (./mvnw -B -DskipTests package), a JDK 17+, PostgreSQL on
# 127.0.0.1:5432 (user postgres, trust auth), Redis on 127.0.0.1:6379, Node 20 with
# web/node_modules (cd web && npm ci), and nginx (installed with apt-get when missing and
# running as root). The system nginx service is never used: nginx runs as a child process
# with its own config (deploy/nginx-native.conf.template), pid, logs and temp files, all in
# a temporary directory that is removed on exit together with the replicas.
#
# The database $DB_NAME is dropped and created at the start and left in place at the end for
# inspection. Nothing else is dropped.
#
# Knobs (environment):
#   REPLICAS=3              number of replicas (at least 2)
#   LB_PORT=18080           nginx port on 127.0.0.1 (when the default is busy, the next free
#                           port is used; an explicitly set busy port is an error)
#   DB_NAME=boardcast_replicas  database to (re)create
#   PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres   PostgreSQL (password: PGPASSWORD, if any)
#   REDIS_URL=redis://127.0.0.1:6379               Redis for the cross-replica event bus
#   JAVA=java  JAVA_OPTS=   the JVM and its options for each replica
#   TIMEOUT=180             seconds for the whole run (start-up + check) before it fails;
#                           3 JVMs on 2 idle cores are ready in 20-40 s, on a busy machine
#                           they can take 100 s
#   KEEP_WORK=1             keep the temporary directory (logs, nginx config) after the run
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPLICAS=${REPLICAS:-3}
LB_PORT_SET=${LB_PORT:+yes}
LB_PORT=${LB_PORT:-18080}
DB_NAME=${DB_NAME:-boardcast_replicas}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
TIMEOUT=${TIMEOUT:-180}
KEEP_WORK=${KEEP_WORK:-}
JAR=$ROOT/app/target/boardcast.jar
TEMPLATE=$ROOT/deploy/nginx-native.conf.template
NODE_MODULES=$ROOT/web/node_modules

T0=$(date +%s%3N)
secs() { printf '%d.%d' $(( $1 / 1000 )) $(( $1 % 1000 / 100 )); }   # 12345 (ms) -> 12.3
log() { printf '[%6ss] %s\n' "$(secs $(( $(date +%s%3N) - T0 )))" "$*"; }
die() { log "FAIL: $*" >&2; exit 1; }

# ---------------------------------------------------------------- preconditions
[[ $REPLICAS =~ ^[0-9]+$ && $REPLICAS -ge 2 ]] || die "REPLICAS must be a number >= 2 (got '$REPLICAS')"
[[ $DB_NAME =~ ^[a-z_][a-z0-9_]*$ ]] || die "DB_NAME must be a plain lower-case identifier (got '$DB_NAME')"
[[ $TIMEOUT =~ ^[0-9]+$ ]] || die "TIMEOUT must be a number of seconds (got '$TIMEOUT')"
if [[ ! -f $JAR ]]; then
  echo "No $JAR: build it first with  ./mvnw -B -DskipTests package" >&2
  exit 1
fi
command -v "$JAVA" > /dev/null || die "no '$JAVA' on the PATH (a JDK 17+ is needed)"
command -v psql > /dev/null || die "psql is needed (apt-get install postgresql-client)"
command -v curl > /dev/null || die "curl is needed"
command -v node > /dev/null || die "node (20+) is needed for the check"
[[ -d $NODE_MODULES/graphql-ws && -d $NODE_MODULES/ws ]] ||
  die "$NODE_MODULES lacks graphql-ws or ws: run  (cd web && npm ci)"

NGINX=$(command -v nginx || true)
[[ -z $NGINX && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
if [[ -z $NGINX ]]; then
  [[ $EUID -eq 0 ]] || die "nginx is not installed: run  sudo apt-get install -y nginx"
  log "installing nginx (apt-get)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx) > /dev/null ||
    die "apt-get install nginx failed"
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi

# The clock for TIMEOUT starts here, after any installation.
DEADLINE=$(( SECONDS + TIMEOUT ))
remaining() { echo $(( DEADLINE > SECONDS ? DEADLINE - SECONDS : 1 )); }

psql_q() { PGOPTIONS="-c client_min_messages=warning" timeout 20 psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
psql_q -c 'SELECT 1' > /dev/null 2>&1 ||
  die "PostgreSQL does not answer at $PGHOST:$PGPORT as $PGUSER"
redis_hostport=${REDIS_URL#*://}; redis_hostport=${redis_hostport#*@}; redis_hostport=${redis_hostport%%/*}
(exec 3<> "/dev/tcp/${redis_hostport%:*}/${redis_hostport##*:}") 2> /dev/null ||
  die "Redis does not answer at $redis_hostport"

# ---------------------------------------------------------------- work dir and cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/boardcast-replicas.XXXXXX")
chmod 711 "$WORK"   # nginx workers (user nobody when started as root) must reach their temp dir
REPLICA_PIDS=()
NGINX_PID=

cleanup() {
  local rc=$? pid i
  trap - EXIT INT TERM
  set +e
  (( rc == 130 || rc == 143 )) && log "interrupted; stopping"
  [[ -n $NGINX_PID ]] && kill -TERM "$NGINX_PID" 2> /dev/null
  for pid in "${REPLICA_PIDS[@]}"; do kill -TERM "$pid" 2> /dev/null; done
  # graceful shutdown takes up to BOARDCAST_SHUTDOWN_TIMEOUT (8 s); then they are killed
  for i in $(seq 1 100); do
    local alive=
    for pid in "${REPLICA_PIDS[@]}" $NGINX_PID; do kill -0 "$pid" 2> /dev/null && alive=yes; done
    [[ -z $alive ]] && break
    sleep 0.1
  done
  for pid in "${REPLICA_PIDS[@]}" $NGINX_PID; do kill -KILL "$pid" 2> /dev/null; done
  wait 2> /dev/null
  if [[ $rc -ne 0 ]]; then
    for f in "$WORK"/replica-*.log "$WORK"/nginx/error.log "$WORK"/nginx/access.log; do
      [[ -s $f ]] || continue
      echo "---- last lines of ${f#"$WORK"/}" >&2
      tail -n 25 "$f" >&2
    done
  fi
  if [[ -n $KEEP_WORK ]]; then
    echo "work directory kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The jar is copied, so a rebuild during the run cannot change it under the replicas.
cp "$JAR" "$WORK/boardcast.jar"

# ---------------------------------------------------------------- ports
port_busy() {
  if command -v ss > /dev/null; then
    [[ -n $(ss -Hltn "sport = :$1") ]]
  else
    (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null
  fi
}
TAKEN=" "
next_free_port() {   # first free port >= $1 not handed out yet
  local p=$1
  while port_busy "$p" || [[ $TAKEN == *" $p "* ]]; do
    p=$(( p + 1 ))
    (( p < 65535 )) || die "no free port found"
  done
  TAKEN+="$p "
  echo "$p"
}
if port_busy "$LB_PORT"; then
  [[ -n $LB_PORT_SET ]] && die "LB_PORT=$LB_PORT is in use"
  log "port $LB_PORT is in use; taking the next free one"
fi
LB_PORT=$(next_free_port "$LB_PORT"); TAKEN+="$LB_PORT "
PORTS=()
for _ in $(seq 1 "$REPLICAS"); do
  p=$(next_free_port $(( LB_PORT + 1 )))
  TAKEN+="$p "
  PORTS+=("$p")
done

# ---------------------------------------------------------------- database
log "database $DB_NAME on $PGHOST:$PGPORT: drop and create"
psql_q -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME" ||
  die "could not recreate database $DB_NAME"

# ---------------------------------------------------------------- replicas
export SPRING_R2DBC_URL="r2dbc:postgresql://$PGHOST:$PGPORT/$DB_NAME"
export SPRING_R2DBC_USERNAME="$PGUSER" SPRING_R2DBC_PASSWORD="${PGPASSWORD:-}"
export SPRING_DATA_REDIS_URL="$REDIS_URL"
export SERVER_ADDRESS=127.0.0.1
log "starting $REPLICAS replicas on ports ${PORTS[*]} (Redis $REDIS_URL)"
for i in "${!PORTS[@]}"; do
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  PORT=${PORTS[$i]} "$JAVA" $JAVA_OPTS -jar "$WORK/boardcast.jar" > "$WORK/replica-$(( i + 1 )).log" 2>&1 &
  REPLICA_PIDS+=($!)
done

START_MS=$(date +%s%3N)
declare -A READY_MS=()
while (( ${#READY_MS[@]} < REPLICAS )); do
  for i in "${!PORTS[@]}"; do
    [[ -n ${READY_MS[$i]:-} ]] && continue
    kill -0 "${REPLICA_PIDS[$i]}" 2> /dev/null || die "replica $(( i + 1 )) (port ${PORTS[$i]}) exited during start-up"
    if curl -sf --max-time 2 "http://127.0.0.1:${PORTS[$i]}/actuator/health/readiness" 2> /dev/null | grep -q '"UP"'; then
      READY_MS[$i]=$(( $(date +%s%3N) - START_MS ))
      log "replica $(( i + 1 )) ready on :${PORTS[$i]} after ${READY_MS[$i]} ms (pid ${REPLICA_PIDS[$i]})"
    fi
  done
  (( SECONDS < DEADLINE )) || die "replicas not ready within ${TIMEOUT}s"
  (( ${#READY_MS[@]} < REPLICAS )) && sleep 0.5
done

# ---------------------------------------------------------------- nginx
NGX=$WORK/nginx
mkdir -p "$NGX/tmp"
chmod 755 "$NGX" "$NGX/tmp"
[[ -f $TEMPLATE ]] || die "missing $TEMPLATE"
servers=
for p in "${PORTS[@]}"; do servers+="        server 127.0.0.1:$p max_fails=0;"$'\n'; done
conf=$(< "$TEMPLATE")
conf=${conf//@NGINX_DIR@/$NGX}
conf=${conf//@LB_PORT@/$LB_PORT}
conf=${conf//@UPSTREAM_SERVERS@$'\n'/$servers}
printf '%s\n' "$conf" > "$NGX/nginx.conf"
"$NGINX" -q -t -p "$NGX" -e "$NGX/error.log" -c "$NGX/nginx.conf" || die "nginx rejects $NGX/nginx.conf"
"$NGINX" -p "$NGX" -e "$NGX/error.log" -c "$NGX/nginx.conf" &
NGINX_PID=$!
until curl -sf --max-time 2 "http://127.0.0.1:$LB_PORT/actuator/health/readiness" > /dev/null 2>&1; do
  kill -0 "$NGINX_PID" 2> /dev/null || die "nginx exited: $(tail -n 3 "$NGX/error.log" 2> /dev/null)"
  (( SECONDS < DEADLINE )) || die "nginx not answering on :$LB_PORT within ${TIMEOUT}s"
  sleep 0.2
done
log "nginx $("$NGINX" -v 2>&1 | sed 's|.*/||') (pid $NGINX_PID) on 127.0.0.1:$LB_PORT -> ${PORTS[*]}"

# ---------------------------------------------------------------- the check
# Written next to a node_modules link to web/node_modules, so its imports resolve there.
ln -s "$NODE_MODULES" "$WORK/node_modules"
cat > "$WORK/check.mjs" << 'JS'
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';

const LB_PORT = process.env.LB_PORT;
const PORTS = process.env.REPLICA_PORTS.split(',');
const LB = `http://127.0.0.1:${LB_PORT}`;
const EVENT_WAIT_MS = 10_000;
const now = () => performance.now();
const ms = (x) => `${Math.round(x)} ms`;

/** "127.0.0.1:18082" (or "a, b" after an nginx retry: the last one answered) -> "replica 2 (:18082)" */
function replicaOf(addr) {
  if (!addr) return 'unknown (no X-Boardcast-Upstream header)';
  const last = addr.split(',').pop().trim();
  const i = PORTS.indexOf(last.split(':').pop());
  return i >= 0 ? `replica ${i + 1} (:${PORTS[i]})` : last;
}
const isReplica1 = (addr) => !!addr && addr.split(',').pop().trim().endsWith(`:${PORTS[0]}`);

async function post(path, body, token) {
  const headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const started = now();
  const res = await fetch(LB + path, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  const took = now() - started;
  const upstream = res.headers.get('x-boardcast-upstream');
  let json;
  try { json = JSON.parse(text); } catch {
    throw new Error(`POST ${path} via nginx -> ${replicaOf(upstream)}: HTTP ${res.status}, not JSON: ${text.slice(0, 300)}`);
  }
  if (!res.ok || json.errors) {
    throw new Error(`POST ${path} via nginx -> ${replicaOf(upstream)}: HTTP ${res.status} ${text.slice(0, 500)}`);
  }
  return { json, upstream, took, started };
}

let token;
const gql = (query, variables) => post('/graphql', { query, variables }, token);

const SUBSCRIPTION = `subscription($boardId: ID!, $after: String) {
  boardChanged(boardId: $boardId, after: $after) { cursor seq kind column { id name } } }`;

/** A graphql-ws subscription to boardChanged that records every event with its arrival time. */
function subscribe(label, url, boardId, after) {
  const sub = { label, url, events: [], upstream: null, error: null, completed: false, connected: null };
  // a WebSocket that remembers the X-Boardcast-Upstream header of its 101 response
  class TracedWebSocket extends WebSocket {
    constructor(...args) {
      super(...args);
      this.on('upgrade', (res) => { sub.upstream = res.headers['x-boardcast-upstream'] ?? null; });
    }
  }
  let onConnected;
  sub.connected = new Promise((resolve) => { onConnected = resolve; });
  sub.client = createClient({
    url,
    webSocketImpl: TracedWebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
    on: { connected: () => onConnected() },
  });
  sub.client.subscribe({ query: SUBSCRIPTION, variables: { boardId, after } }, {
    next: (result) => {
      if (result.errors) { sub.error = `errors: ${JSON.stringify(result.errors)}`; return; }
      sub.events.push({ ...result.data.boardChanged, at: now() });
    },
    error: (err) => {
      sub.error = err && err.code !== undefined ? `socket closed ${err.code} ${err.reason || ''}`.trim()
        : Array.isArray(err) ? `errors: ${JSON.stringify(err)}` : String(err);
    },
    complete: () => { sub.completed = true; },
  });
  return sub;
}

async function waitUntil(predicate, timeoutMs) {
  const until = now() + timeoutMs;
  while (!predicate()) {
    if (now() > until) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

const failures = [];
// progress goes out line by line, so a run cut short by TIMEOUT shows how far it got
const lines = { push: (l) => console.log(l ? `  ${l}` : '') };
let step = 'starting';
process.on('SIGTERM', () => {
  console.log(`\nFAIL\n  - overall TIMEOUT reached while: ${step}`);
  process.exit(1);
});
const subs = [];
try {
  // 1. token, board and the cursor of the board's latest event, all through nginx
  step = 'getting a token, creating a board, reading its events (through nginx)';
  const handle = `replicas_${Date.now().toString(36)}`;
  const tok = await post('/dev/token', { handle });
  token = tok.json.token;
  if (!token) throw new Error(`/dev/token returned no token: ${JSON.stringify(tok.json)}`);
  lines.push(`token     POST /dev/token (${handle})            via nginx -> ${replicaOf(tok.upstream)}`);

  const board = await gql('mutation($n: String!) { createBoard(input: {name: $n}) { board { id } } }', { n: 'Replicas check' });
  const boardId = board.json.data.createBoard.board.id;
  lines.push(`board     createBoard ${boardId}  via nginx -> ${replicaOf(board.upstream)}`);

  let after = null, lastSeq = 0, page = null, pages = 0;
  do {
    page = await gql(`query($b: ID!, $a: String) { boardEvents(boardId: $b, after: $a, first: 100) {
      nodes { cursor seq } pageInfo { hasNextPage endCursor } } }`, { b: boardId, a: after });
    const { nodes, pageInfo } = page.json.data.boardEvents;
    if (nodes.length) { after = nodes.at(-1).cursor; lastSeq = nodes.at(-1).seq; }
    pages += 1;
    if (!pageInfo.hasNextPage) break;
  } while (pages < 100);
  if (!after) throw new Error('boardEvents returned no event for the new board (expected BOARD_CREATED)');
  lines.push(`cursor    boardEvents: latest seq ${lastSeq}             via nginx -> ${replicaOf(page.upstream)}`);

  // 2. subscriptions: directly on replica 1, and through nginx
  step = 'opening the subscriptions';
  const direct = subscribe('A', `ws://127.0.0.1:${PORTS[0]}/graphql`, boardId, after);
  const viaLb = subscribe('B', `ws://127.0.0.1:${LB_PORT}/graphql`, boardId, after);
  subs.push(direct, viaLb);
  const connected = await Promise.race([
    Promise.all(subs.map((s) => s.connected)).then(() => true),
    new Promise((r) => setTimeout(() => r(false), 10_000)),
  ]);
  if (!connected) throw new Error(`subscriptions not acknowledged within 10 s: ${subs.map((s) => `${s.label}: ${s.error ?? 'no connection_ack'}`).join('; ')}`);
  lines.push(`sub A     ${direct.url}  directly on replica 1${direct.upstream ? ` (unexpected X-Boardcast-Upstream ${direct.upstream})` : ''}`);
  lines.push(`sub B     ${viaLb.url}  via nginx -> ${replicaOf(viaLb.upstream)}`);

  // 3. createColumn through nginx until a replica other than replica 1 answered one,
  //    and for two rounds at least (round-robin: each replica answers twice; the first round
  //    runs on cold JVMs), at most 3 rounds
  step = 'sending mutations through nginx';
  const mutations = [];
  while (mutations.length < 3 * PORTS.length) {
    const name = `col-${mutations.length + 1}-${Math.random().toString(36).slice(2, 7)}`;
    const r = await gql('mutation($b: ID!, $n: String!) { createColumn(input: {boardId: $b, name: $n}) { column { id name } } }', { b: boardId, n: name });
    mutations.push({ name, id: r.json.data.createColumn.column.id, upstream: r.upstream, sent: r.started, took: r.took });
    if (mutations.length >= 2 * PORTS.length && mutations.some((m) => !isReplica1(m.upstream))) break;
  }
  const crossing = mutations.find((m) => !isReplica1(m.upstream));
  if (!crossing) failures.push(`all ${mutations.length} mutations were answered by replica 1: nginx did not balance`);

  // 4. every mutation's event on both subscriptions
  step = 'waiting for the events on the subscriptions';
  const hasAll = (s) => mutations.every((m) => s.events.some((e) => e.column?.name === m.name));
  await waitUntil(() => subs.every((s) => hasAll(s) || s.error || s.completed), EVENT_WAIT_MS);

  lines.push('');
  lines.push('   #  column          answered by            HTTP      event on A        event on B');
  for (const [i, m] of mutations.entries()) {
    const cell = (s) => {
      const e = s.events.find((x) => x.column?.name === m.name);
      return e ? `${ms(e.at - m.sent)} (seq ${e.seq})` : 'MISSING';
    };
    lines.push(`  ${String(i + 1).padStart(2)}  ${m.name.padEnd(14)}  ${replicaOf(m.upstream).padEnd(21)}  ${ms(m.took).padStart(6)}    ${cell(direct).padEnd(16)} ${cell(viaLb)}`);
  }
  lines.push('  (event times: from sending the mutation to the event arriving on the subscription)');

  for (const s of subs) {
    const missing = mutations.filter((m) => !s.events.some((e) => e.column?.name === m.name));
    if (missing.length) failures.push(`subscription ${s.label} missed ${missing.map((m) => m.name).join(', ')} within ${EVENT_WAIT_MS / 1000} s`);
    if (s.error) failures.push(`subscription ${s.label} ended: ${s.error}`);
    else if (s.completed) failures.push(`subscription ${s.label} completed unexpectedly`);
    const seqs = s.events.map((e) => e.seq);
    const expected = seqs.map((_, i) => lastSeq + 1 + i);
    if (seqs.join() !== expected.join()) failures.push(`subscription ${s.label}: seqs ${seqs.join(',')}, expected ${expected.join(',')}`);
    const kinds = [...new Set(s.events.map((e) => e.kind))];
    if (kinds.some((k) => k !== 'COLUMN_CREATED')) failures.push(`subscription ${s.label}: unexpected kinds ${kinds.join(',')}`);
    // an event arriving well after its mutation's response was probably not delivered by
    // Redis but caught up by the periodic head check (BOARDCAST_EVENTS_HEAD_CHECK, 2 s)
    const late = s.events.filter((e) => {
      const m = mutations.find((x) => x.name === e.column?.name);
      return m && e.at - (m.sent + m.took) > 1500;
    });
    if (late.length) lines.push(`  note: ${late.length} event(s) on ${s.label} arrived over 1.5 s after the mutation's response (head check rather than Redis?)`);
  }

  lines.push('');
  if (crossing) {
    const e = direct.events.find((x) => x.column?.name === crossing.name);
    lines.push(e
      ? `crossing  ${crossing.name} answered by ${replicaOf(crossing.upstream)} reached replica 1's subscription after ${ms(e.at - crossing.sent)}`
      : `crossing  ${crossing.name} answered by ${replicaOf(crossing.upstream)} did NOT reach replica 1's subscription`);
  }
  const bEvent = viaLb.events[0];
  lines.push(bEvent
    ? `via nginx subscription B (on ${replicaOf(viaLb.upstream)}) received ${viaLb.events.length} event(s)`
    : 'via nginx subscription B received no event');
  // latency over both subscriptions: the first round on cold JVMs, then the rest
  const stats = (from, to) => {
    const xs = subs.flatMap((s) => s.events.map((e) => {
      const i = mutations.findIndex((x) => x.name === e.column?.name);
      return i >= from && i < to ? e.at - mutations[i].sent : null;
    })).filter((x) => x !== null).sort((a, b) => a - b);
    return xs.length
      ? `min ${ms(xs[0])}, median ${ms(xs[Math.floor(xs.length / 2)])}, max ${ms(xs.at(-1))} (${xs.length} deliveries)`
      : 'no deliveries';
  };
  lines.push(`latency   mutation sent -> event received, mutations 1-${PORTS.length} (cold JVMs): ${stats(0, PORTS.length)}`);
  lines.push(`          mutations ${PORTS.length + 1}-${mutations.length}: ${stats(PORTS.length, mutations.length)}`);
} catch (err) {
  failures.push(err.message ?? String(err));
} finally {
  await Promise.all(subs.map((s) => s.client.dispose()));
}

if (failures.length) {
  console.log(`\nFAIL\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
console.log('\nPASS: a mutation sent through nginx to another replica reached a subscription on replica 1, and a subscription through nginx');
process.exit(0);
JS

log "check: token, board, subscriptions on replica 1 and through nginx, mutations through nginx"
echo
ports_csv=$(IFS=,; echo "${PORTS[*]}")
set +e
LB_PORT=$LB_PORT REPLICA_PORTS=$ports_csv timeout "$(remaining)" node "$WORK/check.mjs"
rc=$?
set -e
echo
(( rc == 124 )) && die "check did not finish within ${TIMEOUT}s overall"
startup=$(for i in "${!PORTS[@]}"; do printf 'r%d %ss ' $(( i + 1 )) "$(secs "${READY_MS[$i]}")"; done)
log "replicas ready after: ${startup% }"
if (( rc != 0 )); then
  die "the check failed (exit $rc)"
fi
log "PASS ($REPLICAS replicas behind nginx on :$LB_PORT); stopping"
