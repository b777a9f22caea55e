-- Herald schema v5 (issue 11): broker messages that can never be stored (bad JSON, a refused
-- field, a channel not configured), kept with why so an operator can fix and resend them. They are
-- not deliveries: no notification exists, so they have their own table, not the outbox's dead rows.
CREATE TABLE ingest_dead_letters (
    -- One per broker message (nats:<stream>:<sequence>, redis-stream:<key>:<entry id>, ...): a
    -- redelivered poison message is kept once.
    id          text        PRIMARY KEY,
    source      text        NOT NULL,
    subject     text        NOT NULL,
    message_key text,
    reason      text        NOT NULL,
    body        text        NOT NULL,
    received_at timestamptz NOT NULL
);
CREATE INDEX idx_ingest_dead_letters_recent ON ingest_dead_letters (received_at DESC, id);
