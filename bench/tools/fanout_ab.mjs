// CPU per delivered event of two Boardcast jars, measured side by side on the same events, for
// comparing builds of the delivery path on a shared machine whose speed drifts by the minute.
//   node bench/tools/fanout_ab.mjs A.jar B.jar      (or bench/tools/fanout_ab.sh A.jar B.jar)
// Both jars run at once as replicas on the bench database and Redis, pinned to the same core
// (SERVER_CPUS), each with SUBSCRIBERS boardChanged subscribers (EVENT_FIELDS) on the same board.
// Moves on that board, RATE per second alternating between the two, reach both replicas through
// Redis, so in every phase both deliver the same events to as many subscribers, at the same time:
// a slower minute slows both. After WARMUP s, ROUNDS phases of DURATION s each; per phase, each
// replica's CPU time over (events × subscribers), and the latency of its subscribers (commit → event
// received, as in the fan-out benchmark: the same events, so paired); prints each phase, the medians
// and B ÷ A.
// Keep RATE × SUBSCRIBERS low enough that the two leave their core idle part of the time (each
// round prints how busy they kept it): on a saturated core each gets half of it whatever its
// work costs, and the ratio says nothing.
// Needs a dataset (bench/run.sh or bench/dataset.sh). Not a test.
import { DURATION, bootstrap, dataset, knob, log, median, percentiles, psql, rng, round, sleep, sourceAddresses } from '../lib/common.mjs';
import { eventLog } from '../lib/analysis.mjs';
import { cpuSeconds, startReplica, stopReplica } from '../lib/replica.mjs';
import { Http, Subscribers, paced } from '../lib/load.mjs';
import { boardChanged } from '../lib/documents.mjs';
import { movable, pick, seqs } from '../lib/boards.mjs';

const JARS = process.argv.slice(2);
const SUBSCRIBERS = knob('SUBSCRIBERS', 200);
const RATE = knob('RATE', 10);
const WARMUP = knob('WARMUP', 60);
const ROUNDS = knob('ROUNDS', 5);
const BASE = knob('BENCH_PORT_BASE', 19500) + 150;

if (JARS.length !== 2) {
  console.error('usage: fanout_ab.mjs A.jar B.jar');
  process.exit(2);
}
if (await bootstrap()) await main();

async function main() {
  const data = dataset();
  const db = data.db;
  const random = rng(11);
  const { preset, query } = boardChanged();
  const [[board]] = psql(db, 'SELECT id FROM boards ORDER BY id LIMIT 1');
  const { editors, tasks, columns } = movable(db, [board], data.users, 50);
  const replicas = [];
  const subscribers = new Subscribers(2);
  let http;
  try {
    for (const [i, jar] of JARS.entries()) {
      replicas.push(await startReplica({ name: `fanout-ab-${'ab'[i]}`, port: BASE + i, db, jar }));
    }
    http = new Http(replicas.map((r) => r.url), 32);
    const addresses = sourceAddresses();
    const subs = [];
    for (let i = 0; i < SUBSCRIBERS * replicas.length; i++) {
      subs.push({
        index: i,
        boardId: board,
        url: replicas[i % replicas.length].ws,
        token: data.users[i % data.users.length].token,
        localAddress: addresses[i % addresses.length],
        query,
        variables: { boardId: board },
      });
    }
    const opened = await subscribers.open(subs, 50);
    if (opened < subs.length) throw new Error(`only ${opened} of ${subs.length} subscriptions opened`);
    let alternate = 0;
    const move = () =>
      http.moveTask(alternate++ % replicas.length, pick(editors.get(board), random), pick(tasks.get(board), random), pick(columns.get(board), random));
    log(`${JARS.join(' vs ')}: ${SUBSCRIBERS} "${preset}" subscribers each on one board, ${RATE} moves/s; warm-up ${WARMUP} s`);
    await paced(RATE, WARMUP, move);
    await sleep(2000);
    const perDelivery = replicas.map(() => []);
    const latency = replicas.map(() => ({ p50: [], p99: [] }));
    const busyCores = [];
    for (let round_ = 1; round_ <= ROUNDS; round_++) {
      const before = seqs(db, [board]).get(board);
      await subscribers.reset();
      const cpu0 = replicas.map((r) => cpuSeconds(r.pid));
      const started = Date.now();
      await paced(RATE, DURATION, move);
      await sleep(2000); // the phase's last deliveries
      const cpu = replicas.map((r, i) => cpuSeconds(r.pid) - cpu0[i]);
      const busy = (cpu[0] + cpu[1]) / ((Date.now() - started) / 1000);
      const events = seqs(db, [board]).get(board) - before;
      const micros = cpu.map((seconds) => (1e6 * seconds) / (events * SUBSCRIBERS));
      micros.forEach((value, i) => perDelivery[i].push(value));
      // commit → received per replica, over this round's events (subscriber i is on replica i % 2)
      const records = await subscribers.records('fanout-ab');
      const commits = eventLog(db, [board], new Map([[board, before]])).get(0) ?? new Map();
      const byReplica = replicas.map(() => []);
      for (let r = 0; r < records.length; r += 3) {
        const event = commits.get(records[r + 1]);
        if (event) byReplica[records[r] % replicas.length].push(records[r + 2] - event.at);
      }
      const lat = byReplica.map((values) => percentiles(values, [0.5, 0.99]));
      lat.forEach((l, i) => {
        latency[i].p50.push(l.p50);
        latency[i].p99.push(l.p99);
      });
      log(`round ${round_}: ${events} events; CPU per delivery (µs, the moves' own work included): ${micros.map((m) => round(m, 1)).join(' vs ')}; commit → received p50 ${lat.map((l) => round(l.p50, 2)).join(' vs ')} ms, p99 ${lat.map((l) => round(l.p99, 1)).join(' vs ')} ms (${lat.map((l) => l.n).join(' + ')} deliveries); the two used ${round(busy, 2)} cores`);
      busyCores.push(busy);
    }
    const medians = perDelivery.map((values) => median(values));
    const ratios = perDelivery[0].map((a, i) => round(perDelivery[1][i] / a, 3));
    console.log(
      JSON.stringify({
        jars: JARS,
        preset,
        subscribers: SUBSCRIBERS,
        rate: RATE,
        rounds: ROUNDS,
        duration: DURATION,
        microsPerDelivery: medians.map((m) => round(m, 1)),
        ratioBtoA: round(medians[1] / medians[0], 3),
        ratioPerRound: ratios,
        busyCores: round(median(busyCores), 2),
        latencyP50: latency.map((l) => round(median(l.p50), 2)),
        latencyP99: latency.map((l) => round(median(l.p99), 1)),
        latencyP50RatioBtoA: round(median(latency[1].p50.map((b, i) => b / latency[0].p50[i])), 3),
        latencyP99RatioBtoA: round(median(latency[1].p99.map((b, i) => b / latency[0].p99[i])), 3),
      }),
    );
  } finally {
    await subscribers.close().catch(() => {});
    await http?.close();
    await Promise.all(replicas.map(stopReplica));
  }
}
