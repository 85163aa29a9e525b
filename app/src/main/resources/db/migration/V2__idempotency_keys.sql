-- Idempotency keys of creates (Relay's clientMutationId): a retry with the same key returns what
-- the first request created and creates nothing again. A key is written in the same transaction
-- as its create, kept for boardcast.idempotency.window, then pruned with the event log.
CREATE TABLE idempotency_keys (
    user_id            uuid NOT NULL REFERENCES users (id),
    client_mutation_id text NOT NULL,
    -- the mutation and a SHA-256 of its canonical input: the same key with another input is refused
    mutation           text NOT NULL,
    input_hash         text NOT NULL,
    -- what the first request created; no foreign keys: a replay of something deleted says NOT_FOUND
    board_id           uuid NOT NULL,
    entity_id          uuid NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    -- keys are per user; a concurrent create with the same key waits on this key, then rolls back
    PRIMARY KEY (user_id, client_mutation_id)
);
-- pruning by age
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
