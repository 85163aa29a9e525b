// Joins what subscribers received with the event log: latency from commit (the event's `at`,
// PostgreSQL's clock with microseconds, read from the log rather than the API's millisecond
// DateTime) and per-subscriber delivery checks.
import { psql } from './common.mjs';

/**
 * The log of the given boards after their start seqs: Map(boardIndex -> Map(seq -> {at, taskId,
 * version})), `at` in epoch milliseconds with microsecond precision.
 */
export function eventLog(db, boards, startSeqs) {
  const log = new Map();
  const index = new Map(boards.map((id, i) => [id, i]));
  const chunk = 500;
  for (let i = 0; i < boards.length; i += chunk) {
    const ids = boards.slice(i, i + chunk);
    const conditions = ids.map((id) => `(board_id = '${id}' AND seq > ${startSeqs.get(id)})`).join(' OR ');
    const rows = psql(
      db,
      `SELECT board_id, seq, extract(epoch FROM at)::text, entity_id, payload->>'version'
       FROM board_events WHERE ${conditions}`,
    );
    for (const [boardId, seq, epoch, entityId, version] of rows) {
      const b = index.get(boardId);
      if (!log.has(b)) log.set(b, new Map());
      log.get(b).set(Number(seq), { at: epochMs(epoch), taskId: entityId, version: Number(version) });
    }
  }
  return log;
}

/** "1764496401.123456" -> ms, exact to the microsecond (no float rounding of the fraction). */
function epochMs(text) {
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 1000 + Number((fraction + '000000').slice(0, 6)) / 1000;
}

/**
 * Checks every subscriber's sequence: each must have received exactly the seqs (start, end] of
 * its board, in order. Returns totals and the first few offenders.
 */
export function verify(records, subs, startSeqs, endSeqs) {
  const received = subs.map(() => []);
  for (let i = 0; i < records.length; i += 3) received[records[i]].push(records[i + 1]);
  const totals = { subscribers: subs.length, expected: 0, received: 0, lost: 0, duplicated: 0, reordered: 0, gaps: 0 };
  const offenders = [];
  subs.forEach((sub, i) => {
    const start = startSeqs.get(sub.boardId);
    const end = endSeqs.get(sub.boardId);
    const seqs = received[i];
    const seen = new Set();
    let lost = 0;
    let duplicated = 0;
    let reordered = 0;
    let gaps = 0;
    let last = start;
    for (const seq of seqs) {
      if (seen.has(seq)) duplicated++;
      else seen.add(seq);
      if (seq < last) reordered++;
      else if (seq > last + 1) gaps++;
      last = Math.max(last, seq);
    }
    for (let seq = start + 1; seq <= end; seq++) if (!seen.has(seq)) lost++;
    totals.expected += end - start;
    totals.received += seqs.length;
    totals.lost += lost;
    totals.duplicated += duplicated;
    totals.reordered += reordered;
    totals.gaps += gaps;
    if ((lost || duplicated || reordered) && offenders.length < 5) {
      offenders.push({ subscriber: i, board: sub.boardId, start, end, received: seqs.length, lost, duplicated, reordered });
    }
  });
  return { ...totals, offenders };
}

/**
 * Latencies (ms) of the records whose (board, seq) falls in a phase: commit -> received, and
 * sent -> received when the mutation that made the event is known.
 */
export function latencies(records, subs, boardIndex, log, ranges, sentAt) {
  const commit = [];
  const fromSend = [];
  for (let i = 0; i < records.length; i += 3) {
    const sub = subs[records[i]];
    const seq = records[i + 1];
    const range = ranges.get(sub.boardId);
    if (!range || seq <= range[0] || seq > range[1]) continue;
    const event = log.get(boardIndex.get(sub.boardId))?.get(seq);
    if (!event) continue;
    commit.push(records[i + 2] - event.at);
    const sent = sentAt?.get(`${event.taskId}:${event.version}`);
    if (sent !== undefined) fromSend.push(records[i + 2] - sent);
  }
  return { commit, fromSend };
}
