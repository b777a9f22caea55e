-- Herald schema v1, embedded SQLite twin of postgres/V1 (DESIGN §6): the inbox, idempotency keys, and the tables the preference,
-- template and delivery issues build on. Times are INTEGER with millisecond values; ids of
-- notifications are UUIDv7 text made by core (time-ordered, sorting as text in inbox order).

CREATE TABLE notifications (
    id           text        PRIMARY KEY,
    recipient_id text        NOT NULL,
    actor_id     text,
    entity_type  text,
    entity_id    text,
    type         text        NOT NULL,
    title        text        NOT NULL DEFAULT '',
    message      text        NOT NULL DEFAULT '',
    channel      text        NOT NULL,
    priority     text        NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    status       text        NOT NULL CHECK (status IN ('scheduled', 'pending', 'delivered', 'read')),
    data         text        NOT NULL DEFAULT '{}',
    -- The inbox time: acceptance, or scheduled_at for a scheduled notification.
    created_at   INTEGER NOT NULL,
    scheduled_at INTEGER,
    delivered_at INTEGER,
    read_at      INTEGER,
    expires_at   INTEGER
);

-- The inbox page and the sync cursor: (recipient, inbox text, id) in both directions.
CREATE INDEX idx_notifications_recipient_created ON notifications (recipient_id, created_at DESC, id DESC);
-- Unread badge, unread-only pages and read-all touch only unread rows.
CREATE INDEX idx_notifications_recipient_unread ON notifications (recipient_id, created_at DESC, id DESC) WHERE read_at IS NULL;
-- The scheduler's claim and next-due lookups see only rows still held.
CREATE INDEX idx_notifications_scheduled ON notifications (created_at) WHERE status = 'scheduled';
-- Purges. Retention needs no created_at index: the primary key is time-ordered (UUIDv7 whose time
-- is created_at), so "older than" is a range of the primary key. A global created_at index would
-- also tempt the planner away from the per-recipient index for heavy users.
CREATE INDEX idx_notifications_expires ON notifications (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX idx_notifications_entity ON notifications (entity_type, entity_id) WHERE entity_id IS NOT NULL;

-- Idempotency-Key → the answer of the first request, for 24 h.
CREATE TABLE idempotency_keys (
    key              text        PRIMARY KEY,
    fingerprint      text        NOT NULL,
    notification_ids text        NOT NULL,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL
);
CREATE INDEX idx_idempotency_keys_expires ON idempotency_keys (expires_at);

CREATE TABLE notification_templates (
    id         INTEGER     PRIMARY KEY AUTOINCREMENT,
    key        text        NOT NULL,
    channel    text        NOT NULL,
    locale     text        NOT NULL DEFAULT 'en',
    subject    text,
    body       text        NOT NULL,
    variables  text        NOT NULL DEFAULT '[]',
    version    integer     NOT NULL DEFAULT 1,
    active     integer     NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (key, channel, locale, version)
);

CREATE TABLE notification_preferences (
    user_id           text        NOT NULL,
    notification_type text        NOT NULL,
    channel           text        NOT NULL,
    enabled           integer     NOT NULL DEFAULT 1,
    frequency         text        NOT NULL DEFAULT 'instant' CHECK (frequency IN ('instant', 'daily', 'weekly')),
    quiet_hours_start text,
    quiet_hours_end   text,
    updated_at        INTEGER NOT NULL,
    PRIMARY KEY (user_id, notification_type, channel)
);

CREATE TABLE user_contacts (
    user_id    text        PRIMARY KEY,
    email      text,
    phone      text,
    locale     text        NOT NULL DEFAULT 'en',
    timezone   text        NOT NULL DEFAULT 'UTC',
    updated_at INTEGER NOT NULL
);

CREATE TABLE devices (
    id           text        PRIMARY KEY,
    user_id      text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('apns', 'fcm', 'webpush')),
    token        text        NOT NULL,
    -- Web Push subscription keys (p256dh, auth); null for APNs/FCM tokens.
    keys         text,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    UNIQUE (kind, token)
);
CREATE INDEX idx_devices_user ON devices (user_id);

-- One row per (notification, channel) to deliver; claimed with FOR UPDATE SKIP LOCKED.
CREATE TABLE outbox (
    id              INTEGER     PRIMARY KEY AUTOINCREMENT,
    notification_id text        NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    recipient_id    text        NOT NULL,
    channel         text        NOT NULL,
    priority        text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'processing', 'sent', 'failed', 'dead')),
    attempt_count   integer     NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      text,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX idx_outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX idx_outbox_notification ON outbox (notification_id);
CREATE INDEX idx_outbox_recipient ON outbox (recipient_id);

CREATE TABLE delivery_log (
    id              INTEGER     PRIMARY KEY AUTOINCREMENT,
    notification_id text        REFERENCES notifications (id) ON DELETE CASCADE,
    recipient_id    text        NOT NULL,
    channel         text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'dead')),
    attempt_count   integer     NOT NULL DEFAULT 1,
    error_message   text,
    delivered_at    INTEGER,
    created_at      INTEGER NOT NULL
);
CREATE INDEX idx_delivery_log_notification ON delivery_log (notification_id);
CREATE INDEX idx_delivery_log_recipient ON delivery_log (recipient_id);
