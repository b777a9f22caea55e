-- Herald schema v5, embedded SQLite twin of postgres/V5 (issue 11): broker messages that can
-- never be stored, kept with why. Times are INTEGER milliseconds, as in V1.
CREATE TABLE ingest_dead_letters (
    id          text    PRIMARY KEY,
    source      text    NOT NULL,
    subject     text    NOT NULL,
    message_key text,
    reason      text    NOT NULL,
    body        text    NOT NULL,
    received_at INTEGER NOT NULL
);
CREATE INDEX idx_ingest_dead_letters_recent ON ingest_dead_letters (received_at DESC, id);
