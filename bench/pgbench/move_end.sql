-- moveTask(taskId: T, columnId: C) (to the end of a column) as Boardcast runs it: the same
-- statements in the same transaction as the server (see move_after.sql for the differences: the
-- last key is read in a scalar subquery, the new key is computed by bench_key_between(), the payload
-- is a parameter). pgbench -M prepared -D boards=N -D payload=JSON.
\set b random(1, :boards)
\set t random(1, 200)
\set c random(1, 5)
\set u random(1, 20)
SELECT id, board_id, column_id, number, position, title, description, assignee_id, label_ids, due_date, priority, created_by, created_at, updated_at, completed_at, version FROM tasks WHERE id = md5('bench-task-' || :b::int || '-' || :t::int)::uuid;
BEGIN READ WRITE;
UPDATE boards b SET event_seq = b.event_seq + 1 FROM board_members m WHERE b.id = md5('bench-board-' || :b::int)::uuid AND m.board_id = b.id AND m.user_id = md5('bench-user-' || :u::int)::uuid AND m.role = ANY('{OWNER,EDITOR}'::text[]) RETURNING b.event_seq, m.role \gset
SELECT id, board_id, column_id, number, position, title, description, assignee_id, label_ids, due_date, priority, created_by, created_at, updated_at, completed_at, version FROM tasks WHERE id = md5('bench-task-' || :b::int || '-' || :t::int)::uuid;
SELECT id, board_id, name, position, is_done, wip_limit, version FROM columns WHERE id = md5('bench-column-' || :b::int || '-' || :c::int)::uuid \gset c_
SELECT (SELECT position FROM tasks WHERE column_id = :c_id::uuid AND id <> md5('bench-task-' || :b::int || '-' || :t::int)::uuid ORDER BY position DESC LIMIT 1) AS position \gset last_
UPDATE tasks SET column_id = :c_id::uuid, position = bench_key_between(nullif(:last_position::text, ''), NULL), completed_at = CASE WHEN :c_is_done::boolean THEN coalesce(completed_at, now()) END, updated_at = now(), version = version + 1 WHERE id = md5('bench-task-' || :b::int || '-' || :t::int)::uuid RETURNING id, board_id, column_id, number, position, title, description, assignee_id, label_ids, due_date, priority, created_by, created_at, updated_at, completed_at, version;
INSERT INTO board_events (board_id, seq, kind, entity_id, task_id, payload, actor_id) VALUES (md5('bench-board-' || :b::int)::uuid, :event_seq::bigint, 'TASK_MOVED', md5('bench-task-' || :b::int || '-' || :t::int)::uuid, md5('bench-task-' || :b::int || '-' || :t::int)::uuid, :payload::jsonb, md5('bench-user-' || :u::int)::uuid) RETURNING at;
COMMIT;
