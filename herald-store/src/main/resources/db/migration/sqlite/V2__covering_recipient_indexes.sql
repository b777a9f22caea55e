-- SQLite has no INCLUDE: append expires_at to the per-recipient indexes so inbox counts and pages
-- (which filter on created_at and expires_at) are answered from the index alone ("USING COVERING
-- INDEX"), as PostgreSQL's INCLUDE (expires_at) does. The unread index also carries read_at (always
-- NULL there): SQLite will not treat the partial index's WHERE as covering the query's read_at test.
-- Measured by bench/inbox.sh: the heavy user's unread count and notifications:pending were reading
-- every counted row from the table.
DROP INDEX idx_notifications_recipient_created;
CREATE INDEX idx_notifications_recipient_created ON notifications (recipient_id, created_at DESC, id DESC, expires_at);
DROP INDEX idx_notifications_recipient_unread;
CREATE INDEX idx_notifications_recipient_unread ON notifications (recipient_id, created_at DESC, id DESC, expires_at, read_at) WHERE read_at IS NULL;
