-- Herald schema v7 (issue 10): per-user rate limits and what a send's provider said.

-- Sends per recipient, channel and fixed hour, counted by an atomic conditional upsert so that
-- every node sharing the database enforces one limit (RATE_LIMIT_*_PER_HOUR).
CREATE TABLE rate_windows (
    recipient_id text        NOT NULL,
    channel      text        NOT NULL,
    window_start timestamptz NOT NULL,
    sends        integer     NOT NULL CHECK (sends >= 1),
    PRIMARY KEY (recipient_id, channel, window_start)
);
-- The hourly purge of old windows.
CREATE INDEX idx_rate_windows_start ON rate_windows (window_start);

-- The provider's message id of a sent message (an email's Message-ID, a Twilio sid) and what else
-- the history should show (an SMS's encoding and segment count).
ALTER TABLE delivery_log ADD COLUMN provider_id text;
ALTER TABLE delivery_log ADD COLUMN detail text;
