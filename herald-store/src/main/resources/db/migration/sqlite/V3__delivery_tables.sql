-- Herald schema v3, embedded SQLite twin of postgres/V3 (issue 9): the tables the pipeline and the
-- dispatcher write. V1 guessed them before any code used them; nothing ever wrote to V1's outbox, delivery_log,
-- notification_preferences, user_contacts or devices, so they are replaced, not altered.
-- Times are INTEGER milliseconds, as in V1.

DROP TABLE delivery_log;
DROP TABLE outbox;
DROP TABLE notification_preferences;
DROP TABLE user_contacts;
DROP TABLE devices;

-- One row per (notification, recipient, out-of-app channel, kind): what the dispatcher works.
-- No foreign key to notifications: a recipient who switched in-app off has a delivery and no inbox
-- row. Ids are UUIDv7 text made by core, so they sort by creation.
CREATE TABLE outbox (
    id              text        PRIMARY KEY,
    notification_id text        NOT NULL,
    recipient_id    text        NOT NULL,
    type            text        NOT NULL,
    channel         text        NOT NULL CHECK (channel IN ('email', 'push', 'sms', 'webhook', 'inApp')),
    priority        text        NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    kind            text        NOT NULL CHECK (kind IN ('standard', 'fallback', 'escalation')),
    -- The digest window the row waits for (e.g. daily:2026-03-10T08:00:00Z); null when sent alone.
    digest_key      text,
    status          text        NOT NULL CHECK (status IN ('pending', 'held', 'sent', 'delivered', 'read',
                                                           'skipped', 'failed', 'dead', 'expired')),
    reason          text,
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    due_at          INTEGER     NOT NULL,
    -- A dispatcher's lease; a lapsed lease (the node died) makes the row claimable again.
    claimed_until   INTEGER,
    -- The message as JSON text; the dispatcher never reads the inbox row.
    payload         text        NOT NULL,
    created_at      INTEGER     NOT NULL,
    updated_at      INTEGER     NOT NULL
);
-- The claim: waiting rows of one priority in due order (see QUERY-PLANS.md).
CREATE INDEX idx_outbox_claim ON outbox (priority, due_at, id) WHERE status IN ('pending', 'held');
-- A digest's other rows, claimed with the first one.
CREATE INDEX idx_outbox_digest ON outbox (recipient_id, channel, digest_key, due_at, id)
    WHERE digest_key IS NOT NULL AND status IN ('pending', 'held');
-- A notification's deliveries (history, cancel of an escalation).
CREATE INDEX idx_outbox_notification ON outbox (notification_id, id);
-- Admin lists (dead letters, failures) newest first.
CREATE INDEX idx_outbox_status ON outbox (status, id);
-- Erasure and retention.
CREATE INDEX idx_outbox_recipient ON outbox (recipient_id);
CREATE INDEX idx_outbox_created ON outbox (created_at);

-- One row per send attempt. The target's columns are copied so the history outlives the outbox row.
CREATE TABLE delivery_log (
    id              INTEGER     PRIMARY KEY AUTOINCREMENT,
    delivery_id     text        NOT NULL,
    notification_id text        NOT NULL,
    recipient_id    text        NOT NULL,
    type            text        NOT NULL,
    channel         text        NOT NULL,
    priority        text        NOT NULL,
    kind            text        NOT NULL,
    digest_key      text,
    attempt         integer     NOT NULL,
    outcome         text        NOT NULL CHECK (outcome IN ('pending', 'held', 'sent', 'delivered', 'read',
                                                            'skipped', 'failed', 'dead', 'expired')),
    provider        text,
    latency_ms      bigint      NOT NULL DEFAULT 0,
    error           text,
    at              INTEGER     NOT NULL
);
CREATE INDEX idx_delivery_log_notification ON delivery_log (notification_id, id);
CREATE INDEX idx_delivery_log_recipient ON delivery_log (recipient_id);
CREATE INDEX idx_delivery_log_at ON delivery_log (at);

-- One preferences document per user, in the DESIGN §5 shape; read whole and replaced whole.
CREATE TABLE notification_preferences (
    user_id    text        PRIMARY KEY,
    document   text        NOT NULL,
    updated_at INTEGER     NOT NULL
);

CREATE TABLE user_contacts (
    user_id     text        PRIMARY KEY,
    email       text,
    phone       text,
    locale      text,
    timezone    text,
    webhook_url text,
    updated_at  INTEGER     NOT NULL
);

-- Push targets. A token belongs to one user at a time (UNIQUE): registering it again moves it.
CREATE TABLE devices (
    id         text        PRIMARY KEY,
    user_id    text        NOT NULL,
    platform   text        NOT NULL CHECK (platform IN ('fcm', 'apns', 'webpush')),
    -- The FCM/APNs token, or the Web Push endpoint URL.
    token      text        NOT NULL,
    -- Web Push subscription keys; null for FCM and APNs.
    p256dh     text,
    auth       text,
    created_at INTEGER     NOT NULL,
    UNIQUE (platform, token)
);
CREATE INDEX idx_devices_user ON devices (user_id, created_at, id);
