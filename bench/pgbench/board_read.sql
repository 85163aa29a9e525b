-- The board read as Boardcast runs it: exactly the five statements the server sends for
-- board(id){columns{tasks(first:50){nodes{id number title priority dueDate assignee{handle}
-- labels{name color}}}}} (captured from its r2dbc QUERY log), in autocommit like the server, with
-- the same parameters: the viewer, the board, its 5 column ids, page limit 51, the assignees and
-- the labels of the tasks read (in this dataset: all 20 users and the board's 10 labels).
-- Ids derive from numbers (bench/sql/dataset.sql), so nothing but the five statements runs.
-- pgbench -D boards=N.
\set b random(1, :boards)
\set u random(1, 20)
SELECT b.id, b.name, b.description, b.created_by, b.created_at, b.updated_at, b.version, b.event_seq, m.role FROM boards b JOIN board_members m ON m.board_id = b.id AND m.user_id = md5('bench-user-' || :u::int)::uuid WHERE b.id = md5('bench-board-' || :b::int)::uuid;
SELECT id, board_id, name, position, is_done, wip_limit, version FROM columns WHERE board_id = ANY(ARRAY[md5('bench-board-' || :b::int)::uuid]) ORDER BY board_id, position;
SELECT id, board_id, column_id, number, position, title, description, assignee_id, label_ids, due_date, priority, created_by, created_at, updated_at, completed_at, version FROM (SELECT t.*, row_number() OVER (PARTITION BY t.column_id ORDER BY t.position) AS rn FROM tasks t WHERE t.column_id = ANY(ARRAY[md5('bench-column-' || :b::int || '-1')::uuid, md5('bench-column-' || :b::int || '-2')::uuid, md5('bench-column-' || :b::int || '-3')::uuid, md5('bench-column-' || :b::int || '-4')::uuid, md5('bench-column-' || :b::int || '-5')::uuid]) ) x WHERE rn <= 51 ORDER BY column_id, position;
SELECT id, subject, handle, coalesce(display_name, handle) AS display_name, created_at FROM users WHERE id = ANY(ARRAY(SELECT md5('bench-user-' || n)::uuid FROM generate_series(1, 20) n));
SELECT id, board_id, name, color, version FROM labels WHERE id = ANY(ARRAY(SELECT md5('bench-label-' || :b::int || '-' || n)::uuid FROM generate_series(1, 10) n));
