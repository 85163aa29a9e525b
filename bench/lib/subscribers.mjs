// A child process that holds graphql-ws subscriptions (one per WebSocket) and records, for
// every event, (subscription index, seq, time received). The parent drives it over IPC:
// open, stats, dump (records to a binary file), reset, close. Kept out of the driver's
// process so the mutation driver's work never delays a timestamp here.
import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';
import { now } from './common.mjs';

const sockets = new Map();
let records = new Float64Array(3 * 65536);
let count = 0;
const counters = { opened: 0, acked: 0, failed: 0, messages: 0, nexts: 0, errors: {}, closes: {}, completes: 0, pings: 0, resubscribed: 0, overloaded: 0 };
// A subscription the server ends with an error (e.g. RATE_LIMITED, a slow consumer) subscribes
// again after the cursor of the last event it received, as the README tells clients to do.
const RESUBSCRIBE = process.env.RESUBSCRIBE !== '0';

function record(index, seq, at) {
  if (3 * (count + 1) > records.length) {
    const bigger = new Float64Array(records.length * 2);
    bigger.set(records);
    records = bigger;
  }
  records[3 * count] = index;
  records[3 * count + 1] = seq;
  records[3 * count + 2] = at;
  count++;
}

function bump(map, key) {
  map[key] = (map[key] || 0) + 1;
}

// BROWSER_HEADERS=1: the upgrade request carries what a browser adds to it (user agent,
// languages, encodings, cache headers and a 200-byte cookie), about 500 bytes more.
const BROWSER_HEADERS =
  process.env.BROWSER_HEADERS === '1'
    ? {
        'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
        'Accept-Language': 'en-US,en;q=0.9,de;q=0.8',
        'Accept-Encoding': 'gzip, deflate, br, zstd',
        'Cache-Control': 'no-cache',
        Pragma: 'no-cache',
        Cookie: `_ga=GA1.1.${'1'.repeat(20)}; theme=dark; consent=${'a'.repeat(150)}`,
      }
    : undefined;

function open(sub) {
  return new Promise((resolve) => {
    const socket = new WebSocket(sub.url, 'graphql-transport-ws', {
      localAddress: sub.localAddress,
      perMessageDeflate: false,
      handshakeTimeout: 60_000,
      headers: BROWSER_HEADERS,
    });
    let settled = false;
    let operation = 1;
    let cursor = null;
    const subscribe = () =>
      socket.send(JSON.stringify({ id: String(operation), type: 'subscribe', payload: { query: sub.query, variables: { ...sub.variables, after: cursor } } }));
    const settle = (ok, why) => {
      if (settled) return;
      settled = true;
      if (!ok) {
        counters.failed++;
        bump(counters.errors, why);
      }
      resolve(ok);
    };
    socket.on('open', () => {
      counters.opened++;
      socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${sub.token}` } }));
    });
    socket.on('message', (data) => {
      const at = now();
      counters.messages++;
      const text = data.toString();
      if (text.includes('"type":"next"')) {
        counters.nexts++;
        const match = /"seq":(\d+)/.exec(text);
        if (match) record(sub.index, Number(match[1]), at);
        cursor = /"cursor":"([^"]+)"/.exec(text)?.[1] ?? cursor;
        if (text.includes('"errors"')) bump(counters.errors, 'next with errors: ' + (/"code":"(\w+)"/.exec(text)?.[1] ?? '?'));
        return;
      }
      const message = JSON.parse(text);
      switch (message.type) {
        case 'connection_ack':
          counters.acked++;
          subscribe();
          settle(true);
          break;
        case 'ping':
          counters.pings++;
          socket.send('{"type":"pong"}');
          break;
        case 'error':
          // an overloaded replica refused to start it (503's graphql-ws twin): subscribe again
          // after Retry-After, as a client does; counted, and not as an error
          if (message.payload?.[0]?.extensions?.reason === 'OVERLOADED' && message.id === String(operation)) {
            counters.overloaded++;
            operation++;
            setTimeout(subscribe, 1000 * (message.payload[0].extensions.retryAfterSeconds ?? 1));
            break;
          }
          bump(counters.errors, 'error: ' + (message.payload?.[0]?.extensions?.code ?? message.payload?.[0]?.message ?? '?'));
          if (RESUBSCRIBE && message.id === String(operation) && cursor) {
            counters.resubscribed++;
            operation++;
            subscribe();
          }
          break;
        case 'complete':
          counters.completes++;
          break;
        default:
          break;
      }
    });
    socket.on('error', (error) => settle(false, error.code || error.message));
    socket.on('close', (code) => {
      bump(counters.closes, String(code));
      sockets.delete(sub.index);
      settle(false, `closed ${code}`);
    });
    sockets.set(sub.index, socket);
  });
}

async function openAll(subs, concurrency) {
  let next = 0;
  let ok = 0;
  const worker = async () => {
    while (next < subs.length) {
      const sub = subs[next++];
      if (await open(sub)) ok++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, subs.length) }, worker));
  return ok;
}

process.on('message', async (message) => {
  switch (message.cmd) {
    case 'open': {
      const ok = await openAll(message.subs, message.concurrency || 50);
      process.send({ cmd: 'opened', ok, counters });
      break;
    }
    case 'stats':
      process.send({ cmd: 'stats', open: sockets.size, recorded: count, counters });
      break;
    case 'dump':
      writeFileSync(message.file, Buffer.from(records.buffer, 0, 3 * count * 8));
      process.send({ cmd: 'dumped', count });
      break;
    case 'reset':
      count = 0;
      process.send({ cmd: 'reset' });
      break;
    case 'close':
      for (const socket of sockets.values()) socket.close(1000);
      setTimeout(() => {
        for (const socket of sockets.values()) socket.terminate();
        process.send({ cmd: 'closed', counters }, () => process.exit(0));
      }, 500);
      break;
    default:
      break;
  }
});
process.on('disconnect', () => process.exit(0));
