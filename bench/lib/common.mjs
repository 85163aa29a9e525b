// Shared pieces of the real-time and flood benchmarks: knobs, the dataset, psql, timing,
// percentiles and the raw result file (the JSON contract of bench/run.sh).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = join(BENCH, '..');
export const WORK = join(BENCH, 'work');
export const RESULTS = join(WORK, 'results');

/** A numeric knob from the environment. */
export function knob(name, fallback) {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : Number(value);
}

/** Seconds per measured phase (DURATION), scaled for development runs. */
export const DURATION = knob('DURATION', 30);

/** Wall-clock time in milliseconds with sub-millisecond resolution (same clock as PostgreSQL's). */
export function now() {
  return performance.timeOrigin + performance.now();
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function log(...parts) {
  console.error(`[${new Date().toISOString().slice(11, 23)}]`, ...parts);
}

/** bench/work/dataset.json: {"db", "users": [{"id", "handle", "token"}]}. */
export function dataset() {
  const file = process.env.DATASET || join(WORK, 'dataset.json');
  const data = JSON.parse(readFileSync(file, 'utf8'));
  return { ...data, db: process.env.BENCH_DB || data.db };
}

/** Rows of a query as arrays of strings (psql unaligned, tab-separated). */
export function psql(db, sql) {
  const out = execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', db, '-X', '-q', '-tA', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  return out.split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
}

/** Exact percentiles of a sample (sorted copy); q in [0, 1]. */
export function percentiles(values, qs = [0.5, 0.95, 0.99, 0.999]) {
  const sorted = Float64Array.from(values).sort();
  const result = { n: sorted.length };
  for (const q of qs) {
    const key = 'p' + String(Math.round(q * 1000) / 10).replace('.', '_');
    result[key] = sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
  }
  result.max = sorted.length ? sorted[sorted.length - 1] : NaN;
  result.mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN;
  return result;
}

export function round(value, digits = 2) {
  return Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : null;
}

/** Median of numbers (for repeats). */
export function median(values) {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Writes bench/work/results/<name>.json in the run.sh contract. A row's `detail` becomes a note
 * (the renderer shows notes under the table); `raw` keeps the per-repeat figures for whoever
 * digs deeper (not rendered).
 */
export function writeResult(name, result) {
  mkdirSync(RESULTS, { recursive: true });
  const details = [];
  for (const r of result.rows) {
    if (r.detail) details.push(`${r.metric}: ${r.detail}.`);
    delete r.detail;
    for (const key of Object.keys(r)) if (r[key] === undefined) delete r[key];
  }
  result.notes = [...details, ...(result.notes ?? [])];
  const file = join(RESULTS, `${name}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  log(`wrote ${file}`);
  return file;
}

/** A row of the results table. */
export function row(metric, value, unit, extra = {}) {
  return { metric, value: round(value, 3), unit, ...extra };
}

/** Source addresses for client sockets: 127.0.0.<first>..<last> (loopback /8 answers them all). */
export function sourceAddresses() {
  const first = knob('SOURCE_FIRST', 2);
  const last = knob('SOURCE_LAST', 30);
  const addresses = [];
  for (let i = first; i <= last; i++) addresses.push(`127.0.0.${i}`);
  return addresses;
}

/** Deterministic pseudo-random numbers (runs pick the same boards). */
export function rng(seed = 42) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The machine's load and the pinning in effect, for the "setup" text. */
export function machineNote() {
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  return `load average before: ${load}`;
}

/**
 * Re-runs this script with the file-descriptor limit raised (thousands of sockets) and, when
 * DRIVER_CPUS is set, pinned to those CPUs. Returns false in the parent, which should then
 * do nothing more.
 */
export async function bootstrap(nofile = 65536) {
  if (process.env.BENCH_BOOTSTRAPPED) return true;
  const { spawn } = await import('node:child_process');
  const pin = process.env.DRIVER_CPUS ? `taskset -c ${process.env.DRIVER_CPUS} ` : '';
  const quoted = [process.execPath, ...process.argv.slice(1)].map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(' ');
  const child = spawn('bash', ['-c', `ulimit -n ${nofile} 2>/dev/null || ulimit -n $(ulimit -Hn); exec ${pin}${quoted}`], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_BOOTSTRAPPED: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return false;
}
