#!/usr/bin/env node
// Issue 7, measurement 3: subscription capacity of ONE replica. Ramps idle boardChanged
// subscriptions, one per WebSocket, spread over source addresses 127.0.0.2-127.0.0.30, to SUBS
// (PER_BOARD per board), then a driver makes one moveTask per watched board per second over
// HTTP. Measures delivery latency (commit -> received, p95), the server's CPU over the steady
// phase (share of 2 cores, from /proc/<pid>/stat), retained heap per subscription (heap used
// after a full GC with the subscriptions minus before them, over their number) and Redis:
// one subscription per board (PUBSUB NUMSUB) and as many channels as boards watched.
// Writes bench/work/results/capacity.json. A benchmark: it never fails a build.
// Knobs (environment): SUBS=10000 PER_BOARD=10 DURATION=30 WARMUP=10 REPEATS=1 SUB_PROCS=2
// OPEN_CONCURRENCY=100 PORT_CAPACITY=BENCH_PORT_BASE+110 (19610) CORES=2 SOURCE_FIRST=2 SOURCE_LAST=30 EVENT_FIELDS,
// HISTOGRAM_TOP=15 (how many classes of the retained-heap breakdown to log and keep), HEAP_DUMP=FILE
// (a heap dump with the subscriptions open, for bench/tools/heap_holders.py),
// BROWSER_HEADERS=1 (upgrade requests with a browser's extra headers and a cookie, lib/subscribers.mjs),
// and those of lib/replica.mjs (PROFILE, SERVER_CPUS, DRIVER_CPUS, JVM_OPTS, NOFILE, BOARDCAST_*).
import { execFileSync } from 'node:child_process';
import {
  DURATION, bootstrap, dataset, knob, log, machineNote, median, now, percentiles, psql, rng, round, row,
  sleep, sourceAddresses, writeResult,
} from './lib/common.mjs';
import {
  RAISED_LIMITS, classHistogram, cpuSeconds, growthByLibrary, heapAfterFullGc, histogramGrowth, openFileLimit, replicaNote, rssMiB, startReplica, stopReplica,
} from './lib/replica.mjs';
import { Http, Subscribers, paced } from './lib/load.mjs';
import { Redis } from './lib/resp.mjs';
import { boardChanged } from './lib/documents.mjs';
import { eventLog, latencies, verify } from './lib/analysis.mjs';
import { movable, pick, seqs, shuffle } from './lib/boards.mjs';

// The fixed ports follow BENCH_PORT_BASE (default 19500), so parallel runs do not collide.
const PORT_BASE = knob('BENCH_PORT_BASE', 19500);
const CONFIG = {
  subs: knob('SUBS', 10000),
  perBoard: knob('PER_BOARD', 10),
  duration: DURATION,
  warmup: knob('WARMUP', 10),
  repeats: knob('REPEATS', 1),
  processes: knob('SUB_PROCS', 2),
  openConcurrency: knob('OPEN_CONCURRENCY', 100),
  port: knob('PORT_CAPACITY', PORT_BASE + 110),
  cores: knob('CORES', 2),
};
const CHANNEL = 'boardcast:board:';
const kib = (groups) => groups.filter((g) => g.bytes >= 51.2).map((g) => `${g.library} ${round(g.bytes / 1024, 1)} KiB`).join(', ');

if (await bootstrap()) await main();

async function main() {
  const data = dataset();
  const db = data.db;
  const random = rng(11);
  const { preset, query } = boardChanged();
  const all = psql(db, 'SELECT id FROM boards ORDER BY id').map(([id]) => id);
  shuffle(all, random);
  const boardCount = Math.min(all.length, Math.ceil(CONFIG.subs / CONFIG.perBoard));
  const boards = all.slice(0, boardCount);
  const notes = [];
  if (boardCount * CONFIG.perBoard < CONFIG.subs) {
    notes.push(`the dataset has ${all.length} boards: ${round(CONFIG.subs / boardCount, 1)} subscriptions per board instead of ${CONFIG.perBoard}`);
  }
  const { editors, tasks, columns } = movable(db, boards, data.users, 20);

  const replica = await startReplica({ name: 'capacity', port: CONFIG.port, db });
  const fileLimits = `${openFileLimit(replica.pid)}, ${openFileLimit()}`;
  const http = new Http([replica.url], 256);
  const subscribers = new Subscribers(CONFIG.processes);
  try {
    const move = (board) =>
      http.moveTask(0, pick(editors.get(board), random), pick(tasks.get(board), random), pick(columns.get(board), random));
    const addresses = sourceAddresses();
    const subs = Array.from({ length: CONFIG.subs }, (_, index) => {
      const boardId = boards[index % boards.length];
      return {
        index,
        boardId,
        url: replica.ws,
        token: data.users[index % data.users.length].token,
        localAddress: addresses[index % addresses.length],
        query,
        variables: { boardId },
      };
    });

    // Warm the server up with a few subscriptions and events, then take the baseline heap
    // without any: one-time costs (classes, caches, JIT) do not count per subscription.
    log('warm-up');
    const warm = new Subscribers(1);
    await warm.open(subs.slice(0, Math.min(200, subs.length)).map((sub) => ({ ...sub })), 50);
    await paced(Math.min(boards.length, 200), CONFIG.warmup, (i) => move(boards[i % Math.min(boards.length, 200)]));
    await warm.close();
    await sleep(3000);
    const histogramBefore = classHistogram(replica.pid);
    const heapBefore = heapAfterFullGc(replica.pid);
    log(`heap after full GC before subscriptions: ${round(heapBefore / 1024, 1)} MiB`);

    log(`ramp: ${CONFIG.subs} subscriptions over ${boards.length} boards from ${addresses.length} source addresses`);
    const rampStart = now();
    const opened = await subscribers.open(subs, CONFIG.openConcurrency);
    const rampSeconds = (now() - rampStart) / 1000;
    log(`${opened}/${subs.length} open in ${round(rampSeconds, 1)} s`);
    if (opened < subs.length) notes.push(`only ${opened} of ${subs.length} subscriptions could be opened`);
    const redisCheck = await awaitRedis(boards);
    await sleep(2000);
    const heapWith = heapAfterFullGc(replica.pid);
    const perSubscriptionKiB = (heapWith - heapBefore) / opened;
    // what a subscription retains, class by class (for whoever makes it smaller)
    const histogramWith = classHistogram(replica.pid);
    const growth = histogramGrowth(histogramBefore, histogramWith, opened, knob('HISTOGRAM_TOP', 15));
    const libraries = growthByLibrary(histogramBefore, histogramWith, opened);
    log(`retained per subscription, by class: ${growth.slice(0, knob('HISTOGRAM_TOP', 8)).map((g) => `${g.name} ${round(g.bytes, 0)} B / ${round(g.instances, 2)}`).join(', ')}`);
    log(`retained per subscription, by library: ${kib(libraries)}`);
    log(`heap after full GC with ${opened} subscriptions: ${round(heapWith / 1024, 1)} MiB: ${round(perSubscriptionKiB, 2)} KiB each`);
    if (process.env.HEAP_DUMP) {
      execFileSync('jcmd', [String(replica.pid), 'GC.heap_dump', process.env.HEAP_DUMP], { stdio: 'ignore' });
      log(`heap dump with the subscriptions: ${process.env.HEAP_DUMP} (bench/tools/heap_holders.py reads it)`);
    }

    const startSeqs = seqs(db, boards);
    const phases = [];
    for (let r = 0; r < CONFIG.repeats; r++) {
      log(`steady ${r + 1}/${CONFIG.repeats}: one event per board per second (${boards.length}/s) for ${CONFIG.duration} s`);
      const before = seqs(db, boards);
      const cpu0 = cpuSeconds(replica.pid);
      const t0 = now();
      const calls = await paced(boards.length, CONFIG.duration, (i) => move(boards[i % boards.length]));
      const wall = (now() - t0) / 1000;
      const cpu = (cpuSeconds(replica.pid) - cpu0) / wall;
      await sleep(3000);
      const after = seqs(db, boards);
      phases.push({ calls, wall, cpu, ranges: new Map(boards.map((id) => [id, [before.get(id), after.get(id)]])), rss: rssMiB(replica.pid) });
      log(`  server CPU ${round((100 * cpu) / CONFIG.cores, 1)}% of ${CONFIG.cores} cores`);
    }

    const endSeqs = seqs(db, boards);
    const expected = subs.reduce((sum, sub) => sum + endSeqs.get(sub.boardId) - startSeqs.get(sub.boardId), 0);
    const drained = await subscribers.drain(expected);
    log(`deliveries drained ${round(drained, 1)} s after the last phase`);
    // the same, after the events: what a subscription keeps per event it delivered counts too
    const heapAfterEvents = heapAfterFullGc(replica.pid);
    const perSubscriptionAfterKiB = (heapAfterEvents - heapBefore) / opened;
    const eventsEach = expected / subs.length;
    const histogramAfterEvents = classHistogram(replica.pid);
    const growthAfterEvents = histogramGrowth(histogramBefore, histogramAfterEvents, opened, knob('HISTOGRAM_TOP', 15));
    const librariesAfterEvents = growthByLibrary(histogramBefore, histogramAfterEvents, opened);
    log(`heap after full GC after ${round(eventsEach, 0)} events per subscription: ${round(heapAfterEvents / 1024, 1)} MiB: ${round(perSubscriptionAfterKiB, 2)} KiB each`);
    log(`retained per subscription after the events, by class: ${growthAfterEvents.slice(0, knob('HISTOGRAM_TOP', 8)).map((g) => `${g.name} ${round(g.bytes, 0)} B / ${round(g.instances, 2)}`).join(', ')}`);
    const records = await subscribers.records('capacity');
    const stats = await subscribers.stats();
    const eventsLog = eventLog(db, boards, startSeqs);
    const checks = verify(records, subs, startSeqs, endSeqs);
    const boardIndex = new Map(boards.map((id, i) => [id, i]));
    const summaries = phases.map((phase) => {
      const { commit } = latencies(records, subs, boardIndex, eventsLog, phase.ranges);
      const latency = percentiles(commit);
      const responses = percentiles(phase.calls.map((c) => c.done - c.scheduled));
      const failures = {};
      for (const call of phase.calls) if (!call.ok) failures[call.code] = (failures[call.code] || 0) + 1;
      const committed = [...phase.ranges.values()].reduce((sum, [a, b]) => sum + (b - a), 0);
      return {
        deliveries: latency.n,
        p50: round(latency.p50, 2),
        p95: round(latency.p95, 2),
        p99: round(latency.p99, 2),
        max: round(latency.max, 2),
        cpuPercentOfCores: round((100 * phase.cpu) / CONFIG.cores, 1),
        commitsPerSecond: round(committed / phase.wall, 1),
        offeredPerSecond: boards.length,
        responseP50: round(responses.p50, 2),
        responseP99: round(responses.p99, 2),
        failures,
        rssMiB: round(phase.rss, 0),
      };
    });
    summaries.forEach((s, i) => log(`steady ${i + 1}: ${JSON.stringify(s)}`));
    log(`delivery check: ${JSON.stringify(checks)}`);
    const errors = stats.counters.map((c) => ({ errors: c.errors, closes: c.closes, completes: c.completes }));
    const overloaded = stats.counters.reduce((sum, c) => sum + (c.overloaded || 0), 0);
    if (overloaded) notes.push(`${overloaded} subscribes refused as overload (503's graphql-ws twin) and sent again after Retry-After`);
    const resubscribed = stats.counters.reduce((sum, c) => sum + c.resubscribed, 0);
    if (errors.some((e) => Object.keys(e.errors).length || e.completes)) notes.push(`subscriber errors: ${JSON.stringify(errors)}`);

    const p95 = median(summaries.map((s) => s.p95));
    const cpu = median(summaries.map((s) => s.cpuPercentOfCores));
    const rate = median(summaries.map((s) => s.commitsPerSecond));
    const faults = checks.lost + checks.duplicated + checks.reordered;
    const load = `${rate} mutations/s and ${round(rate * (opened / boards.length), 0)} deliveries/s took ${cpu}% of ${CONFIG.cores} cores (profile: PROFILE=1, node bench/profile.mjs)`;
    const rows = [
      row(`subscriptions open on one replica (of ${CONFIG.subs})`, opened, 'subscriptions', {
        target: `${CONFIG.subs}`,
        met: opened === CONFIG.subs,
        detail: `ramp ${round(rampSeconds, 1)} s (${round(opened / rampSeconds, 0)}/s, ${CONFIG.openConcurrency} concurrent opens)`,
      }),
      row('capacity: commit → event received, p95', p95, 'ms', {
        target: '≤ 250 ms',
        met: p95 <= 250,
        ...(p95 > 250 ? { limit: rate < boards.length * 0.95 ? `the replica did not keep up: ${load}` : load } : {}),
      }),
      row(`capacity: events committed (1 per board per second, ${boards.length}/s offered)`, rate, 'mutations/s', {
        ...(rate < boards.length * 0.95 ? { limit: 'the driver/server could not sustain the offered rate next to the sockets (see notes)' } : {}),
      }),
      row('capacity: server CPU during the steady phase', cpu, `% of ${CONFIG.cores} cores`, {
        target: '≤ 75%',
        met: cpu <= 75,
        ...(cpu > 75 ? { limit: load } : {}),
      }),
      row('capacity: retained heap per subscription (after full GC, before any event)', perSubscriptionKiB, 'KiB', {
        target: '≤ 20 KB',
        met: perSubscriptionKiB * 1.024 <= 20,
        ...(perSubscriptionKiB * 1.024 > 20
          ? { limit: `each subscription is a long-running GraphQL request holding its own state, by library: ${kib(libraries)}` }
          : {}),
        detail: `${round(heapBefore / 1024, 1)} MiB before, ${round(heapWith / 1024, 1)} MiB with ${opened} subscriptions`,
      }),
      row(`capacity: retained heap per subscription (after full GC, after the steady phases: ${round(eventsEach, 0)} events delivered to each)`, perSubscriptionAfterKiB, 'KiB', {
        target: '≤ 20 KB',
        met: perSubscriptionAfterKiB * 1.024 <= 20,
        ...(perSubscriptionAfterKiB * 1.024 > 20
          ? { limit: `the state each subscription holds (a subscription keeps nothing per event it delivered when this is no larger than before the events), by library: ${kib(librariesAfterEvents)}` }
          : {}),
        detail: `${round(heapAfterEvents / 1024, 1)} MiB with ${opened} subscriptions after the events`,
      }),
      row('capacity: Redis subscriptions per watched board (PUBSUB NUMSUB)', redisCheck.maxPerBoard, 'per board', {
        target: '1 per board per replica',
        met: redisCheck.wrong === 0,
        detail: `${redisCheck.wrong} boards with a count ≠ 1; PUBSUB CHANNELS boardcast:board:* lists ${redisCheck.ours} of our ${boards.length} boards (${redisCheck.total} in all)`,
      }),
      row('capacity: subscriptions the server ended as slow consumers (resumed with their cursor)', resubscribed, 'subscriptions', {
        target: '0',
        met: resubscribed === 0,
      }),
      row('capacity: lost / duplicated / reordered events', faults, 'events', {
        target: '0 / 0 / 0',
        met: faults === 0,
        detail: `${checks.lost} / ${checks.duplicated} / ${checks.reordered} of ${checks.expected} expected deliveries`,
      }),
    ];
    writeResult('capacity', {
      section: 'Subscription capacity',
      setup:
        `1 replica (port ${CONFIG.port}) with Redis; ${CONFIG.subs} idle boardChanged subscriptions (selection "${preset}"), one WebSocket each, ` +
        `over ${boards.length} boards, from ${addresses.length} source addresses (${addresses[0]}–${addresses.at(-1)}), held by ${CONFIG.processes} Node processes; ` +
        `one moveTask per board per second over HTTP (open-loop), ${CONFIG.duration} s × ${CONFIG.repeats} (medians). ` +
        `Heap: jcmd GC.run then GC.heap_info, before (after a warm-up with 200 subscriptions, closed), with the subscriptions, and again after the steady phases. ` +
        `Raised for the run: open files ${fileLimits} (server, driver); server env ${JSON.stringify(RAISED_LIMITS)}. ${replicaNote()}; ${machineNote()}.`,
      rows,
      notes: [
        ...notes,
        `Retained per subscription, the classes that grew most (bytes / instances per subscription): ${growth
          .slice(0, 8)
          .map((g) => `${g.name} ${round(g.bytes, 0)} B / ${round(g.instances, 1)}`)
          .join('; ')}`,
        `Late deliveries were waited for ${round(drained, 1)} s after the last phase before the delivery check.`,
      ],
      raw: { repeats: summaries, deliveryCheck: checks, retainedPerSubscription: growth, retainedPerSubscriptionAfterEvents: growthAfterEvents, byLibrary: libraries, byLibraryAfterEvents: librariesAfterEvents },
    });
  } finally {
    await subscribers.close().catch(() => {});
    await http.close();
    await stopReplica(replica);
  }
}

/** Waits for one Redis subscription per board; returns what Redis shows. */
async function awaitRedis(boards) {
  const redis = new Redis();
  await redis.connect();
  try {
    const deadline = Date.now() + 60_000;
    let wrong = boards.length;
    let maxPerBoard = 0;
    while (Date.now() < deadline) {
      wrong = 0;
      maxPerBoard = 0;
      for (let i = 0; i < boards.length; i += 500) {
        const reply = await redis.command('PUBSUB', 'NUMSUB', ...boards.slice(i, i + 500).map((id) => CHANNEL + id));
        for (let j = 1; j < reply.length; j += 2) {
          if (reply[j] !== 1) wrong++;
          maxPerBoard = Math.max(maxPerBoard, reply[j]);
        }
      }
      if (wrong === 0) break;
      await sleep(500);
    }
    const channels = await redis.command('PUBSUB', 'CHANNELS', `${CHANNEL}*`);
    const mine = new Set(boards.map((id) => CHANNEL + id));
    const ours = channels.filter((channel) => mine.has(channel)).length;
    log(`Redis: ${wrong} boards without exactly one subscription; ${ours} of our channels, ${channels.length} in all`);
    return { wrong, maxPerBoard, ours, total: channels.length };
  } finally {
    redis.close();
  }
}

