#!/usr/bin/env node
// Issue 4: "a flood of hostile requests does not slow ordinary requests of other users more than
// twice". Ordinary users read boards (the board read of issue 7) at ORDINARY_RATE/s, measured
// alone, then while other users and anonymous clients flood the server with hostile requests of
// every class below, each at a fixed offered rate (open-loop, capped in flight). The server runs
// with its limits as configured (nothing raised: the protections are what is measured).
// Writes bench/work/results/flood.json. A benchmark: it never fails a build.
// Knobs (environment): ORDINARY_RATE (default: a quarter of the server's board reads/s, ≤ 50) ORDINARY_USERS=5 DURATION=30 WARMUP=10 REPEATS=1
// FLOOD_SCALE=1 (multiplies every hostile rate) FLOOD_CLASSES=regex (only the classes whose name matches) DEEP_LEVELS=25 WIDE_LEVELS=3 ALIASES=500
// DOCUMENT_TOKENS=50000 FRAGMENTS=300 HUGE_BYTES=10485760 PORT_FLOOD=BENCH_PORT_BASE+120 (19620) CORES=2.
import {
  DURATION, bootstrap, dataset, knob, log, machineNote, median, now, percentiles, psql, rng, round, row,
  sleep, writeResult,
} from './lib/common.mjs';
import { cpuSeconds, replicaNote, rssMiB, startReplica, stopReplica } from './lib/replica.mjs';
import { Http, capped, paced } from './lib/load.mjs';
import { BOARD_READ } from './lib/documents.mjs';
import { pick, shuffle } from './lib/boards.mjs';
import {
  GARBAGE_BODIES, aliasBomb, badTokens, bigDocument, classify, deepQuery, fragmentCycle, hostileSocket, hugeBody, wideQuery,
} from './lib/hostile.mjs';

const SCALE = knob('FLOOD_SCALE', 1);
// The fixed ports follow BENCH_PORT_BASE (default 19500), so parallel runs do not collide.
const PORT_BASE = knob('BENCH_PORT_BASE', 19500);
const CONFIG = {
  // the ordinary users' rate: ORDINARY_RATE, or else a quarter of the board reads/s the server
  // answers alone (measured first), at most 50/s: modest next to what the server can do
  ordinaryRate: knob('ORDINARY_RATE', NaN),
  ordinaryUsers: knob('ORDINARY_USERS', 5),
  duration: DURATION,
  warmup: knob('WARMUP', 10),
  repeats: knob('REPEATS', 1),
  port: knob('PORT_FLOOD', PORT_BASE + 120),
  cores: knob('CORES', 2),
  deepLevels: knob('DEEP_LEVELS', 25),
  wideLevels: knob('WIDE_LEVELS', 3),
  aliases: knob('ALIASES', 500),
  tokens: knob('DOCUMENT_TOKENS', 50000),
  fragments: knob('FRAGMENTS', 300),
  hugeBytes: knob('HUGE_BYTES', 10 * 1024 * 1024),
};

if (await bootstrap()) await main();

async function main() {
  const data = dataset();
  const db = data.db;
  const random = rng(5);
  const boards = shuffle(psql(db, 'SELECT id FROM boards ORDER BY id').map(([id]) => id), random);
  const tasks = psql(db, `SELECT id FROM tasks WHERE board_id IN (${boards.slice(0, 50).map((id) => `'${id}'`).join(',')}) LIMIT 500`).map(([id]) => id);
  const ordinary = data.users.slice(0, CONFIG.ordinaryUsers);
  const hostile = data.users.slice(CONFIG.ordinaryUsers);
  const hostileUser = (i) => hostile[i % hostile.length].token;

  const replica = await startReplica({ name: 'flood', port: CONFIG.port, db, raise: false });
  const readers = new Http([replica.url], 32, { localAddress: '127.0.0.2' });
  const classes = hostileClasses(replica, db, boards, tasks, hostileUser, random);
  try {
    const read = (i) => readers.post(0, ordinary[i % ordinary.length].token, BOARD_READ, { id: pick(boards, random) });
    // The warm-up and the capacity spread their reads over all the users, so that what they
    // measure is the server, not one user's rate limit (5 users reading back to back would
    // empty their buckets); every bucket is full again long before the flood starts.
    const anyone = (i) => readers.post(0, data.users[i % data.users.length].token, BOARD_READ, { id: pick(boards, random) });
    log(`warm-up: board reads as fast as 8 clients get answers, for ${CONFIG.warmup} s, then 10 s measured`);
    await closedLoop(8, CONFIG.warmup, anyone);
    CONFIG.capacity = await closedLoop(8, 10, anyone);
    if (!Number.isFinite(CONFIG.ordinaryRate)) CONFIG.ordinaryRate = Math.max(1, Math.min(50, Math.round(CONFIG.capacity / 4)));
    log(`  ${round(CONFIG.capacity, 1)} reads/s alone: the ordinary users read ${CONFIG.ordinaryRate}/s`);
    await paced(CONFIG.ordinaryRate, 5, read);
    for (const c of classes) log(`  ${c.name}: ${await c.fire(0)}`);
    // The server's first flood is also the first time the JIT sees the refusal paths (it was
    // still compiling them 2 minutes in, on one core): a flood of WARMUP s, not measured, so
    // the repeats measure a server that has been attacked before, as the board reads measure
    // one that has served reads before.
    log(`warm-up: every hostile class for ${CONFIG.warmup} s, not measured`);
    await Promise.all(classes.map((c) => capped(c.rate, CONFIG.warmup, c.cap, c.fire)));

    const repeats = [];
    for (let r = 0; r < CONFIG.repeats; r++) {
      await quiet(replica);
      log(`repeat ${r + 1}/${CONFIG.repeats}: ordinary reads alone, ${CONFIG.ordinaryRate}/s for ${CONFIG.duration} s`);
      const alone = await measure(replica, () => paced(CONFIG.ordinaryRate, CONFIG.duration, read));
      log(`  alone: ${JSON.stringify(alone.ordinary)}`);
      await quiet(replica);
      log(`  under flood: ${classes.length} hostile classes`);
      const flooded = await measure(replica, async () => {
        const floods = classes.map((c) => capped(c.rate, CONFIG.duration, c.cap, c.fire));
        const calls = await paced(CONFIG.ordinaryRate, CONFIG.duration, read);
        return { calls, floods: await Promise.all(floods) };
      });
      log(`  under flood: ${JSON.stringify(flooded.ordinary)}`);
      repeats.push({ alone, flooded });
    }
    await quiet(replica);
    writeResult('flood', result(repeats, classes));
  } finally {
    await readers.close();
    await classes.close();
    await stopReplica(replica);
  }
}

/** Board reads by `clients` clients back to back for `seconds`: the answers per second. */
async function closedLoop(clients, seconds, read) {
  const end = now() + seconds * 1000;
  let answered = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; now() < end; i += clients) {
        const { status } = await read(i);
        if (status === 200) answered++;
      }
    }),
  );
  return answered / seconds;
}

/** Runs a phase; summarizes the ordinary reads and the server's CPU. */
async function measure(replica, run) {
  const cpu0 = cpuSeconds(replica.pid);
  const t0 = now();
  const outcome = await run();
  const wall = (now() - t0) / 1000;
  const cpu = (100 * (cpuSeconds(replica.pid) - cpu0)) / wall / CONFIG.cores;
  const calls = outcome.calls ?? outcome;
  const answers = {};
  for (const call of calls) {
    const key = classify(call);
    answers[key] = (answers[key] || 0) + 1;
  }
  const p = percentiles(calls.map((c) => c.done - c.scheduled));
  // the slowest ordinary read of each second of the phase: whether the tail is the phase's
  // start (a flooding user's full bucket) or spread over it
  const slowest = [];
  for (const c of calls) {
    const second = Math.floor((c.scheduled - t0) / 1000);
    slowest[second] = Math.max(slowest[second] ?? 0, c.done - c.scheduled);
  }
  return {
    ordinary: { n: p.n, p50: round(p.p50, 2), p99: round(p.p99, 2), max: round(p.max, 2), answers },
    slowestBySecond: Array.from(slowest, (ms) => round(ms ?? 0, 0)),
    cpu: round(cpu, 1),
    rss: round(rssMiB(replica.pid), 0),
    floods: outcome.floods,
    wall,
  };
}

/** Waits (up to 60 s) until the server is nearly idle, so one phase's leftovers do not slow the next. */
async function quiet(replica) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const before = cpuSeconds(replica.pid);
    await sleep(1000);
    if (cpuSeconds(replica.pid) - before < 0.1) return;
  }
  log('the server did not become idle within 60 s');
}

/** Every hostile class: name, offered rate, in-flight cap, and fire(i) -> outcome. */
function hostileClasses(replica, db, boards, tasks, hostileUser, random) {
  const pools = [];
  const http = (i, connections) => {
    const pool = new Http([replica.url], connections, { localAddress: `127.0.0.${10 + i}` });
    pools.push(pool);
    return pool;
  };
  const rate = (value) => Math.max(0.5, value * SCALE);
  const send = async (pool, token, body, headers) => classify(await pool.raw(0, token, body, headers));
  const query = async (pool, token, q, variables) => classify(await pool.post(0, token, q, variables));
  const deep = deepQuery(CONFIG.deepLevels);
  const wide = wideQuery(CONFIG.wideLevels);
  const aliases = aliasBomb(CONFIG.aliases);
  const big = bigDocument(CONFIG.tokens);
  const cycle = fragmentCycle(CONFIG.fragments);
  const huge = hugeBody(CONFIG.hugeBytes);
  const bad = badTokens(db, hostileUser(0));
  const pool = {
    deep: http(0, 16),
    wide: http(1, 16),
    aliases: http(2, 16),
    big: http(3, 16),
    cycle: http(4, 16),
    tokens: http(5, 32),
    anonymous: http(6, 32),
    garbage: http(7, 32),
    huge: http(8, 4),
    flood: http(9, 64),
  };
  const hold = 15_000;
  const classes = [
    { name: `deep query (${CONFIG.deepLevels} levels, one object wide)`, rate: rate(20), cap: 16, fire: () => query(pool.deep, hostileUser(1), deep, { id: pick(tasks, random) }) },
    { name: `wide query (5^${CONFIG.wideLevels} columns × 50 tasks)`, rate: rate(5), cap: 16, fire: () => query(pool.wide, hostileUser(2), wide, { id: pick(boards, random) }) },
    { name: `alias bomb (${CONFIG.aliases} aliases of a board)`, rate: rate(5), cap: 16, fire: () => query(pool.aliases, hostileUser(3), aliases, { id: pick(boards, random) }) },
    { name: `${CONFIG.tokens}-token document`, rate: rate(10), cap: 16, fire: () => query(pool.big, hostileUser(4), big, {}) },
    { name: `fragment cycle (${CONFIG.fragments} fragments)`, rate: rate(20), cap: 16, fire: () => query(pool.cycle, hostileUser(5), cycle, {}) },
    {
      name: `forged, tampered, alg-none, expired and garbage tokens (${bad.map(([kind]) => kind).join(', ')})`,
      rate: rate(100),
      cap: 32,
      fire: (i) => query(pool.tokens, bad[i % bad.length][1], BOARD_READ, { id: pick(boards, random) }),
    },
    { name: 'anonymous board reads (no token)', rate: rate(100), cap: 32, fire: () => query(pool.anonymous, null, BOARD_READ, { id: pick(boards, random) }) },
    { name: 'garbage JSON bodies', rate: rate(100), cap: 32, fire: (i) => send(pool.garbage, hostileUser(6), GARBAGE_BODIES[i % GARBAGE_BODIES.length]) },
    { name: `${round(CONFIG.hugeBytes / 1048576, 1)} MB bodies`, rate: rate(2), cap: 4, fire: () => send(pool.huge, hostileUser(7), huge) },
    { name: 'valid board reads of one user, as fast as offered', rate: rate(300), cap: 64, fire: () => query(pool.flood, hostileUser(8), BOARD_READ, { id: pick(boards, random) }) },
    {
      name: 'WebSocket garbage frames (binary, non-JSON, unknown type, 64 KB)',
      rate: rate(20),
      cap: 200,
      fire: (i) => hostileSocket(replica.ws, { mode: 'garbage', localAddress: `127.0.0.${20 + (i % 5)}`, holdMs: 5000 }),
    },
    {
      name: `WebSocket connection flood (one user's sockets held ${hold / 1000} s, and anonymous ones that never init)`,
      rate: rate(50),
      cap: 2000,
      fire: (i) =>
        hostileSocket(replica.ws, {
          mode: 'hold',
          token: i % 2 ? hostileUser(9) : null,
          localAddress: `127.0.0.${25 + (i % 5)}`,
          holdMs: hold,
        }),
    },
  ];
  // FLOOD_CLASSES=regex keeps only the classes whose name matches (to see what one class costs)
  const only = process.env.FLOOD_CLASSES ? new RegExp(process.env.FLOOD_CLASSES) : null;
  const kept = only ? classes.filter((c) => only.test(c.name)) : classes;
  kept.close = () => Promise.all(pools.map((p) => p.close()));
  return kept;
}

function result(repeats, classes) {
  const m = (get) => median(repeats.map(get));
  const aloneP50 = m((r) => r.alone.ordinary.p50);
  const aloneP99 = m((r) => r.alone.ordinary.p99);
  const floodP50 = m((r) => r.flooded.ordinary.p50);
  const floodP99 = m((r) => r.flooded.ordinary.p99);
  const ratio50 = floodP50 / aloneP50;
  const ratio99 = floodP99 / aloneP99;
  const ordinaryFailures = repeats.reduce(
    (sum, r) => sum + Object.entries(r.flooded.ordinary.answers).reduce((s, [k, n]) => s + (k === '200 data' ? 0 : n), 0),
    0,
  );
  const last = repeats.at(-1).flooded;
  // the server's share of the core(s) it may run on: one when pinned (SERVER_CPUS=1), else CORES
  const serverCores = process.env.SERVER_CPUS ? process.env.SERVER_CPUS.split(',').length : CONFIG.cores;
  const busy = (cpu) => round((cpu * CONFIG.cores) / serverCores, 1);
  const floodLimit =
    `the server's CPU: it kept the ${serverCores === 1 ? 'one core it runs on' : `${serverCores} cores it runs on`} ${busy(m((r) => r.alone.cpu))}% busy alone ` +
    `and ${busy(m((r) => r.flooded.cpu))}% under flood; the ordinary reads wait behind the refusals' work there (HTTP, token checks, ` +
    `parsing and validation, WebSocket handshakes, and the JIT compiling those paths). How each class was answered, and at what ` +
    `rate, is in the notes; FLOOD_CLASSES=regex floods with some classes only, to see what each costs`;
  // an answer: a status, a close code, or a socket the server kept open; not a timeout or reset
  const answers = (f) => Object.entries(f.outcomes).reduce((sum, [k, n]) => sum + (/^(\d{3}|close |acked|HTTP |held)/.test(k) ? n : 0), 0);
  const sent = last.floods.reduce((sum, f) => sum + f.sent, 0) / last.wall;
  const answered = last.floods.reduce((sum, f) => sum + answers(f), 0) / last.wall;
  const offered = classes.reduce((sum, c) => sum + c.rate, 0);
  const rows = [
    row('ordinary board reads alone, p50', aloneP50, 'ms'),
    row('ordinary board reads alone, p99', aloneP99, 'ms'),
    row('ordinary board reads under flood, p50', floodP50, 'ms', {
      reference: { name: 'same reads alone, p50', value: round(aloneP50, 2), unit: 'ms' },
      ratio: round(ratio50, 2),
      target: '≤ 2×',
      met: ratio50 <= 2,
      ...(ratio50 > 2 ? { limit: floodLimit } : {}),
    }),
    row('ordinary board reads under flood, p99', floodP99, 'ms', {
      reference: { name: 'same reads alone, p99', value: round(aloneP99, 2), unit: 'ms' },
      ratio: round(ratio99, 2),
      target: '≤ 2×',
      met: ratio99 <= 2,
      ...(ratio99 > 2 ? { limit: floodLimit } : {}),
    }),
    row('ordinary board reads under flood that failed', ordinaryFailures, 'requests', { target: '0', met: ordinaryFailures === 0 }),
    row('server CPU alone / under flood', m((r) => r.flooded.cpu), `% of ${CONFIG.cores} cores`, {
      detail: `alone ${m((r) => r.alone.cpu)}%, under flood ${m((r) => r.flooded.cpu)}%; RSS under flood ${last.rss} MiB`,
    }),
    row('hostile requests answered', answered, 'requests/s', {
      detail: `${round(offered, 0)}/s offered over ${classes.length} classes, ${round(sent, 1)}/s sent (the rest skipped: the server had the class's cap unanswered); answered = a status or close code, not a timeout or reset`,
    }),
    ...classes.map((c, i) => {
      const f = last.floods[i];
      return row(`flood: ${c.name}`, answers(f) / last.wall, 'answered/s', {
        detail: `offered ${round(c.rate, 1)}/s, skipped ${f.skipped} (cap ${c.cap} in flight); answers: ${Object.entries(f.outcomes)
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => `${k} ×${n}`)
          .join(', ')}`,
      });
    }),
  ];
  return {
    section: 'Hostile flood (issue 4)',
    setup:
      `1 replica (port ${CONFIG.port}) with its limits as configured (nothing raised); ${CONFIG.ordinaryUsers} ordinary users read random boards ` +
      `(the board read of measurement 1) at ${CONFIG.ordinaryRate}/s in all (the server answered ${round(CONFIG.capacity, 1)}/s to 8 clients back to back ` +
      `after the warm-up), open-loop from 127.0.0.2; after a warm-up flood of ${CONFIG.warmup} s (every class, not measured), ${CONFIG.duration} s alone then ${CONFIG.duration} s under ` +
      `flood × ${CONFIG.repeats} (medians); other users and anonymous clients send each hostile class open-loop at a fixed rate from their own ` +
      `source addresses (127.0.0.10–29), FLOOD_SCALE ${SCALE}. Latency = answer − scheduled send. ${replicaNote()}; ${machineNote()}.`,
    rows,
    notes: [],
    raw: {
      repeats: repeats.map((r) => ({
        alone: r.alone.ordinary,
        flooded: r.flooded.ordinary,
        cpu: [r.alone.cpu, r.flooded.cpu],
        slowestBySecond: [r.alone.slowestBySecond, r.flooded.slowestBySecond],
      })),
    },
  };
}
