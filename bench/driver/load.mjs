// Load driver of the board-read and write-path benchmarks (bench/read.sh, bench/write.sh).
//
//   node load.mjs --url http://127.0.0.1:PORT/graphql --workload read|move [--rate R | --concurrency N]
//                 --duration S [--warmup S] [--connections C] [--template file --ids file] [--tasks file]
//                 --tokens file
//
// --rate R: open loop. Request i is due at start + i/R whatever happened to the earlier ones, and
//   its latency is counted from that due time to the end of its response, so a stalled server (or
//   a stalled driver) shows up in the percentiles instead of silently lowering the load: no
//   coordinated omission. Requests beyond the free connections wait in the client's queue, and that
//   wait counts too.
// --concurrency N: closed loop, N clients each sending its next request when the last one answered
//   (for the maximum throughput; its latencies are not the ones to quote).
//
// Workloads: "read" posts a template (JSON body, %ID% replaced by a random id of --ids) with a random
//   token of --tokens. "move" sends moveTask for a random task of a random board (from --tasks, a CSV
//   of board_id,column_ids(5, ;-separated),task_id,column_id): half of the moves go right after
//   another random task of the board (afterId, into that task's column), half to the end of a random
//   column; it tracks where each task is from its own successful moves, and avoids boards with a
//   move in flight (when it can), so that a neighbour cannot move away underneath a request.
// Prints one JSON object: sent, ok, errors, firstErrors, statuses {HTTP status: count}, seconds, rate,
// latencyMs {p50,p90,p99,p999,max} over every request, okLatencyMs the same over the answered ones.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Pool } from "undici";

const { values: opt } = parseArgs({
  options: {
    url: { type: "string" }, workload: { type: "string", default: "read" },
    rate: { type: "string" }, concurrency: { type: "string" },
    duration: { type: "string", default: "10" }, warmup: { type: "string", default: "0" },
    connections: { type: "string", default: "64" },
    template: { type: "string" }, ids: { type: "string" }, tasks: { type: "string" }, tokens: { type: "string" },
  },
});
const url = new URL(opt.url);
const pool = new Pool(url.origin, { connections: Number(opt.connections), pipelining: 1, keepAliveTimeout: 60_000 });
const lines = (file) => readFileSync(file, "utf8").split("\n").filter((line) => line.length > 0);
const tokens = lines(opt.tokens).map((token) => `Bearer ${token}`);
const pick = (array) => array[Math.floor(Math.random() * array.length)];

function readWorkload() {
  const [before, after] = readFileSync(opt.template, "utf8").trim().split("%ID%");
  const ids = lines(opt.ids);
  return () => ({ body: before + pick(ids) + after, done() {} });
}

function moveWorkload() {
  const boards = new Map();
  for (const line of lines(opt.tasks)) {
    const [boardId, columns, taskId, columnId] = line.split(",");
    let board = boards.get(boardId);
    if (!board) boards.set(boardId, (board = { id: boardId, columns: columns.split(";"), tasks: [], busy: 0 }));
    board.tasks.push({ id: taskId, column: columnId });
  }
  const all = [...boards.values()];
  const query = "mutation Move($input: MoveTaskInput!) { moveTask(input: $input) { task { id version } } }";
  return () => {
    let board = pick(all);
    for (let tries = 0; board.busy > 0 && tries < 20; tries++) board = pick(all);
    const task = pick(board.tasks);
    const input = { taskId: task.id };
    if (Math.random() < 0.5) {
      let neighbour = pick(board.tasks);
      while (neighbour === task) neighbour = pick(board.tasks);
      input.columnId = neighbour.column;
      input.afterId = neighbour.id;
    } else {
      input.columnId = pick(board.columns);
    }
    board.busy++;
    return {
      body: JSON.stringify({ query, variables: { input } }),
      done(ok) {
        board.busy--;
        if (ok) task.column = input.columnId;
      },
    };
  };
}

const next = opt.workload === "move" ? moveWorkload() : readWorkload();
let recording = false;
const latencies = [];
const okLatencies = [];
const stats = { sent: 0, ok: 0, errors: 0, firstErrors: [], statuses: {} };

async function send(due) {
  const counted = recording;
  const request = next();
  let ok = false;
  let status = 'failed';
  try {
    const response = await pool.request({
      path: url.pathname, method: "POST", body: request.body,
      headers: { "content-type": "application/json", accept: "application/json", authorization: pick(tokens) },
    });
    const text = await response.body.text();
    status = response.statusCode;
    ok = response.statusCode === 200 && !text.includes('"errors"');
    if (!ok && counted && stats.firstErrors.length < 5) stats.firstErrors.push(`${response.statusCode} ${text.slice(0, 300)}`);
  } catch (error) {
    if (counted && stats.firstErrors.length < 5) stats.firstErrors.push(String(error));
  }
  request.done(ok);
  if (counted) {
    latencies.push(performance.now() - due);
    if (ok) okLatencies.push(latencies[latencies.length - 1]);
    stats.statuses[status] = (stats.statuses[status] || 0) + 1;
    stats.sent++;
    if (ok) stats.ok++; else stats.errors++;
  }
}

async function openLoop(rate, seconds) {
  const start = performance.now();
  const total = Math.round(rate * seconds);
  const inFlight = new Set();
  let i = 0;
  while (i < total) {
    const now = performance.now();
    // everything due by now goes out now, each with its own due time
    while (i < total && start + (i * 1000) / rate <= now) {
      const promise = send(start + (i * 1000) / rate);
      inFlight.add(promise);
      promise.finally(() => inFlight.delete(promise));
      i++;
    }
    const wait = start + (i * 1000) / rate - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(wait, 5))));
  }
  await Promise.all(inFlight);
}

async function closedLoop(clients, seconds) {
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < end) await send(performance.now());
  }));
}

const run = (seconds) => (opt.rate ? openLoop(Number(opt.rate), seconds) : closedLoop(Number(opt.concurrency), seconds));
if (Number(opt.warmup) > 0) await run(Number(opt.warmup));
recording = true;
const started = performance.now();
await run(Number(opt.duration));
const seconds = (performance.now() - started) / 1000;
await pool.close();

const percentiles = (values) => {
  values.sort((a, b) => a - b);
  const at = (q) => (values.length ? Math.round(values[Math.min(values.length - 1, Math.ceil(q * values.length) - 1)] * 100) / 100 : null);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: at(1) };
};
console.log(JSON.stringify({
  ...stats, seconds: Math.round(seconds * 100) / 100, rate: Math.round((stats.sent / seconds) * 10) / 10,
  latencyMs: percentiles(latencies), okLatencyMs: percentiles(okLatencies),
}));
