#!/usr/bin/env node
// Where the CPU goes in a JFR recording (PROFILE=1 writes bench/work/<server>.jfr): the share of
// execution samples whose stack passes through each part of the stack (inclusive), the hottest
// methods on top of the stack (self), and the busiest threads.
//   node bench/profile.mjs bench/work/fanout-a.jfr [more.jfr ...]
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const PARTS = [
  ['Boardcast events (BoardFeeds, bus, subscriptions)', /^dev\.boardcast\.events\./],
  ['Boardcast other code', /^dev\.boardcast\./],
  ['graphql-java execution', /^graphql\.execution\./],
  ['graphql-java parse/validate', /^graphql\.(parser|validation|language)\./],
  ['graphql-java other', /^graphql\./],
  ['Spring for GraphQL', /^org\.springframework\.graphql\./],
  ['DataLoader', /^org\.dataloader\./],
  ['JSON (Jackson)', /^(tools\.jackson|com\.fasterxml\.jackson)\./],
  ['Netty', /^io\.netty\./],
  ['Reactor Netty', /^reactor\.netty\./],
  ['Reactor core', /^reactor\.core\./],
  ['R2DBC PostgreSQL driver', /^io\.r2dbc\./],
  ['Lettuce (Redis)', /^io\.lettuce\./],
  ['Spring Security / JWT', /^(org\.springframework\.security|com\.nimbusds)\./],
  ['Spring WebFlux / web', /^org\.springframework\.(web|http)\./],
  ['Micrometer', /^io\.micrometer\./],
];

// Which path a sample is on: the first of these found anywhere in its stack.
const PATHS = [
  ['subscription event: graphql-java execution per subscriber', ['SubscriptionExecutionStrategy.executeSubscriptionEvent']],
  ['subscription event: JSON encode + WebSocket send', ['GraphQlWebSocketHandler', 'WebSocketCodecDelegate']],
  ['subscription event: read back from the log (gap, head check, resume)', ['BoardFeeds.replay', 'EventLog.after', 'EventLog.map']],
  ['head check', ['BoardFeeds.checkHeads']],
  ['Redis: publish', ['RedisEventBus.publish']],
  ['Redis: receive + decode', ['RedisEventBus']],
  ['Redis: Lettuce pub/sub dispatch', ['io.lettuce.core.pubsub']],
  ['GraphQL parse + validate (per HTTP request)', ['graphql.parser.', 'graphql.validation.', 'graphql.i18n.']],
  ['JWT authentication', ['org.springframework.security', 'com.nimbusds']],
  ['mutation / query execution', ['AsyncSerialExecutionStrategy', 'AsyncExecutionStrategy', 'GraphQlHttpHandler']],
  ['R2DBC driver (SQL, rows)', ['io.r2dbc.']],
  ['Micrometer observations', ['io.micrometer.']],
  ['Netty I/O', ['io.netty.']],
];

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: node bench/profile.mjs <recording.jfr> ...');
  process.exit(2);
}
for (const file of files) await summarize(file);

async function summarize(file) {
  const jfr = spawn('jfr', ['print', '--events', 'jdk.ExecutionSample', '--stack-depth', '512', file]);
  const lines = createInterface({ input: jfr.stdout });
  let samples = 0;
  const inclusive = new Map();
  const self = new Map();
  const threads = new Map();
  const paths = new Map();
  let frames = null;
  let thread = '';
  for await (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith('sampledThread = ')) {
      thread = trimmed.slice(16).replace(/ \(javaThreadId.*$/, '').replace(/"/g, '').replace(/-\d+$/, '-N');
    } else if (trimmed === 'stackTrace = [') {
      frames = [];
    } else if (frames && trimmed === ']') {
      samples++;
      bump(threads, thread);
      if (frames.length) bump(self, frames[0]);
      const seen = new Set();
      for (const frame of frames) {
        // a frame belongs to the first part that matches it (events before other Boardcast code)
        const part = PARTS.find(([, pattern]) => pattern.test(frame));
        if (part) seen.add(part[0]);
      }
      for (const name of seen) bump(inclusive, name);
      const path = PATHS.find(([, markers]) => frames.some((frame) => markers.some((marker) => frame.includes(marker))));
      bump(paths, path ? path[0] : 'other (start-up, GC helpers, JIT, ...)');
      frames = null;
    } else if (frames && trimmed && trimmed !== '...') {
      frames.push(trimmed.replace(/\s+line:.*$/, ''));
    }
  }
  const pct = (n) => `${((100 * n) / Math.max(1, samples)).toFixed(1)}%`;
  console.log(`\n## ${file}: ${samples} execution samples`);
  console.log('\nParts of the stack (share of samples whose stack passes through it):');
  for (const [name, n] of [...inclusive].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(n).padStart(6)}  ${name}`);
  console.log('\nPaths (each sample counted once, on the first path its stack shows):');
  for (const [name, n] of [...paths].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(n).padStart(6)}  ${name}`);
  console.log('\nHottest methods (top of stack):');
  for (const [name, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(n).padStart(6)}  ${name}`);
  console.log('\nThreads:');
  for (const [name, n] of [...threads].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`  ${pct(n).padStart(6)}  ${name}`);
}

function bump(map, key) {
  map.set(key, (map.get(key) || 0) + 1);
}
