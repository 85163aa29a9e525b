// Boards, tasks and writers of the dataset, read from PostgreSQL.
import { psql } from './common.mjs';

/** A SQL list of quoted ids. */
export function sqlList(ids) {
  return ids.map((id) => `'${id}'`).join(',');
}

/** Each board's current event_seq. */
export function seqs(db, boardIds) {
  const result = new Map();
  for (let i = 0; i < boardIds.length; i += 1000) {
    for (const [id, seq] of psql(db, `SELECT id, event_seq FROM boards WHERE id IN (${sqlList(boardIds.slice(i, i + 1000))})`)) {
      result.set(id, Number(seq));
    }
  }
  return result;
}

/**
 * What a mutation driver needs per board: tokens of members who may edit it, up to
 * `taskLimit` task ids and its column ids.
 */
export function movable(db, boardIds, users, taskLimit = 50) {
  const tokens = new Map(users.map((user) => [user.id, user.token]));
  const editors = new Map();
  const tasks = new Map();
  const columns = new Map();
  for (let i = 0; i < boardIds.length; i += 1000) {
    const ids = sqlList(boardIds.slice(i, i + 1000));
    group(editors, psql(db, `SELECT board_id, user_id FROM board_members WHERE role <> 'VIEWER' AND board_id IN (${ids})`), (r) => tokens.get(r[1]));
    group(tasks, psql(db, `SELECT board_id, id FROM (SELECT board_id, id, row_number() OVER (PARTITION BY board_id ORDER BY number) AS r
      FROM tasks WHERE board_id IN (${ids})) t WHERE r <= ${taskLimit}`), (r) => r[1]);
    group(columns, psql(db, `SELECT board_id, id FROM columns WHERE board_id IN (${ids})`), (r) => r[1]);
  }
  for (const [board, list] of editors) editors.set(board, list.filter(Boolean));
  return { editors, tasks, columns };
}

function group(map, rows, value) {
  for (const r of rows) {
    if (!map.has(r[0])) map.set(r[0], []);
    map.get(r[0]).push(value(r));
  }
}

export function pick(items, random) {
  return items[Math.floor(random() * items.length)];
}

export function shuffle(items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
