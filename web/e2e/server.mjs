// Starts and stops the real Boardcast server jar for the end-to-end run: a free port, a fresh data
// folder (so the embedded PostgreSQL starts empty), output in e2e-results/server.log.

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import net from 'node:net';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export class ServerProcess {
  constructor({ jar, port, dataDir, logFile }) {
    this.jar = jar;
    this.port = port;
    this.dataDir = dataDir;
    this.log = createWriteStream(logFile, { flags: 'a' });
    this.child = null;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 120_000) {
    const started = Date.now();
    this.log.write(`\n===== starting ${new Date().toISOString()} =====\n`);
    this.child = spawn('java', ['-jar', this.jar], {
      env: { ...process.env, PORT: String(this.port), BOARDCAST_DATA_DIR: this.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout.pipe(this.log, { end: false });
    this.child.stderr.pipe(this.log, { end: false });
    let exited = null;
    this.child.once('exit', (code, signal) => (exited = { code, signal }));
    while (Date.now() - started < timeoutMs) {
      if (exited) throw new Error(`server exited during start-up (${JSON.stringify(exited)}); see e2e-results/server.log`);
      try {
        const res = await fetch(`${this.url}/actuator/health`);
        if (res.ok && (await res.json()).status === 'UP') return Date.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`server not UP after ${timeoutMs / 1000} s; see e2e-results/server.log`);
  }

  /** SIGTERM (graceful shutdown closes sockets), SIGKILL if it lingers. */
  async stop(timeoutMs = 20_000) {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
    this.child = null;
  }
}
