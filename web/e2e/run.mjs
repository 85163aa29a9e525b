#!/usr/bin/env node
// End-to-end tests of the web client against the real server: starts the server jar on a free port
// with a fresh data folder (its embedded PostgreSQL starts empty), drives Debian's Chromium through
// playwright-core, saves screenshots to e2e-results/, stops the server, and ends with
// "N passed, M failed" (exit code 1 when anything failed).
//
//   BOARDCAST_JAR     the server jar (default: the newer of ../app/target/boardcast.jar and
//                     ../app/target/boardcast-app-0.1.0-SNAPSHOT.jar)
//   CHROMIUM_PATH     the browser (default /usr/bin/chromium)
//   E2E_ONLY          run only scenarios whose name contains this text
//   E2E_HEADED=1      show the browser

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { scenarios } from './scenarios.mjs';
import { freePort, ServerProcess } from './server.mjs';
import { serveClient } from './serve.mjs';
import { shot as screenshot, signIn } from './helpers.mjs';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(web, 'e2e-results');
const jar = process.env.BOARDCAST_JAR ? path.resolve(web, process.env.BOARDCAST_JAR) : defaultJar();
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCENARIO_TIMEOUT_MS = 150_000;
const RUN_TIMEOUT_MS = 15 * 60_000;

let activeServer = null;
const log = (...args) => console.log(`[e2e ${new Date().toISOString().slice(11, 19)}]`, ...args);

async function main() {
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  if (!existsSync(jar)) throw new Error(`server jar not found: ${jar} (build it, or set BOARDCAST_JAR)`);
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath} (on Debian: apt-get install -y chromium)`);
  const dist = path.join(web, 'dist');
  if (!existsSync(path.join(dist, 'index.html'))) {
    log('no dist/ yet: running npm run build');
    const build = spawnSync('npm', ['run', 'build'], { cwd: web, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'boardcast-e2e-'));
  const server = new ServerProcess({ jar, port: await freePort(), dataDir, logFile: path.join(results, 'server.log') });
  activeServer = server;
  let front = null;
  let browser = null;
  let passed = 0;
  let failed = 0;
  const report = [];
  try {
    log(`starting ${path.relative(web, jar)} on port ${server.port} with data in ${dataDir}`);
    const ms = await server.start();
    log(`server UP after ${(ms / 1000).toFixed(1)} s`);

    // The product is the jar serving the client at /. When it serves none, or another build than
    // web/dist (a jar built before the latest client change), web/dist is served in front of it.
    let base = server.url;
    const home = await fetch(`${base}/`).then(async (r) => (r.ok ? r.text() : '')).catch(() => '');
    const local = readFileSync(path.join(dist, 'index.html'), 'utf8');
    if (home !== local) {
      front = await serveClient({ distDir: dist, apiPort: server.port });
      base = `http://127.0.0.1:${front.port}`;
      log(
        home.includes('id="root"')
          ? 'the server serves another build of the web client than web/dist (rebuild the jar to embed this one);'
          : 'WARNING: the server does not serve the web client at / (GET / did not return index.html);',
      );
      log(`  testing web/dist from ${base}, with the API passed through to the server.`);
    } else {
      log(`the server serves this web/dist at /`);
    }

    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: process.env.E2E_HEADED !== '1',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });

    const only = process.env.E2E_ONLY;
    for (const scenario of scenarios) {
      if (only && !scenario.name.includes(only)) continue;
      const contexts = [];
      const pages = [];
      const started = Date.now();
      const ctx = {
        base,
        server,
        shot: (page, name) => screenshot(page, results, name),
        async person(handle, options = {}) {
          const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...options });
          context.setDefaultTimeout(15_000);
          contexts.push(context);
          const page = await context.newPage();
          pages.push({ handle, page });
          page.on('pageerror', (e) => log(`  [${handle}] page error: ${e.message}`));
          page.on('console', (m) => m.type() === 'error' && log(`  [${handle}] console: ${m.text()}`));
          await signIn(page, base, handle);
          return { context, page };
        },
      };
      log(`▶ ${scenario.name}`);
      try {
        await withTimeout(scenario.run(ctx), SCENARIO_TIMEOUT_MS, `scenario timed out after ${SCENARIO_TIMEOUT_MS / 1000} s`);
        passed++;
        report.push({ name: scenario.name, ok: true, ms: Date.now() - started });
        log(`✔ ${scenario.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (error) {
        failed++;
        report.push({ name: scenario.name, ok: false, ms: Date.now() - started, error: String(error?.stack ?? error) });
        log(`✘ ${scenario.name}: ${error?.message ?? error}`);
        for (const { handle, page } of pages) {
          await screenshot(page, results, `FAILED-${slug(scenario.name)}-${handle}`).catch(() => {});
        }
      } finally {
        for (const context of contexts) await context.close().catch(() => {});
      }
      // A scenario that stopped the server and failed before starting it again leaves it down.
      if (!server.child) await server.start().catch((e) => log(`could not restart the server: ${e.message}`));
    }
  } finally {
    await browser?.close().catch(() => {});
    await front?.close().catch(() => {});
    await server.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    writeFileSync(path.join(results, 'report.json'), JSON.stringify(report, null, 2));
  }
  return { passed, failed };
}

function defaultJar() {
  const candidates = ['../app/target/boardcast.jar', '../app/target/boardcast-app-0.1.0-SNAPSHOT.jar']
    .map((p) => path.resolve(web, p))
    .filter((p) => existsSync(p))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return candidates[0] ?? path.resolve(web, '../app/target/boardcast-app-0.1.0-SNAPSHOT.jar');
}

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

function abort(why) {
  activeServer?.child?.kill('SIGKILL');
  console.log(why);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
process.on('SIGINT', () => abort('interrupted'));
process.on('SIGTERM', () => abort('terminated'));

const guard = setTimeout(() => {
  activeServer?.child?.kill('SIGKILL');
  console.log('e2e run exceeded its time limit');
  console.log('0 passed, 1 failed');
  process.exit(1);
}, RUN_TIMEOUT_MS);
guard.unref();

main()
  .then(({ passed, failed }) => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed === 0 && passed > 0 ? 0 : 1);
  })
  .catch((error) => {
    console.error(error?.stack ?? error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
