-- Boardcast schema. Every query path of the API has an index (see the comment on each).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE users (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    issuer       text NOT NULL,
    subject      text NOT NULL,
    handle       text NOT NULL,
    display_name text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    version      int NOT NULL DEFAULT 1,
    -- identity of a token: find-or-create on every first sight
    CONSTRAINT users_identity_key UNIQUE (issuer, subject)
);
-- handles are unique case-insensitively; addBoardMember and /dev/token look users up by handle
CREATE UNIQUE INDEX users_handle_key ON users (lower(handle));

CREATE TABLE boards (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    created_by  uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     int NOT NULL DEFAULT 1,
    -- the board's change counter: every write takes the next value under this row's lock
    event_seq   bigint NOT NULL DEFAULT 0,
    -- last human-readable task number handed out
    task_seq    int NOT NULL DEFAULT 0
);

CREATE TABLE board_members (
    board_id uuid NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    user_id  uuid NOT NULL REFERENCES users (id),
    role     text NOT NULL CHECK (role IN ('OWNER', 'EDITOR', 'VIEWER')),
    added_at timestamptz NOT NULL DEFAULT now(),
    -- membership checks and Board.members (by board, then added_at)
    PRIMARY KEY (board_id, user_id)
);
-- Query.boards: my boards in membership order
CREATE INDEX board_members_user_idx ON board_members (user_id, added_at, board_id);

CREATE TABLE columns (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    board_id  uuid NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    name      text NOT NULL,
    -- fractional order key, compared byte-wise (COLLATE "C")
    position  text COLLATE "C" NOT NULL,
    is_done   boolean NOT NULL DEFAULT false,
    wip_limit int,
    version   int NOT NULL DEFAULT 1,
    -- Board.columns in order; neighbour look-ups for moves
    CONSTRAINT columns_position_key UNIQUE (board_id, position)
);

CREATE TABLE labels (
    id       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    board_id uuid NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    name     text NOT NULL,
    color    text NOT NULL,
    version  int NOT NULL DEFAULT 1
);
-- Board.labels by name; names unique per board case-insensitively
CREATE UNIQUE INDEX labels_board_name_key ON labels (board_id, lower(name));

CREATE TABLE tasks (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    board_id     uuid NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    column_id    uuid NOT NULL REFERENCES columns (id),
    number       int NOT NULL,
    position     text COLLATE "C" NOT NULL,
    title        text NOT NULL,
    description  text NOT NULL DEFAULT '',
    assignee_id  uuid REFERENCES users (id),
    -- labels of the same board; kept consistent by the board's write lock (deleteLabel strips them)
    label_ids    uuid[] NOT NULL DEFAULT '{}',
    due_date     date,
    priority     text NOT NULL DEFAULT 'NONE',
    created_by   uuid NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    version      int NOT NULL DEFAULT 1,
    -- Board.tasks ordered by number, and the number's uniqueness
    CONSTRAINT tasks_number_key UNIQUE (board_id, number),
    -- Column.tasks in order; neighbour look-ups for moves; Column.taskCount
    CONSTRAINT tasks_position_key UNIQUE (column_id, position)
);
-- Board.tasks(filter: {assigneeId}) and the assignee-must-be-member check on removeBoardMember
CREATE INDEX tasks_assignee_idx ON tasks (board_id, assignee_id);
-- Board.tasks(filter: {labelIds})
CREATE INDEX tasks_labels_idx ON tasks USING gin (label_ids);
-- Board.tasks(filter: {dueBefore, dueAfter})
CREATE INDEX tasks_due_idx ON tasks (board_id, due_date);
-- Board.tasks(filter: {text}): substring search in title and description
CREATE INDEX tasks_text_idx ON tasks USING gin ((title || ' ' || description) gin_trgm_ops);

CREATE TABLE comments (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    task_id    uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    board_id   uuid NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    author_id  uuid NOT NULL REFERENCES users (id),
    body       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    edited_at  timestamptz,
    version    int NOT NULL DEFAULT 1
);
-- Task.comments oldest first, Task.commentCount
CREATE INDEX comments_task_idx ON comments (task_id, created_at, id);

-- The per-board event log: one row per committed mutation, seq without gaps (DESIGN.md "Writes").
CREATE TABLE board_events (
    board_id  uuid NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    seq       bigint NOT NULL,
    kind      text NOT NULL,
    entity_id uuid NOT NULL,
    task_id   uuid,
    payload   jsonb,
    actor_id  uuid REFERENCES users (id),
    at        timestamptz NOT NULL DEFAULT now(),
    -- boardEvents / subscription replay: events of a board after a seq
    PRIMARY KEY (board_id, seq)
);
-- retention pruning by age
CREATE INDEX board_events_at_idx ON board_events (at);

-- The development issuer's signing key, shared by every replica on the same database.
CREATE TABLE dev_signing_key (
    id     int PRIMARY KEY CHECK (id = 1),
    secret bytea NOT NULL
);
