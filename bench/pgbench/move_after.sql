-- moveTask(taskId: T, columnId: <X's column>, afterId: X) as Boardcast runs it (TaskService.move in
-- BoardWrites.write): the same statements in the same transaction, captured from its r2dbc QUERY log.
-- Differences, all on the client side of the statements: the target column is the neighbour's
-- (the load driver knows it; here the neighbour's row, which the server reads anyway, says it, so
-- the column read comes after it); the next key after the neighbour is read in a scalar subquery
-- (pgbench's \gset needs one row); the new order key is computed by bench_key_between() (the app's
-- FractionalKeys in PL/pgSQL) inside the UPDATE instead of in Java between two statements; the
-- event payload is a representative task JSON passed as a parameter (-D payload=...).
-- pgbench -M prepared -D boards=N -D payload=JSON.
\set b random(1, :boards)
\set t random(1, 200)
\set x random(1, 199)
\set x CASE WHEN :x >= :t THEN :x + 1 ELSE :x END
\set u random(1, 20)
SELECT id, board_id, column_id, number, position, title, description, assignee_id, label_ids, due_date, priority, created_by, created_at, updated_at, completed_at, version FROM tasks WHERE id = md5('bench-task-' || :b::int || '-' || :t::int)::uuid;
BEGIN READ WRITE;
UPDATE boards b SET event_seq = b.event_seq + 1 FROM board_members m WHERE b.id = md5('bench-board-' || :b::int)::uuid AND m.board_id = b.id AND m.user_id = md5('bench-user-' || :u::int)::uuid AND m.role = ANY('{OWNER,EDITOR}'::text[]) RETURNING b.event_seq, m.role \gset
SELECT id, board_id, column_id, number, position, title, description, assignee_id, label_ids, due_date, priority, created_by, created_at, updated_at, completed_at, version FROM tasks WHERE id = md5('bench-task-' || :b::int || '-' || :t::int)::uuid;
SELECT id, board_id, column_id, number, position, title, description, assignee_id, label_ids, due_date, priority, created_by, created_at, updated_at, completed_at, version FROM tasks WHERE id = md5('bench-task-' || :b::int || '-' || :x::int)::uuid \gset n_
SELECT id, board_id, name, position, is_done, wip_limit, version FROM columns WHERE id = :n_column_id::uuid \gset c_
SELECT (SELECT position FROM tasks WHERE column_id = :n_column_id::uuid AND position > :n_position::text AND id <> md5('bench-task-' || :b::int || '-' || :t::int)::uuid ORDER BY position LIMIT 1) AS position \gset next_
UPDATE tasks SET column_id = :n_column_id::uuid, position = bench_key_between(:n_position::text, nullif(:next_position::text, '')), completed_at = CASE WHEN :c_is_done::boolean THEN coalesce(completed_at, now()) END, updated_at = now(), version = version + 1 WHERE id = md5('bench-task-' || :b::int || '-' || :t::int)::uuid RETURNING id, board_id, column_id, number, position, title, description, assignee_id, label_ids, due_date, priority, created_by, created_at, updated_at, completed_at, version;
INSERT INTO board_events (board_id, seq, kind, entity_id, task_id, payload, actor_id) VALUES (md5('bench-board-' || :b::int)::uuid, :event_seq::bigint, 'TASK_MOVED', md5('bench-task-' || :b::int || '-' || :t::int)::uuid, md5('bench-task-' || :b::int || '-' || :t::int)::uuid, :payload::jsonb, md5('bench-user-' || :u::int)::uuid) RETURNING at;
COMMIT;
