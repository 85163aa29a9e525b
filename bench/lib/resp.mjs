// A minimal Redis client (RESP2 over a socket): commands, and pub/sub messages with the time
// they arrived. Enough for the raw publish -> subscribe reference and PUBSUB checks, with no
// client library between the measurement and the socket.
import { createConnection } from 'node:net';
import { now } from './common.mjs';

export class Redis {
  constructor(url = process.env.REDIS_URL || 'redis://127.0.0.1:6379') {
    const { hostname, port } = new URL(url);
    this.host = hostname;
    this.port = Number(port || 6379);
    this.pending = [];
    this.buffer = Buffer.alloc(0);
    this.onMessage = null;
  }

  connect() {
    return new Promise((resolve, reject) => {
      this.socket = createConnection({ host: this.host, port: this.port }, resolve);
      this.socket.setNoDelay(true);
      this.socket.once('error', reject);
      this.socket.on('data', (chunk) => this.data(chunk, now()));
    });
  }

  /** Sends a command and resolves with its reply (arrays as arrays, bulk strings as strings). */
  command(...args) {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(encode(args));
    });
  }

  /** Sends without waiting for the reply (publishing at a fixed rate). */
  send(...args) {
    this.pending.push({ resolve: () => {}, reject: () => {} });
    this.socket.write(encode(args));
  }

  /** Subscribes; onMessage(channel, payload, receivedAt) gets every message. */
  async subscribe(channels, onMessage) {
    this.onMessage = onMessage;
    this.subscribed = true;
    this.socket.write(encode(['SUBSCRIBE', ...channels]));
  }

  close() {
    this.socket?.destroy();
  }

  data(chunk, at) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    let offset = 0;
    for (;;) {
      const parsed = parse(this.buffer, offset);
      if (!parsed) break;
      offset = parsed.end;
      const value = parsed.value;
      if (this.subscribed && Array.isArray(value) && value[0] === 'message') {
        this.onMessage?.(value[1], value[2], at);
      } else if (this.subscribed && Array.isArray(value) && value[0] === 'subscribe') {
        // subscription confirmed
      } else {
        const waiter = this.pending.shift();
        if (value instanceof Error) waiter?.reject(value);
        else waiter?.resolve(value);
      }
    }
    this.buffer = offset < this.buffer.length ? this.buffer.subarray(offset) : Buffer.alloc(0);
  }
}

function encode(args) {
  let out = `*${args.length}\r\n`;
  for (const arg of args) {
    const text = String(arg);
    out += `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
  }
  return out;
}

function parse(buffer, offset) {
  if (offset >= buffer.length) return null;
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd < 0) return null;
  const type = String.fromCharCode(buffer[offset]);
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new Error(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buffer.length < next + length + 2) return null;
      return { value: buffer.toString('utf8', next, next + length), end: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buffer, at);
        if (!item) return null;
        items.push(item.value);
        at = item.end;
      }
      return { value: items, end: at };
    }
    default:
      throw new Error(`unexpected RESP type ${type}`);
  }
}
