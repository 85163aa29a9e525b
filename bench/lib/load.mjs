// Load on both sides of the real-time path: subscriber processes (graphql-ws) and an
// open-loop, rate-paced mutation driver over HTTP (undici).
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { WORK, now, sleep } from './common.mjs';

/** Subscriptions spread over child processes, each recording (index, seq, received at). */
export class Subscribers {
  constructor(processes = 2) {
    this.children = [];
    const cpus = process.env.DRIVER_CPUS;
    for (let i = 0; i < processes; i++) {
      const child = fork(join(import.meta.dirname, 'subscribers.mjs'), [], {
        execArgv: ['--max-old-space-size=2048'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.setMaxListeners(50);
      this.children.push(child);
    }
    this.cpus = cpus;
  }

  request(child, message, reply) {
    return new Promise((resolve) => {
      const listener = (answer) => {
        if (answer.cmd === reply) {
          child.off('message', listener);
          resolve(answer);
        }
      };
      child.on('message', listener);
      child.send(message);
    });
  }

  all(message, reply) {
    return Promise.all(this.children.map((child) => this.request(child, message, reply)));
  }

  /** Opens subscriptions (each {index, url, token, boardId, localAddress, query, variables}). */
  async open(subs, concurrency = 50) {
    const shares = this.children.map(() => []);
    subs.forEach((sub, i) => shares[i % shares.length].push(sub));
    const answers = await Promise.all(
      this.children.map((child, i) => this.request(child, { cmd: 'open', subs: shares[i], concurrency }, 'opened')),
    );
    return answers.reduce((sum, answer) => sum + answer.ok, 0);
  }

  async stats() {
    const answers = await this.all({ cmd: 'stats' }, 'stats');
    return {
      open: answers.reduce((sum, a) => sum + a.open, 0),
      recorded: answers.reduce((sum, a) => sum + a.recorded, 0),
      counters: answers.map((a) => a.counters),
    };
  }

  /**
   * Waits until `expected` events have been recorded in all, or nothing new arrived for
   * `quietMs`: a lagging server still delivers after the load stops, and only what never
   * arrives is lost. Resolves with the seconds waited.
   */
  async drain(expected, quietMs = 15_000) {
    const start = now();
    let last = -1;
    let lastChange = start;
    for (;;) {
      const { recorded } = await this.stats();
      if (recorded >= expected) break;
      if (recorded !== last) {
        last = recorded;
        lastChange = now();
      } else if (now() - lastChange > quietMs) break;
      await sleep(250);
    }
    return (now() - start) / 1000;
  }

  async reset() {
    await this.all({ cmd: 'reset' }, 'reset');
  }

  /** Every record so far as a Float64Array of (index, seq, receivedAt) triples. */
  async records(name) {
    const parts = [];
    for (let i = 0; i < this.children.length; i++) {
      const file = join(WORK, `${name}-${i}.bin`);
      await this.request(this.children[i], { cmd: 'dump', file }, 'dumped');
      const bytes = readFileSync(file);
      parts.push(new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8));
    }
    const all = new Float64Array(parts.reduce((sum, p) => sum + p.length, 0));
    let offset = 0;
    for (const part of parts) {
      all.set(part, offset);
      offset += part.length;
    }
    return all;
  }

  async close() {
    const answers = await this.all({ cmd: 'close' }, 'closed');
    return answers.map((a) => a.counters);
  }
}

const MOVE = 'mutation Move($input: MoveTaskInput!) { moveTask(input: $input) { task { id version } } }';

/** GraphQL over HTTP to the replicas, through one connection pool each. */
export class Http {
  constructor(urls, connections = 64, { localAddress, timeout = 30_000 } = {}) {
    this.pools = urls.map(
      (url) =>
        new Pool(url, {
          connections,
          pipelining: 1,
          keepAliveTimeout: 60_000,
          headersTimeout: timeout,
          bodyTimeout: timeout,
          ...(localAddress ? { connect: { localAddress } } : {}),
        }),
    );
  }

  /** POST /graphql; resolves {status, body, error} and never rejects. */
  post(replica, token, query, variables, headers = {}) {
    return this.raw(replica, token, JSON.stringify({ query, variables }), headers);
  }

  /** POST /graphql with any body. */
  async raw(replica, token, body, headers = {}) {
    try {
      const response = await this.pools[replica].request({
        path: '/graphql',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body,
      });
      const text = await response.body.text();
      return { status: response.statusCode, body: text };
    } catch (error) {
      return { status: 0, body: '', error: error.code || error.message };
    }
  }

  /** moveTask to the end of a column; resolves with the task's new version (or an error code). */
  async moveTask(replica, token, taskId, columnId) {
    const { status, body, error } = await this.post(replica, token, MOVE, { input: { taskId, columnId } });
    if (status !== 200) return { ok: false, code: error || `HTTP ${status}` };
    const parsed = JSON.parse(body);
    if (parsed.errors) return { ok: false, code: parsed.errors[0]?.extensions?.code || 'GraphQL error' };
    return { ok: true, taskId: parsed.data.moveTask.task.id, version: parsed.data.moveTask.task.version };
  }

  async close() {
    await Promise.all(this.pools.map((pool) => pool.close()));
  }
}

/**
 * Open-loop load: calls fire(i) at start + i / rate for `seconds`, without waiting for
 * earlier calls (a slow server does not slow the offered rate: no coordinated omission).
 * Resolves with each call's {scheduled, sent, done, ...result} once all have finished.
 */
export async function paced(rate, seconds, fire) {
  const total = Math.round(rate * seconds);
  const start = now() + 5;
  const calls = [];
  let i = 0;
  while (i < total) {
    const t = now();
    while (i < total && start + (i * 1000) / rate <= t) {
      const scheduled = start + (i * 1000) / rate;
      const index = i;
      calls.push(
        (async () => {
          const sent = now();
          const result = await fire(index);
          return { scheduled, sent, done: now(), ...result };
        })(),
      );
      i++;
    }
    // timers fire about 1 ms late at best; calls due meanwhile go out together
    await sleep(Math.max(1, Math.min(start + (i * 1000) / rate - now(), 50)));
  }
  return Promise.all(calls);
}

/**
 * Open-loop load with a cap: fire(i) at `rate` per second for `seconds`, but never more than
 * `cap` unanswered at once (a call due while the cap is reached is skipped and counted: the
 * server is not keeping up). Resolves {offered, sent, skipped, outcomes: {outcome: count}}
 * once every sent call has settled.
 */
export async function capped(rate, seconds, cap, fire) {
  const total = Math.round(rate * seconds);
  const start = now();
  const outcomes = {};
  const pending = new Set();
  let sent = 0;
  let skipped = 0;
  let i = 0;
  while (i < total) {
    const t = now();
    while (i < total && start + (i * 1000) / rate <= t) {
      const index = i++;
      if (pending.size >= cap) {
        skipped++;
        continue;
      }
      sent++;
      const call = Promise.resolve()
        .then(() => fire(index))
        .then(
          (outcome) => {
            outcomes[outcome] = (outcomes[outcome] || 0) + 1;
          },
          (error) => {
            const outcome = `driver error: ${error.message}`;
            outcomes[outcome] = (outcomes[outcome] || 0) + 1;
          },
        )
        .finally(() => pending.delete(call));
      pending.add(call);
    }
    await sleep(Math.max(1, Math.min(start + (i * 1000) / rate - now(), 50)));
  }
  await Promise.all(pending);
  return { offered: total, sent, skipped, outcomes, seconds: (now() - start) / 1000 };
}
