-- moveTask(taskId: T, columnId: <X's column>, afterId: X) as Boardcast runs it (TaskService.move in
-- BoardWrites.write): the same statements in the same transaction, captured from its r2dbc QUERY log:
-- BEGIN; the board row lock `UPDATE boards ... RETURNING`, which finds the task's board itself and
-- joins the membership; one read of the task, the target column, the neighbour and the next key
-- after it (TaskRepository.moveSite); the task UPDATE; the event INSERT; COMMIT.
-- Differences, all on the client side of the statements: the target column is the neighbour's
-- (the load driver knows it and binds it; here the read joins the column on the neighbour's
-- column_id, the same primary-key lookup); the new order key is computed by bench_key_between()
-- (the app's FractionalKeys in PL/pgSQL) inside the UPDATE instead of in Java between two
-- statements; the event payload is a representative task JSON passed as a parameter (-D payload=...).
-- pgbench -M prepared -D boards=N -D payload=JSON.
\set b random(1, :boards)
\set t random(1, 200)
\set x random(1, 199)
\set x CASE WHEN :x >= :t THEN :x + 1 ELSE :x END
\set u random(1, 20)
BEGIN READ WRITE;
UPDATE boards b SET event_seq = b.event_seq + 1 FROM board_members m WHERE b.id = (SELECT board_id FROM tasks WHERE id = md5('bench-task-' || :b::int || '-' || :t::int)::uuid) AND m.board_id = b.id AND m.user_id = md5('bench-user-' || :u::int)::uuid AND m.role = ANY('{OWNER,EDITOR}'::text[]) RETURNING b.id, b.event_seq, m.role \gset
SELECT t.id, t.board_id, t.column_id, t.number, t.position, t.title, t.description, t.assignee_id, t.label_ids, t.due_date, t.priority, t.created_by, t.created_at, t.updated_at, t.completed_at, t.version, c.id AS c_id, c.board_id AS c_board_id, c.is_done AS c_is_done, a.column_id AS a_column_id, a.position AS a_position, (SELECT x.position FROM tasks x WHERE x.column_id = c.id AND x.position > a.position AND x.id <> t.id ORDER BY x.position LIMIT 1) AS adjacent FROM tasks t LEFT JOIN tasks a ON a.id = md5('bench-task-' || :b::int || '-' || :x::int)::uuid LEFT JOIN columns c ON c.id = a.column_id WHERE t.id = md5('bench-task-' || :b::int || '-' || :t::int)::uuid \gset
UPDATE tasks SET column_id = :c_id::uuid, position = bench_key_between(:a_position::text, nullif(:adjacent::text, '')), completed_at = CASE WHEN :c_is_done::boolean THEN coalesce(completed_at, now()) END, updated_at = now(), version = version + 1 WHERE id = md5('bench-task-' || :b::int || '-' || :t::int)::uuid RETURNING id, board_id, column_id, number, position, title, description, assignee_id, label_ids, due_date, priority, created_by, created_at, updated_at, completed_at, version;
INSERT INTO board_events (board_id, seq, kind, entity_id, task_id, payload, actor_id, at) VALUES (md5('bench-board-' || :b::int)::uuid, :event_seq::bigint, 'TASK_MOVED', md5('bench-task-' || :b::int || '-' || :t::int)::uuid, md5('bench-task-' || :b::int || '-' || :t::int)::uuid, :payload::jsonb, md5('bench-user-' || :u::int)::uuid, clock_timestamp()) RETURNING at;
COMMIT;
