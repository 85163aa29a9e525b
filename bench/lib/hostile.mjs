// The hostile traffic of issue 4: what each class sends, and how an answer is classified.
import { createHmac, randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { psql } from './common.mjs';

/** A query nested `levels` deep but one object wide (task -> board -> tasks(first: 1) -> ...). */
export function deepQuery(levels) {
  let inner = 'id';
  for (let i = 0; i < levels; i++) inner = `board { tasks(first: 1) { nodes { ${inner} } } }`;
  return `query Deep($id: ID!) { task(id: $id) { ${inner} } }`;
}

/** Columns of columns of the board: 5^levels columns, each with 50 tasks at the bottom. */
export function wideQuery(levels) {
  let inner = 'columns { name tasks(first: 50) { nodes { id title assignee { handle } } } }';
  for (let i = 0; i < levels; i++) inner = `columns { board { ${inner} } }`;
  return `query Wide($id: ID!) { board(id: $id) { ${inner} } }`;
}

/** The same board `count` times under different aliases. */
export function aliasBomb(count) {
  const fields = Array.from({ length: count }, (_, i) => `a${i}: board(id: $id) { name columns { name taskCount } }`);
  return `query Aliases($id: ID!) { ${fields.join(' ')} }`;
}

/** A document of about `tokens` lexical tokens. */
export function bigDocument(tokens) {
  return `query Big { me { ${'id '.repeat(Math.max(1, tokens - 6))}} }`;
}

/** `count` fragments, each spreading the next, the last spreading the first. */
export function fragmentCycle(count) {
  const fragments = Array.from({ length: count }, (_, i) => `fragment F${i} on Query { me { id } ...F${(i + 1) % count} }`);
  return `query Cycle { ...F0 } ${fragments.join(' ')}`;
}

/** Tokens that must not authenticate: forged signature, alg none, tampered subject, expired, garbage. */
export function badTokens(db, goodToken) {
  const [header, payload] = goodToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const b64 = (object) => Buffer.from(JSON.stringify(object)).toString('base64url');
  const sign = (key, h, p) => createHmac('sha256', key).update(`${h}.${p}`).digest('base64url');
  const tokens = {
    forged: `${header}.${payload}.${sign(randomBytes(32), header, payload)}`,
    algNone: `${b64({ alg: 'none' })}.${payload}.`,
    tampered: `${header}.${b64({ ...claims, sub: '00000000-0000-0000-0000-000000000000' })}.${goodToken.split('.')[2]}`,
    garbage: randomBytes(200).toString('base64url'),
  };
  // An expired token with a valid signature: the development issuer's key is in the benchmark
  // database (README "Architecture"), so the benchmark can sign one as the issuer would have.
  const rows = psql(db, "SELECT encode(secret, 'hex') FROM dev_signing_key");
  if (rows.length) {
    const key = Buffer.from(rows[0][0], 'hex');
    const past = Math.floor(Date.now() / 1000) - 7200;
    const expired = b64({ ...claims, iat: past - 3600, nbf: past - 3600, exp: past });
    tokens.expired = `${header}.${expired}.${sign(key, header, expired)}`;
  }
  return Object.entries(tokens);
}

/** Broken JSON bodies. */
export const GARBAGE_BODIES = [
  '{"query": "{ me { id } }"',
  '{"query": 42}',
  'not json at all',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
  '{"query": "{ me { id } }", "variables": "oops"}',
  '\u0000\u0001\u0002\u0003',
  '{"query": "{ me { id }", "operationName": 7}',
];

/** A JSON body of `bytes` bytes (a valid query with one huge variable). */
export function hugeBody(bytes) {
  const head = '{"query":"{ me { id } }","variables":{"x":"';
  const tail = '"}}';
  return Buffer.from(head + 'x'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail);
}

/** "<status> <first error code>", or the transport failure. */
export function classify({ status, body, error }) {
  if (error) return error;
  let code = '';
  if (body && body.startsWith('{')) {
    try {
      const parsed = JSON.parse(body);
      if (parsed.errors) code = parsed.errors[0]?.extensions?.code ?? 'error without code';
      else if ('data' in parsed) code = 'data';
    } catch {
      code = 'unparsable body';
    }
  }
  return `${status}${code ? ' ' + code : ''}`;
}

/**
 * One hostile WebSocket: `garbage` sends frames graphql-ws must refuse; `hold` authenticates
 * (or not, without a token) and keeps the socket open until the server closes it or `holdMs`
 * ends. Resolves with how it ended: "close <code>", "HTTP <status>" (upgrade refused) or an error.
 */
export function hostileSocket(url, { mode, token, localAddress, holdMs }) {
  return new Promise((resolve) => {
    let done = false;
    let acked = false;
    const finish = (outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(acked ? `acked, then ${outcome}` : outcome);
      socket.terminate();
    };
    const socket = new WebSocket(url, 'graphql-transport-ws', { localAddress, perMessageDeflate: false, handshakeTimeout: 10_000 });
    const timer = setTimeout(() => finish('held to the end'), holdMs);
    socket.on('unexpected-response', (request, response) => finish(`HTTP ${response.statusCode}`));
    socket.on('open', () => {
      if (mode === 'garbage') {
        const frames = [Buffer.from([0xde, 0xad, 0xbe, 0xef]), 'not json', '{"type":"bogus"}', 'x'.repeat(64 * 1024)];
        socket.send(frames[Math.floor(Math.random() * frames.length)]);
      } else if (token) {
        socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } }));
      }
    });
    socket.on('message', (data) => {
      const text = String(data);
      if (text.includes('"connection_ack"')) acked = true;
      else if (text.includes('"ping"')) socket.send('{"type":"pong"}');
    });
    socket.on('close', (code) => finish(`close ${code}`));
    socket.on('error', (error) => finish(error.code || error.message));
  });
}
