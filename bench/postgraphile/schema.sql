-- What PostGraphile needs to serve the board read like Boardcast does (bench database only):
-- a root field that returns a board only to its members (Boardcast's membership check), and the
-- task's labels, which the app keeps in the uuid[] tasks.label_ids, as a computed column ordered
-- by name like Task.labels. Columns, tasks and assignees come from the foreign keys.
CREATE OR REPLACE FUNCTION viewer_board(id uuid) RETURNS boards LANGUAGE sql STABLE AS $$
  SELECT b.* FROM boards b
    JOIN board_members m ON m.board_id = b.id AND m.user_id = current_setting('boardcast.viewer', true)::uuid
   WHERE b.id = viewer_board.id
$$;
CREATE OR REPLACE FUNCTION tasks_labels(t tasks) RETURNS SETOF labels LANGUAGE sql STABLE AS $$
  SELECT l.* FROM labels l WHERE l.id = ANY (t.label_ids) ORDER BY lower(l.name)
$$;
