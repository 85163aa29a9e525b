#!/usr/bin/env node
// Issue 7, measurement 2: fan-out latency. Two replicas on one PostgreSQL and Redis; WATCHED
// boardChanged subscribers on one board (half per replica) and OTHERS on other boards, one
// WebSocket each; RATE moveTask/s on the watched board, alternating replicas. Latency is
// event received - commit (the event's `at`, read with microseconds from the log). Reference in
// the same run: a raw Redis publish -> subscribe round trip at the same rate and message size.
// After each steady phase, the same at LIGHT_RATE/s (0: not run): the path's latency with the
// replicas mostly idle, to tell their CPU apart from the path itself.
// Then bursts of BURST_RATE mutations/s for BURST_SECONDS: on the watched board alone (its
// writes serialize on the board's row lock) and spread over every subscribed board.
// Writes bench/work/results/fanout.json. A benchmark: it never fails a build.
// Knobs (environment): WATCHED=50 OTHERS=950 RATE=100 DURATION=30 WARMUP=10 BURST_RATE=1000
// BURST_SECONDS=10 LIGHT_RATE=10 REPEATS=1 SUB_PROCS=2 EVENT_FIELDS=flat|readme|web PORT_A=BENCH_PORT_BASE+101 PORT_B=BENCH_PORT_BASE+102 (19601, 19602),
// and those of lib/replica.mjs (PROFILE, SERVER_CPUS, DRIVER_CPUS, JVM_OPTS, BOARDCAST_*).
import {
  DURATION, WORK, bootstrap, dataset, knob, log, machineNote, median, now, percentiles, psql, rng, round, row,
  sleep, sourceAddresses, writeResult,
} from './lib/common.mjs';
import { RAISED_LIMITS, cpuSeconds, deliveryMetrics, replicaNote, startReplica, stopReplica } from './lib/replica.mjs';
import { Http, Subscribers, paced } from './lib/load.mjs';
import { Redis } from './lib/resp.mjs';
import { boardChanged } from './lib/documents.mjs';
import { eventLog, latencies, verify } from './lib/analysis.mjs';
import { movable, pick, seqs, shuffle } from './lib/boards.mjs';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The fixed ports follow BENCH_PORT_BASE (default 19500), so parallel runs do not collide.
const PORT_BASE = knob('BENCH_PORT_BASE', 19500);
const CONFIG = {
  watched: knob('WATCHED', 50),
  others: knob('OTHERS', 950),
  rate: knob('RATE', 100),
  duration: DURATION,
  warmup: knob('WARMUP', 10),
  burstRate: knob('BURST_RATE', 1000),
  burstSeconds: knob('BURST_SECONDS', 10),
  lightRate: knob('LIGHT_RATE', 10),
  repeats: knob('REPEATS', 1),
  processes: knob('SUB_PROCS', 2),
  ports: [knob('PORT_A', PORT_BASE + 101), knob('PORT_B', PORT_BASE + 102)],
};
const CHANNEL = 'boardcast:board:';

if (await bootstrap()) await main();

async function main() {
  const data = dataset();
  const db = data.db;
  const random = rng(7);
  const { preset, query } = boardChanged();
  const boards = psql(db, 'SELECT id FROM boards ORDER BY id').map(([id]) => id);
  shuffle(boards, random);
  const watched = boards[0];
  const others = boards.slice(1, 1 + Math.min(CONFIG.others, boards.length - 1));
  const subscribed = [watched, ...others];
  const boardIndex = new Map(subscribed.map((id, i) => [id, i]));
  const { editors, tasks, columns } = movable(db, subscribed, data.users, 50);
  log(`watched board ${watched}; ${others.length} other boards; ${tasks.get(watched)?.length} tasks to move`);

  const replicas = await Promise.all(CONFIG.ports.map((port, i) => startReplica({ name: `fanout-${'ab'[i]}`, port, db })));
  const http = new Http(replicas.map((r) => r.url), 128);
  const subscribers = new Subscribers(CONFIG.processes);
  const observer = new Redis();
  const notes = [];
  try {
    // One move on a board: a random task of it to the end of a random column of it.
    let alternate = 0;
    const move = (board) =>
      http.moveTask(alternate++ % replicas.length, pick(editors.get(board), random), pick(tasks.get(board), random), pick(columns.get(board), random));

    // Subscriptions: one per socket, over the source addresses, half on each replica.
    const addresses = sourceAddresses();
    const subs = [];
    const add = (boardId, replica) => {
      const index = subs.length;
      const members = data.users;
      subs.push({
        index,
        boardId,
        url: replicas[replica].ws,
        token: members[index % members.length].token,
        localAddress: addresses[index % addresses.length],
        query,
        variables: { boardId },
      });
    };
    for (let i = 0; i < CONFIG.watched; i++) add(watched, i % replicas.length);
    for (let i = 0; i < CONFIG.others; i++) add(others[i % others.length], i % replicas.length);
    const t0 = now();
    const opened = await subscribers.open(subs, 50);
    log(`${opened}/${subs.length} subscriptions open in ${round((now() - t0) / 1000, 1)} s`);
    if (opened < subs.length) notes.push(`only ${opened} of ${subs.length} subscriptions could be opened`);
    await awaitRedisSubscriptions(subs, replicas.length);

    const startSeqs = seqs(db, subscribed);
    await observer.connect();
    const observed = new Map();
    const sizes = [];
    await observer.subscribe([CHANNEL + watched], (channel, message, at) => {
      const seq = Number(/"seq":(\d+)/.exec(message)?.[1]);
      observed.set(seq, at);
      if (sizes.length < 1000) sizes.push(Buffer.byteLength(message));
    });
    await sleep(200);

    log(`warm-up: ${CONFIG.rate}/s for ${CONFIG.warmup} s`);
    await paced(CONFIG.rate, CONFIG.warmup, () => move(watched));
    await sleep(2000);
    const messageSize = Math.round(median(sizes));
    log(`a Boardcast event on Redis is ${messageSize} bytes`);

    const repeats = [];
    for (let r = 0; r < CONFIG.repeats; r++) {
      log(`repeat ${r + 1}/${CONFIG.repeats}: raw Redis reference, ${CONFIG.rate}/s for ${CONFIG.duration} s`);
      const reference = await redisReference(CONFIG.rate, CONFIG.duration, messageSize);
      log(`  Redis p50 ${round(reference.p50, 3)} p99 ${round(reference.p99, 3)} p99.9 ${round(reference.p99_9, 3)} ms`);
      const wake = roundTrips(db);
      log(`  PostgreSQL SELECT 1, mean: ${JSON.stringify(wake)} ms`);

      log(`  steady: ${CONFIG.rate} moveTask/s on the watched board for ${CONFIG.duration} s`);
      const steady = await phase([watched], CONFIG.rate, CONFIG.duration, () => move(watched));
      let light = null;
      if (CONFIG.lightRate > 0) {
        log(`  light: ${CONFIG.lightRate} moveTask/s on the watched board for ${CONFIG.duration} s`);
        light = await phase([watched], CONFIG.lightRate, CONFIG.duration, () => move(watched));
      }
      log(`  burst on one board: ${CONFIG.burstRate}/s for ${CONFIG.burstSeconds} s`);
      const burstOne = await phase([watched], CONFIG.burstRate, CONFIG.burstSeconds, () => move(watched));
      log(`  burst over ${subscribed.length} boards: ${CONFIG.burstRate}/s for ${CONFIG.burstSeconds} s`);
      const burstSpread = await phase(subscribed, CONFIG.burstRate, CONFIG.burstSeconds, () => move(pick(subscribed, random)));
      repeats.push({ reference, wake, steady, light, burstOne, burstSpread });
    }

    const endSeqs = seqs(db, subscribed);
    const expected = subs.reduce((sum, sub) => sum + endSeqs.get(sub.boardId) - startSeqs.get(sub.boardId), 0);
    const drained = await subscribers.drain(expected);
    log(`deliveries drained ${round(drained, 1)} s after the last phase`);
    const records = await subscribers.records('fanout');
    const stats = await subscribers.stats();
    const eventsLog = eventLog(db, subscribed, startSeqs);
    const checks = verify(records, subs, startSeqs, endSeqs);
    log(`delivery check: ${JSON.stringify(checks)}`);

    const summaries = repeats.map((rep) => ({
      reference: rep.reference,
      wake: rep.wake,
      steady: summarize(rep.steady, records, subs, boardIndex, eventsLog, observed),
      light: rep.light && summarize(rep.light, records, subs, boardIndex, eventsLog, observed),
      burstOne: summarize(rep.burstOne, records, subs, boardIndex, eventsLog, observed),
      burstSpread: summarize(rep.burstSpread, records, subs, boardIndex, eventsLog, null),
    }));
    summaries.forEach((s, i) => log(`repeat ${i + 1}: ${JSON.stringify(s)}`));
    const errors = stats.counters.map((c) => ({ errors: c.errors, closes: c.closes, completes: c.completes }));
    const overloaded = stats.counters.reduce((sum, c) => sum + (c.overloaded || 0), 0);
    if (overloaded) notes.push(`${overloaded} subscribes refused as overload (503's graphql-ws twin) and sent again after Retry-After`);
    const resubscribed = stats.counters.reduce((sum, c) => sum + c.resubscribed, 0);
    if (errors.some((e) => Object.keys(e.errors).length || e.completes)) notes.push(`subscriber errors: ${JSON.stringify(errors)}`);

    notes.push(`Deliveries still arriving after the last phase were waited for ${round(drained, 1)} s before the check.`);
    writeResult('fanout', result(summaries, checks, { preset, messageSize, watched, others: others.length, subs: subs.length, opened, notes, resubscribed }));
  } finally {
    observer.close();
    await subscribers.close().catch(() => {});
    await http.close();
    await Promise.all(replicas.map(stopReplica));
  }

  /** One paced phase on some boards, with the seq range it produced on each. */
  async function phase(boardIds, rate, seconds, fire) {
    const before = seqs(db, boardIds);
    const metricsBefore = await Promise.all(replicas.map(deliveryMetrics));
    const cpuBefore = replicas.map((r) => cpuSeconds(r.pid));
    const started = now();
    const calls = await paced(rate, seconds, fire);
    const offeredFor = now() - started;
    // CPU of each replica while the load was offered, in cores
    const cpu = replicas.map((r, i) => round((cpuSeconds(r.pid) - cpuBefore[i]) / (offeredFor / 1000), 2));
    // let deliveries finish before the next phase starts
    await sleep(3000);
    const after = seqs(db, boardIds);
    const metricsAfter = await Promise.all(replicas.map(deliveryMetrics));
    const ranges = new Map(boardIds.map((id) => [id, [before.get(id), after.get(id)]]));
    const live = metricsAfter.reduce((sum, m, i) => sum + m.live - metricsBefore[i].live, 0);
    const lagSum = metricsAfter.reduce((sum, m, i) => sum + m.lagSum - metricsBefore[i].lagSum, 0);
    const shared = metricsAfter.reduce((sum, m, i) => sum + m.shared - metricsBefore[i].shared, 0);
    return { rate, seconds, calls, ranges, offeredFor, server: { live, shared, meanLagMs: (1000 * lagSum) / live, cpu } };
  }
}

/** Latencies and rates of one phase. */
function summarize(phase, records, subs, boardIndex, eventsLog, observed) {
  const sentAt = new Map();
  const responses = [];
  const failures = {};
  for (const call of phase.calls) {
    responses.push(call.done - call.scheduled);
    if (call.ok) sentAt.set(`${call.taskId}:${call.version}`, call.sent);
    else failures[call.code] = (failures[call.code] || 0) + 1;
  }
  const { commit, fromSend } = latencies(records, subs, boardIndex, eventsLog, phase.ranges, sentAt);
  // commits per second: events in the phase's seq ranges over the span of their commit times
  let first = Infinity;
  let last = -Infinity;
  let events = 0;
  const redisLeg = [];
  let redisInversions = 0;
  for (const [boardId, [from, to]] of phase.ranges) {
    const boardLog = eventsLog.get(boardIndex.get(boardId));
    for (let seq = from + 1; seq <= to; seq++) {
      const event = boardLog?.get(seq);
      if (!event) continue;
      events++;
      first = Math.min(first, event.at);
      last = Math.max(last, event.at);
      const heard = observed?.get(seq);
      if (heard !== undefined) redisLeg.push(heard - event.at);
      // published after a later seq: replicas publish after their own commits, in any order
      if (heard !== undefined && observed.get(seq - 1) > heard) redisInversions++;
    }
  }
  const pct = (values) => {
    const p = percentiles(values);
    return { n: p.n, p50: round(p.p50, 3), p95: round(p.p95, 3), p99: round(p.p99, 3), p99_9: round(p.p99_9, 3), max: round(p.max, 3) };
  };
  return {
    // deliveries the replicas handed over from the live stream (the rest came from the log)
    liveShare: round(phase.server.live / Math.max(1, commit.length), 3),
    // deliveries that took another subscriber's run of the selection (NaN for a server without the metric)
    sharedShare: round(phase.server.shared / Math.max(1, commit.length), 3),
    replicaCpuCores: phase.server.cpu,
    serverMeanLag: round(phase.server.meanLagMs, 2),
    offered: phase.rate,
    mutations: phase.calls.length,
    failures,
    committed: events,
    commitRate: round(events / Math.max(0.001, (last - first) / 1000), 1),
    response: pct(responses),
    commitToReceived: pct(commit),
    sentToReceived: pct(fromSend),
    commitToRedis: observed ? pct(redisLeg) : undefined,
    redisOutOfOrder: observed ? redisInversions : undefined,
  };
}

/**
 * What one round trip to PostgreSQL costs on this machine, back to back and paced at RATE/s
 * and LIGHT_RATE/s: pgbench, one connection, `SELECT 1`, 5 s each, the client on the replicas'
 * core. Paced, each round trip finds the processes asleep, and a virtual CPU that went idle
 * takes time to wake; every hop of the path from commit to subscriber pays that.
 */
function roundTrips(db) {
  const script = join(WORK, 'select1.sql');
  writeFileSync(script, 'SELECT 1;\n');
  const run = (rate) => {
    const args = ['-h', '127.0.0.1', '-U', 'postgres', '-n', '-c', '1', '-T', '5', '-f', script, ...(rate ? ['-R', String(rate)] : []), db];
    const cpus = process.env.SERVER_CPUS;
    const out = cpus ? spawnSync('taskset', ['-c', cpus, 'pgbench', ...args], { encoding: 'utf8' }) : spawnSync('pgbench', args, { encoding: 'utf8' });
    const mean = /latency average = ([0-9.]+) ms/.exec(out.stdout || '');
    return mean ? Number(mean[1]) : null;
  };
  return { backToBack: run(0), atRate: run(CONFIG.rate), atLight: CONFIG.lightRate > 0 ? run(CONFIG.lightRate) : null };
}

/** Raw Redis publish -> subscribe, one publisher and one subscriber, timestamps in the message. */
async function redisReference(rate, seconds, size) {
  const publisher = new Redis();
  const subscriber = new Redis();
  await Promise.all([publisher.connect(), subscriber.connect()]);
  const channel = `boardcast:bench:reference:${process.pid}`;
  const samples = [];
  await subscriber.subscribe([channel], (ch, message, at) => samples.push(at - Number(message.slice(0, message.indexOf(' ')))));
  await sleep(200);
  const padding = 'x'.repeat(Math.max(0, size - 24));
  await paced(rate, seconds, () => {
    publisher.send('PUBLISH', channel, `${now().toFixed(3)} ${padding}`);
    return {};
  });
  await sleep(500);
  publisher.close();
  subscriber.close();
  const p = percentiles(samples);
  return { n: p.n, p50: p.p50, p99: p.p99, p99_9: p.p99_9, max: p.max };
}

/** Waits until Redis shows one subscription per board per replica that has subscribers of it. */
async function awaitRedisSubscriptions(subs, replicaCount) {
  const expected = new Map();
  for (const sub of subs) {
    const set = expected.get(sub.boardId) || new Set();
    set.add(sub.url);
    expected.set(sub.boardId, set);
  }
  const redis = new Redis();
  await redis.connect();
  const deadline = Date.now() + 60_000;
  let wrong = [];
  try {
    while (Date.now() < deadline) {
      wrong = [];
      const ids = [...expected.keys()];
      for (let i = 0; i < ids.length; i += 500) {
        const reply = await redis.command('PUBSUB', 'NUMSUB', ...ids.slice(i, i + 500).map((id) => CHANNEL + id));
        for (let j = 0; j < reply.length; j += 2) {
          const id = reply[j].slice(CHANNEL.length);
          if (reply[j + 1] !== expected.get(id).size) wrong.push([id, reply[j + 1], expected.get(id).size]);
        }
      }
      if (!wrong.length) {
        log(`Redis: every watched board has one subscription per replica watching it (${replicaCount} replicas)`);
        return;
      }
      await sleep(500);
    }
    log(`Redis subscriptions still wrong after 60 s: ${JSON.stringify(wrong.slice(0, 5))}`);
  } finally {
    redis.close();
  }
}

function result(summaries, checks, context) {
  const steady = (key, field) => median(summaries.map((s) => s.steady[key][field]));
  const ref = (field) => median(summaries.map((s) => s.reference[field]));
  const burst = (which, key, field) => median(summaries.map((s) => (field ? s[which][key]?.[field] : s[which][key])));
  const referenceRow = (field, label) => ({ name: `raw Redis publish → subscribe ${label}`, value: round(ref(field), 3), unit: 'ms' });
  const latencyRow = (field, label, target, limit) => {
    const value = steady('commitToReceived', field);
    return row(`fan-out: commit → event received, ${label}`, value, 'ms', {
      reference: referenceRow(field, label),
      ratio: round(value / ref(field), 1),
      target,
      met: value <= Number(target.replace(/[^0-9.]/g, '')),
      ...(value > Number(target.replace(/[^0-9.]/g, '')) ? { limit } : {}),
    });
  };
  const faults = checks.lost + checks.duplicated + checks.reordered;
  const oneRate = burst('burstOne', 'commitRate');
  const oneP99 = burst('burstOne', 'commitToReceived', 'p99');
  const spreadP99 = burst('burstSpread', 'commitToReceived', 'p99');
  // calls that did not commit, by error code (an overloaded replica refuses with RATE_LIMITED, 503)
  const failed = (which) => {
    const counts = summaries.map((s) => Object.values(s[which].failures).reduce((a, b) => a + b, 0));
    const codes = [...new Set(summaries.flatMap((s) => Object.keys(s[which].failures)))];
    return median(counts) > 0 ? `${median(counts)} of ${CONFIG.burstRate * CONFIG.burstSeconds} calls refused or failed (median; ${codes.join(', ')}), none committed` : undefined;
  };
  // What stands between commit and subscriber, in this run's own figures.
  const steadyRate = median(summaries.map((s) => s.steady.commitRate));
  const cores = median(summaries.map((s) => s.steady.replicaCpuCores.reduce((a, b) => a + b, 0)));
  const light = (key, field) => median(summaries.map((s) => s.light[key][field]));
  const wake = (field) => median(summaries.map((s) => s.wake[field]));
  const hasLight = summaries.every((s) => s.light);
  const lightCores = hasLight
    ? Math.round(median(summaries.map((s) => s.light.replicaCpuCores.reduce((a, b) => a + b, 0))) * 100) / 100
    : null;
  // With the light phase: first what the path costs with the replicas mostly idle (each hop
  // waits for a sleeping CPU), then what their CPU adds at the offered rate.
  const lightNote = hasLight
    ? `at ${CONFIG.lightRate}/s (the replicas at ${lightCores} cores) the same path took ${light('commitToReceived', 'p50')} ms (p50), ` +
      `${light('commitToRedis', 'p50')} ms of it to Redis, where one PostgreSQL round trip took ` +
      `${wake('atLight')} ms paced against ${wake('backToBack')} back to back: ` +
      `the path's hops (commit, publish, Redis, the replica's threads, the socket) each wait for a sleeping CPU to wake`
    : '';
  const cpuNote =
    `commit → event on Redis took ${steady('commitToRedis', 'p50')} ms (p50), then commit → hand-over inside the replica ` +
    `${median(summaries.map((s) => s.steady.serverMeanLag))} ms (mean); each event goes to ${CONFIG.watched / 2} subscribers per replica ` +
    `(the selection runs once per replica for ${100 * median(summaries.map((s) => s.steady.sharedShare))}% of the deliveries; ` +
    `per subscriber still graphql-java's wrapper around it, the JSON encoding and the socket write), and the two replicas used ${cores} cores, ` +
    `${round((cores * 1000) / (steadyRate * CONFIG.watched), 3)} ms of CPU per delivery with the mutations' own work, ` +
    `on the one core they share`;
  const behind =
    steadyRate < CONFIG.rate * 0.95 || context.resubscribed
      ? `the replicas did not keep up: the watched board committed ${steadyRate}/s of ${CONFIG.rate}/s offered, the two replicas used ${cores} cores, ` +
        `${context.resubscribed} subscriptions fell 1,000 events behind; events wait in each subscriber's buffer (profile: PROFILE=1, node bench/profile.mjs)`
      : hasLight
        ? `the path's hops, then the replicas' CPU: ${lightNote}; at ${CONFIG.rate}/s, ${cpuNote} (profile: PROFILE=1, node bench/profile.mjs)`
        : `the replicas' CPU: ${cpuNote} (profile: PROFILE=1, node bench/profile.mjs)`;
  const rows = [
    latencyRow('p50', 'p50', '≤ 3 ms', behind),
    latencyRow('p99', 'p99', '≤ 15 ms', behind),
    latencyRow('p99_9', 'p99.9', '≤ 50 ms', behind),
    row('fan-out: lost / duplicated / reordered events (all subscribers, whole run)', faults, 'events', {
      target: '0 / 0 / 0',
      met: faults === 0,
      detail: `${checks.lost} / ${checks.duplicated} / ${checks.reordered} of ${checks.expected} expected deliveries`,
    }),
    row('fan-out: subscriptions the server ended as slow consumers (resumed with their cursor)', context.resubscribed, 'subscriptions', {
      target: '0',
      met: context.resubscribed === 0,
      detail: 'a subscriber more than BOARDCAST_SUBSCRIPTIONS_BUFFER (1,000) events behind is ended with RATE_LIMITED; the driver subscribes again after its last cursor, as clients do, and the delivery check spans both',
      ...(context.resubscribed ? { limit: behind } : {}),
    }),
    row(`fan-out: commits/s achieved on the watched board (${CONFIG.rate}/s offered)`, median(summaries.map((s) => s.steady.commitRate)), 'mutations/s', {
      ...(median(summaries.map((s) => s.steady.commitRate)) < CONFIG.rate * 0.95
        ? { limit: "the board's writes serialize on its row lock: its commit rate is 1 ÷ the time a moveTask transaction holds it" }
        : {}),
    }),
    row('fan-out: mutation sent → event received, p50', steady('sentToReceived', 'p50'), 'ms'),
    row('fan-out: mutation sent → event received, p99', steady('sentToReceived', 'p99'), 'ms'),
    row('fan-out: moveTask response time, p50', steady('response', 'p50'), 'ms'),
    row('fan-out: moveTask response time, p99', steady('response', 'p99'), 'ms'),
    row('fan-out: commit → event on Redis (publish leg), p50', steady('commitToRedis', 'p50'), 'ms'),
    row('fan-out: commit → event on Redis (publish leg), p99', steady('commitToRedis', 'p99'), 'ms'),
    row('fan-out: events that reached Redis after the next seq (each makes the subscribers read the log)', median(summaries.map((s) => s.steady.redisOutOfOrder)), 'events', {
      detail: `of ${median(summaries.map((s) => s.steady.committed))} committed in the measured phase`,
    }),
    row(`fan-out: CPU of the two replicas while ${CONFIG.rate}/s were offered`, median(summaries.map((s) => s.steady.replicaCpuCores.reduce((a, b) => a + b, 0))), 'cores', {
      detail: `per replica: ${summaries.map((s) => s.steady.replicaCpuCores.join(' + ')).join('; ')}`,
    }),
    row('fan-out: deliveries handed over from the live stream (the rest was read back from the log)', 100 * median(summaries.map((s) => s.steady.liveShare)), '%'),
    row('fan-out: commit → hand-over to the subscriber inside the replica, mean (server metric)', median(summaries.map((s) => s.steady.serverMeanLag)), 'ms'),
    row("fan-out: deliveries that took another subscriber's run of the selection (server metric)", 100 * median(summaries.map((s) => s.steady.sharedShare)), '%'),
    row('PostgreSQL round trip (SELECT 1, one connection), mean, back to back', wake('backToBack'), 'ms'),
    row(`PostgreSQL round trip, mean, paced at ${CONFIG.rate}/s`, wake('atRate'), 'ms', {
      detail: 'paced, each round trip finds the client and the server asleep; the difference to back to back is what waking them costs on this machine, paid on every hop from commit to subscriber',
    }),
    ...(hasLight
      ? [
          row(`PostgreSQL round trip, mean, paced at ${CONFIG.lightRate}/s`, wake('atLight'), 'ms'),
          row(`fan-out at ${CONFIG.lightRate} mutations/s (the same warm replicas, mostly idle): commit → event received, p50`, light('commitToReceived', 'p50'), 'ms'),
          row(`fan-out at ${CONFIG.lightRate} mutations/s: commit → event received, p99`, light('commitToReceived', 'p99'), 'ms'),
          row(`fan-out at ${CONFIG.lightRate} mutations/s: commit → event on Redis, p50`, light('commitToRedis', 'p50'), 'ms'),
          row(`fan-out at ${CONFIG.lightRate} mutations/s: CPU of the two replicas`, lightCores, 'cores'),
        ]
      : []),
    row(`burst on one board (${CONFIG.burstRate}/s offered): commits/s achieved`, oneRate, 'mutations/s', {
      limit: oneRate < CONFIG.burstRate * 0.95 ? "one board's writes serialize on its row lock: 1 ÷ the time a moveTask transaction holds it" : undefined,
      detail: failed('burstOne'),
    }),
    row('burst on one board: commit → event received, p99', oneP99, 'ms', {
      target: '≤ 100 ms',
      met: oneP99 <= 100,
      ...(oneP99 > 100
        ? {
            limit:
              oneRate < CONFIG.burstRate * 0.95
                ? `one board's writes serialize on its row lock: ${oneRate} commits/s of ${CONFIG.burstRate}/s offered, and the fan-out of what commits queues in the replicas`
                : `the fan-out of ${oneRate} events/s to the board's subscribers queues in the replicas`,
          }
        : {}),
    }),
    row(`burst over ${context.others + 1} boards (${CONFIG.burstRate}/s offered): commits/s achieved`, burst('burstSpread', 'commitRate'), 'mutations/s', {
      detail: failed('burstSpread'),
    }),
    row(`burst over ${context.others + 1} boards: commit → event received, p99`, spreadP99, 'ms', {
      target: '≤ 100 ms',
      met: spreadP99 <= 100,
      ...(spreadP99 > 100 ? { limit: `${burst('burstSpread', 'commitRate')} commits/s of ${CONFIG.burstRate}/s offered: the replicas' CPU (see the steady phase's) limits writes and fan-out together` } : {}),
    }),
  ];
  return {
    section: 'Fan-out latency',
    setup:
      `2 replicas (ports ${CONFIG.ports.join(', ')}) on one PostgreSQL and Redis; ${CONFIG.watched} boardChanged subscribers ` +
      `on one board (half per replica) + ${CONFIG.others} on ${context.others} other boards, one WebSocket each (${context.opened} open), ` +
      `selection "${context.preset}" (EVENT_FIELDS); ${CONFIG.rate} moveTask/s open-loop on the watched board alternating replicas, ` +
      `${CONFIG.warmup} s warm-up, ${CONFIG.duration} s measured × ${CONFIG.repeats} (medians)` +
      `${CONFIG.lightRate > 0 ? `, each followed by ${CONFIG.duration} s at ${CONFIG.lightRate}/s` : ''}; bursts ${CONFIG.burstRate}/s for ${CONFIG.burstSeconds} s. ` +
      `Latency = received − the event's commit time (board_events.at = clock_timestamp() at the append, read with µs from the log). ` +
      `Reference: raw Redis PUBLISH → SUBSCRIBE, one publisher and one subscriber, same rate, ${context.messageSize}-byte messages. ` +
      `${CONFIG.processes} subscriber processes. Server limits raised: ${JSON.stringify(RAISED_LIMITS)}. ${replicaNote()}; ${machineNote()}.`,
    rows,
    notes: [
      ...context.notes,
      'The API\'s DateTime (graphql-java-extended-scalars 24) shows `at` with millisecond precision (truncated); latency here uses `at` from board_events with microseconds.',
    ],
    raw: { repeats: summaries, deliveryCheck: checks },
  };
}

