-- Bulk dataset for the benchmarks (bench/dataset.sh runs this with psql -v boards=N after the app's
-- Flyway migration made the schema and the 20 users exist). Everything the app would have made
-- through its API, made here with generate_series instead:
--   * ids are md5 of a name (bench-board-<b>, bench-column-<b>-<c>, bench-label-<b>-<l>,
--     bench-task-<b>-<k>, bench-user-<u>), so pgbench scripts and load drivers derive them from
--     numbers without a look-up;
--   * order keys are exactly the keys the app hands out for consecutive appends
--     (FractionalKeys.between(last, null): V, W, ..., z, zV, zW, ...), in COLLATE "C" order;
--   * task numbers 1..200 per board and boards.task_seq = 200, so createTask continues at 201;
--   * every board has one logged event, BOARD_CREATED with seq 1, and boards.event_seq = 1: the
--     next write takes seq 2, and a subscriber without a cursor starts at 1;
--   * the 20 users are members of every board (bench01 OWNER, the others EDITOR), assignees are
--     members, label_ids are labels of the task's own board, tasks in the done column are completed.
\set ON_ERROR_STOP on
SET maintenance_work_mem = '512MB';
SET synchronous_commit = off;

CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text NOT NULL);

-- The app's key for the i-th append (0-based) into an empty list.
CREATE OR REPLACE FUNCTION bench_append_key(i int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT repeat('z', i / 31) || substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 32 + i % 31, 1)
$$;
CREATE OR REPLACE FUNCTION bench_id(kind text, VARIADIC parts int[]) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT md5('bench-' || kind || '-' || array_to_string(parts, '-'))::uuid
$$;

BEGIN;
-- Secondary indexes and foreign keys of tasks are dropped for the load and made again in bulk
-- afterwards, from their own definitions (so the schema stays exactly the migration's).
CREATE TEMP TABLE saved_defs ON COMMIT DROP AS
  SELECT 1 AS step, 'ALTER TABLE tasks ADD CONSTRAINT ' || quote_ident(conname) || ' ' || pg_get_constraintdef(oid) AS def,
         'ALTER TABLE tasks DROP CONSTRAINT ' || quote_ident(conname) AS undo
    FROM pg_constraint WHERE conrelid = 'tasks'::regclass AND contype IN ('f', 'u')
  UNION ALL
  SELECT 0, pg_get_indexdef(i.indexrelid), 'DROP INDEX ' || i.indexrelid::regclass
    FROM pg_index i WHERE i.indrelid = 'tasks'::regclass
     AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid);
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT undo FROM saved_defs ORDER BY step DESC LOOP EXECUTE r.undo; END LOOP;
END $$;

INSERT INTO boards (id, name, description, created_by, created_at, updated_at, event_seq, task_seq)
SELECT bench_id('board', b), 'Board ' || b, 'Benchmark board number ' || b, bench_id('user', 1),
       now() - interval '30 days', now() - interval '30 days', 1, 200
  FROM generate_series(1, :boards) b;

INSERT INTO board_members (board_id, user_id, role, added_at)
SELECT bench_id('board', b), bench_id('user', u), CASE WHEN u = 1 THEN 'OWNER' ELSE 'EDITOR' END,
       now() - interval '30 days' + u * interval '1 minute'
  FROM generate_series(1, :boards) b, generate_series(1, 20) u;

INSERT INTO columns (id, board_id, name, position, is_done)
SELECT bench_id('column', b, c), bench_id('board', b),
       (ARRAY['Backlog', 'Todo', 'Doing', 'Review', 'Done'])[c], bench_append_key(c - 1), c = 5
  FROM generate_series(1, :boards) b, generate_series(1, 5) c;

INSERT INTO labels (id, board_id, name, color)
SELECT bench_id('label', b, l), bench_id('board', b),
       (ARRAY['bug', 'feature', 'chore', 'docs', 'design', 'backend', 'frontend', 'urgent', 'research', 'blocked'])[l],
       (ARRAY['#d73a4a', '#a2eeef', '#cfd3d7', '#0075ca', '#e4e669', '#7057ff', '#008672', '#b60205', '#fbca04', '#5319e7'])[l]
  FROM generate_series(1, :boards) b, generate_series(1, 10) l;

-- 200 tasks per board, 40 per column (k = 1..200: column (k-1)/40 + 1, place (k-1) % 40).
INSERT INTO tasks (id, board_id, column_id, number, position, title, description, assignee_id, label_ids,
                   due_date, priority, created_by, created_at, updated_at, completed_at)
SELECT bench_id('task', b, k), bench_id('board', b), bench_id('column', b, (k - 1) / 40 + 1), k,
       bench_append_key((k - 1) % 40),
       (ARRAY['Fix', 'Write', 'Review', 'Design', 'Ship', 'Test', 'Refactor', 'Document'])[k % 8 + 1] || ' '
         || (ARRAY['the login page', 'search results paging', 'the export to CSV', 'onboarding emails',
                   'the billing webhook', 'dark mode colours', 'the mobile layout', 'rate limit errors',
                   'the release checklist', 'slow board loading'])[(k * 7 + b) % 10 + 1] || ' #' || k,
       CASE WHEN k % 2 = 0 THEN '' ELSE 'Steps, notes and links for this task. Acceptance: the change is reviewed, '
         || 'tested on staging and announced in the weekly notes.' END,
       CASE WHEN (k + b) % 7 <> 0 THEN bench_id('user', (k * 13 + b) % 20 + 1) END,
       (ARRAY(SELECT bench_id('label', b, (k * 7 + j * 3) % 10 + 1) FROM generate_series(1, (k + b) % 4) j)),
       CASE WHEN k % 3 <> 0 THEN current_date + ((k * 31 + b) % 90 - 30) END,
       (ARRAY['NONE', 'LOW', 'MEDIUM', 'HIGH', 'URGENT'])[(k + b) % 5 + 1],
       bench_id('user', (k + b) % 20 + 1),
       now() - interval '30 days' + k * interval '1 minute', now() - interval '1 day',
       CASE WHEN (k - 1) / 40 + 1 = 5 THEN now() - interval '1 day' END
  FROM generate_series(1, :boards) b, generate_series(1, 200) k;

INSERT INTO board_events (board_id, seq, kind, entity_id, payload, actor_id, at)
SELECT b.id, 1, 'BOARD_CREATED', b.id,
       jsonb_build_object('id', b.id, 'name', b.name, 'myRole', 'OWNER', 'lastSeq', 1, 'version', 1,
         'createdAt', to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
         'updatedAt', to_char(b.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
         'createdById', b.created_by, 'description', b.description),
       b.created_by, now()
  FROM boards b WHERE b.id IN (SELECT bench_id('board', n) FROM generate_series(1, :boards) n);

DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT def FROM saved_defs ORDER BY step LOOP EXECUTE r.def; END LOOP;
END $$;

INSERT INTO bench_meta VALUES ('boards', :'boards'), ('created_at', now()::text)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
COMMIT;

VACUUM (ANALYZE) users, boards, board_members, columns, labels, tasks, board_events;
