// Replicas of the built jar for a measurement: started with the bench database and (for
// fan-out) the machine's Redis, raised limits, optional JFR (PROFILE=1) and CPU pinning
// (SERVER_CPUS), stopped when the script ends whatever happens.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, WORK, log, sleep } from './common.mjs';

const JAR = process.env.JAR || join(ROOT, 'app/target/boardcast.jar');
const running = new Set();

/** File descriptors for the server (sockets): raised above the 10,000 subscriptions of capacity. */
export const NOFILE = Number(process.env.NOFILE || 65536);

/**
 * Limits the benchmark lifts on the server, so that the measurement hits the server, not
 * its abuse protections: every BOARDCAST_* variable of the benchmark's own environment is
 * passed on, over these defaults. Reported in each result's "setup".
 */
export const RAISED_LIMITS = {
  // Per-user limits (issue 4): the benchmark's 20 users make the traffic of thousands (up to 500
  // sockets and 50 mutations/s each), which those limits exist to refuse.
  BOARDCAST_RATE_LIMIT_ENABLED: 'false',
  BOARDCAST_WEBSOCKET_CONNECTIONS_PER_USER: '100000',
};

function boardcastEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('BOARDCAST_')));
}

function stopAll(signal) {
  for (const replica of running) {
    try {
      process.kill(replica.pid, signal);
    } catch {
      // already gone
    }
  }
}
process.on('exit', () => stopAll('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopAll('SIGTERM');
    process.exit(130);
  });
}

/**
 * Starts one replica and waits until it is ready. {redis: false} runs the in-process bus
 * (single replica); {raise: false} keeps the server's limits as configured (the flood
 * benchmark measures the protections); {jar} another build than JAR (A/B tools).
 */
export async function startReplica({ name, port, db, redis = true, raise = true, env = {}, jar = JAR }) {
  if (!existsSync(jar)) throw new Error(`${jar} is missing: ./mvnw -B -DskipTests package`);
  const jvm = (process.env.JVM_OPTS || '').split(' ').filter(Boolean);
  if (process.env.PROFILE === '1') {
    // reactive stacks are deep: without a higher stack depth (64 by default) JFR cuts off the
    // frames that say which path a sample is on
    jvm.push('-XX:FlightRecorderOptions=stackdepth=512');
    jvm.push(`-XX:StartFlightRecording=filename=${join(WORK, `${name}.jfr`)},settings=profile,dumponexit=true`);
  }
  const cpus = process.env.SERVER_CPUS ? `taskset -c ${process.env.SERVER_CPUS} ` : '';
  const command = `ulimit -n ${NOFILE} 2>/dev/null || ulimit -n $(ulimit -Hn); exec ${cpus}${process.env.JAVA || 'java'} ${jvm.join(' ')} -jar ${jar}`;
  const out = openSync(join(WORK, `${name}.log`), 'w');
  const child = spawn('bash', ['-c', command], {
    cwd: WORK,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      ...(raise ? RAISED_LIMITS : {}),
      ...boardcastEnv(),
      PORT: String(port),
      SPRING_R2DBC_URL: `r2dbc:postgresql://127.0.0.1:5432/${db}`,
      SPRING_R2DBC_USERNAME: 'postgres',
      SPRING_R2DBC_PASSWORD: '',
      ...(redis ? { SPRING_DATA_REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379' } : {}),
      ...env,
    },
  });
  const replica = { name, port, pid: child.pid, url: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}/graphql`, child };
  running.add(replica);
  child.on('exit', (code, signal) => {
    running.delete(replica);
    replica.exited = { code, signal };
  });
  const deadline = Date.now() + Number(process.env.START_TIMEOUT || 300) * 1000;
  while (Date.now() < deadline) {
    if (replica.exited) throw new Error(`${name} exited (${JSON.stringify(replica.exited)}), see bench/work/${name}.log`);
    try {
      const response = await fetch(`${replica.url}/actuator/health/readiness`);
      if (response.ok) {
        log(`${name} ready on :${port} (pid ${replica.pid})`);
        return replica;
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${name} did not become ready in time`);
}

/** Stops a replica (graceful shutdown, then kill). */
export async function stopReplica(replica) {
  if (replica.exited) return;
  const done = new Promise((resolve) => replica.child.once('exit', resolve));
  process.kill(replica.pid, 'SIGTERM');
  const timer = setTimeout(() => !replica.exited && process.kill(replica.pid, 'SIGKILL'), 30_000);
  await done;
  clearTimeout(timer);
}

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[11] = utime, fields[12] = stime (fields 14 and 15 of proc(5)), in clock ticks
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
}

let ticks;
function ticksPerSecond() {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return ticks;
}

/** Resident set size in MiB. */
export function rssMiB(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** Heap in use (KiB) right after a full GC: what the live objects retain. */
export function heapAfterFullGc(pid) {
  execFileSync('jcmd', [String(pid), 'GC.run'], { encoding: 'utf8' });
  const info = execFileSync('jcmd', [String(pid), 'GC.heap_info'], { encoding: 'utf8' });
  const match = /used (\d+)K/.exec(info);
  if (!match) throw new Error(`cannot read heap_info: ${info}`);
  return Number(match[1]);
}

/** A line for the results' setup text. */
export function replicaNote() {
  const parts = [`JVM options: ${process.env.JVM_OPTS || 'defaults'}`];
  parts.push(process.env.SERVER_CPUS ? `server pinned to CPU ${process.env.SERVER_CPUS}` : 'server not pinned');
  parts.push(process.env.DRIVER_CPUS ? `load driver pinned to CPU ${process.env.DRIVER_CPUS}` : 'load driver not pinned');
  parts.push(process.env.SERVICES_CPUS ? `PostgreSQL and Redis pinned to CPU ${process.env.SERVICES_CPUS}` : 'PostgreSQL and Redis not pinned');
  if (process.env.PROFILE === '1') parts.push('JFR on (PROFILE=1): figures include its overhead');
  return parts.join('; ');
}

/**
 * The replica's own delivery figures (/actuator/prometheus): live deliveries so far (count and
 * summed lag from commit to hand-over to the subscriber, in seconds), open sockets/subscriptions, and
 * the deliveries that took another subscriber's run of the same selection (config/SharedEventExecution).
 * Deliveries that came from the log (a gap, a head check) are not in the live count.
 */
export async function deliveryMetrics(replica) {
  const text = await (await fetch(`${replica.url}/actuator/prometheus`)).text();
  const value = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    live: value('boardcast_events_delivery_lag_seconds_count'),
    lagSum: value('boardcast_events_delivery_lag_seconds_sum'),
    subscriptions: value('boardcast_subscriptions_active'),
    sockets: value('boardcast_websocket_connections'),
    shared: value('boardcast_subscription_events_shared_total'),
  };
}

/** Live objects per class (jcmd GC.class_histogram, which runs a full GC): Map(class -> {instances, bytes}). */
export function classHistogram(pid) {
  const text = execFileSync('jcmd', [String(pid), 'GC.class_histogram'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const classes = new Map();
  for (const line of text.split('\n')) {
    const match = /^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)/.exec(line);
    if (match) classes.set(match[3], { instances: Number(match[1]), bytes: Number(match[2]) });
  }
  return classes;
}

/** The classes that grew most between two histograms, per `per` (e.g. per subscription). */
export function histogramGrowth(before, after, per, top = 15) {
  const growth = [];
  for (const [name, { instances, bytes }] of after) {
    const was = before.get(name) || { instances: 0, bytes: 0 };
    growth.push({ name, instances: (instances - was.instances) / per, bytes: (bytes - was.bytes) / per });
  }
  return growth.sort((a, b) => b.bytes - a.bytes).slice(0, top);
}

/**
 * The same growth summed by library, largest first (bytes per `per`): whose objects they are.
 * JDK collections, strings and arrays are whoever holds them (a heap dump says who).
 */
export function growthByLibrary(before, after, per) {
  const libraries = [
    ['Reactor operators and contexts', /^reactor\.(core|util)\./],
    ['Netty and Reactor Netty (channel, pipeline, codecs, headers)', /^(io\.netty|reactor\.netty)\./],
    ['graphql-java', /^graphql\./],
    ['Spring', /^org\.springframework\./],
    ['Micrometer', /^io\.micrometer\./],
    ['Boardcast', /^dev\.boardcast\./],
    ['JDK collections, strings and arrays', /^(java\.|\[)/],
  ];
  const sums = new Map();
  for (const { name, bytes } of histogramGrowth(before, after, per, Infinity)) {
    const library = (libraries.find(([, pattern]) => pattern.test(name)) || ['other'])[0];
    sums.set(library, (sums.get(library) || 0) + bytes);
  }
  return [...sums].map(([library, bytes]) => ({ library, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** The process's open-file limit (soft), as in effect. */
export function openFileLimit(pid = process.pid) {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return match ? match[1] : '?';
}
