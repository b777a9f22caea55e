-- Herald schema v7 (issue 10): per-user rate limits and what a send's provider said.
-- Times are INTEGER milliseconds, as in V1.

-- Sends per recipient, channel and fixed hour, counted by an atomic conditional upsert
-- (RATE_LIMIT_*_PER_HOUR).
CREATE TABLE rate_windows (
    recipient_id text    NOT NULL,
    channel      text    NOT NULL,
    window_start INTEGER NOT NULL,
    sends        integer NOT NULL CHECK (sends >= 1),
    PRIMARY KEY (recipient_id, channel, window_start)
);
CREATE INDEX idx_rate_windows_start ON rate_windows (window_start);

-- The provider's message id of a sent message and what else the history should show.
ALTER TABLE delivery_log ADD COLUMN provider_id text;
ALTER TABLE delivery_log ADD COLUMN detail text;
