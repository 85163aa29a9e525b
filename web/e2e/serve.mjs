// A stand-in front door for a server that does not (yet) serve the web client at `/`: serves
// web/dist and passes /graphql (HTTP and WebSocket), /dev, /auth and /actuator through to the
// server, byte for byte. The e2e runner uses it only when GET / on the server is not the client,
// and says so.

import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.json': 'application/json',
  '.png': 'image/png',
};

const PASS_THROUGH = /^\/(graphql|dev\/|auth\/|actuator)/;

export function serveClient({ distDir, apiPort, port = 0 }) {
  const server = http.createServer((req, res) => {
    if (PASS_THROUGH.test(req.url)) {
      const upstream = http.request(
        { host: '127.0.0.1', port: apiPort, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.writeHead(502).end();
      });
      req.pipe(upstream);
      return;
    }
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.join(distDir, urlPath);
    if (!file.startsWith(distDir) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(distDir, 'index.html');
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });

  // WebSocket upgrades go to the server as they are; the two sockets are then spliced.
  server.on('upgrade', (req, socket, head) => {
    const upstream = net.connect(apiPort, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head?.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
    upstream.on('close', close);
    socket.on('close', close);
  });

  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => resolve({ port: server.address().port, close: () => new Promise((r) => (server.closeAllConnections?.(), server.close(r))) }));
  });
}
