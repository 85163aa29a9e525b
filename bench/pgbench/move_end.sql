-- moveTask(taskId: T, columnId: C) (to the end of a column) as Boardcast runs it: the same
-- statements in the same transaction as the server (see move_after.sql: BEGIN, the lock that finds
-- the task's board, one read of the task, the column and its last key, the UPDATE, the event
-- INSERT, COMMIT; the new key is computed by bench_key_between(), the payload is a parameter).
-- pgbench -M prepared -D boards=N -D payload=JSON.
\set b random(1, :boards)
\set t random(1, 200)
\set c random(1, 5)
\set u random(1, 20)
BEGIN READ WRITE;
UPDATE boards b SET event_seq = b.event_seq + 1 FROM board_members m WHERE b.id = (SELECT board_id FROM tasks WHERE id = md5('bench-task-' || :b::int || '-' || :t::int)::uuid) AND m.board_id = b.id AND m.user_id = md5('bench-user-' || :u::int)::uuid AND m.role = ANY('{OWNER,EDITOR}'::text[]) RETURNING b.id, b.event_seq, m.role \gset
SELECT t.id, t.board_id, t.column_id, t.number, t.position, t.title, t.description, t.assignee_id, t.label_ids, t.due_date, t.priority, t.created_by, t.created_at, t.updated_at, t.completed_at, t.version, c.id AS c_id, c.board_id AS c_board_id, c.is_done AS c_is_done, (SELECT x.position FROM tasks x WHERE x.column_id = c.id AND x.id <> t.id ORDER BY x.position DESC LIMIT 1) AS adjacent FROM tasks t LEFT JOIN columns c ON c.id = md5('bench-column-' || :b::int || '-' || :c::int)::uuid WHERE t.id = md5('bench-task-' || :b::int || '-' || :t::int)::uuid \gset
UPDATE tasks SET column_id = :c_id::uuid, position = bench_key_between(nullif(:adjacent::text, ''), NULL), completed_at = CASE WHEN :c_is_done::boolean THEN coalesce(completed_at, now()) END, updated_at = now(), version = version + 1 WHERE id = md5('bench-task-' || :b::int || '-' || :t::int)::uuid RETURNING id, board_id, column_id, number, position, title, description, assignee_id, label_ids, due_date, priority, created_by, created_at, updated_at, completed_at, version;
INSERT INTO board_events (board_id, seq, kind, entity_id, task_id, payload, actor_id, at) VALUES (md5('bench-board-' || :b::int)::uuid, :event_seq::bigint, 'TASK_MOVED', md5('bench-task-' || :b::int || '-' || :t::int)::uuid, md5('bench-task-' || :b::int || '-' || :t::int)::uuid, :payload::jsonb, md5('bench-user-' || :u::int)::uuid, clock_timestamp()) RETURNING at;
COMMIT;
