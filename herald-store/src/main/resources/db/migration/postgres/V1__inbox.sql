-- Herald schema v1 (DESIGN §6): the inbox, idempotency keys, and the tables the preference,
-- template and delivery issues build on. Times are timestamptz with millisecond values; ids of
-- notifications are UUIDv7 made by core (time-ordered, so inserts append to the btree).

CREATE TABLE notifications (
    id           uuid        PRIMARY KEY,
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
    -- json, not jsonb: the payload is opaque to Herald and clients get back the exact text sent.
    data         json        NOT NULL DEFAULT '{}',
    -- The inbox time: acceptance, or scheduled_at for a scheduled notification.
    created_at   timestamptz NOT NULL,
    scheduled_at timestamptz,
    delivered_at timestamptz,
    read_at      timestamptz,
    expires_at   timestamptz
);

-- The inbox page and the sync cursor: (recipient, inbox time, id) in both directions. expires_at is
-- included so the counts are index-only scans (see herald-store/QUERY-PLANS.md).
CREATE INDEX idx_notifications_recipient_created ON notifications (recipient_id, created_at DESC, id DESC) INCLUDE (expires_at);
-- Unread badge, unread-only pages and read-all touch only unread rows.
CREATE INDEX idx_notifications_recipient_unread ON notifications (recipient_id, created_at DESC, id DESC) INCLUDE (expires_at)
    WHERE read_at IS NULL;
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
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL
);
CREATE INDEX idx_idempotency_keys_expires ON idempotency_keys (expires_at);

CREATE TABLE notification_templates (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key        text        NOT NULL,
    channel    text        NOT NULL,
    locale     text        NOT NULL DEFAULT 'en',
    subject    text,
    body       text        NOT NULL,
    variables  jsonb       NOT NULL DEFAULT '[]',
    version    integer     NOT NULL DEFAULT 1,
    active     boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (key, channel, locale, version)
);

CREATE TABLE notification_preferences (
    user_id           text        NOT NULL,
    notification_type text        NOT NULL,
    channel           text        NOT NULL,
    enabled           boolean     NOT NULL DEFAULT true,
    frequency         text        NOT NULL DEFAULT 'instant' CHECK (frequency IN ('instant', 'daily', 'weekly')),
    quiet_hours_start time,
    quiet_hours_end   time,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (user_id, notification_type, channel)
);

CREATE TABLE user_contacts (
    user_id    text        PRIMARY KEY,
    email      text,
    phone      text,
    locale     text        NOT NULL DEFAULT 'en',
    timezone   text        NOT NULL DEFAULT 'UTC',
    updated_at timestamptz NOT NULL
);

CREATE TABLE devices (
    id           uuid        PRIMARY KEY,
    user_id      text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('apns', 'fcm', 'webpush')),
    token        text        NOT NULL,
    -- Web Push subscription keys (p256dh, auth); null for APNs/FCM tokens.
    keys         jsonb,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    UNIQUE (kind, token)
);
CREATE INDEX idx_devices_user ON devices (user_id);

-- One row per (notification, channel) to deliver; claimed with FOR UPDATE SKIP LOCKED.
CREATE TABLE outbox (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notification_id uuid        NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    recipient_id    text        NOT NULL,
    channel         text        NOT NULL,
    priority        text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'processing', 'sent', 'failed', 'dead')),
    attempt_count   integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX idx_outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX idx_outbox_notification ON outbox (notification_id);
CREATE INDEX idx_outbox_recipient ON outbox (recipient_id);

CREATE TABLE delivery_log (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notification_id uuid        REFERENCES notifications (id) ON DELETE CASCADE,
    recipient_id    text        NOT NULL,
    channel         text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'dead')),
    attempt_count   integer     NOT NULL DEFAULT 1,
    error_message   text,
    delivered_at    timestamptz,
    created_at      timestamptz NOT NULL
);
CREATE INDEX idx_delivery_log_notification ON delivery_log (notification_id);
CREATE INDEX idx_delivery_log_recipient ON delivery_log (recipient_id);
