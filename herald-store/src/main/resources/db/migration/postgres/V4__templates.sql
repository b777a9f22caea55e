-- Herald schema v4 (issue 10): templates with their history. V1's notification_templates was a
-- guess no code ever wrote to; it is replaced. One row per version of a (key, channel, locale)
-- variant, never updated: a notification records its key's revision and renders, at send time,
-- the newest version of each variant not above it. A deletion is a version with active = false.

DROP TABLE notification_templates;

-- Each key's latest revision. Writers bump it first in their transaction: the row lock orders
-- concurrent writers of one key across nodes, so revisions increase by one.
CREATE TABLE notification_template_keys (
    key      text   PRIMARY KEY,
    revision bigint NOT NULL CHECK (revision > 0)
);

CREATE TABLE notification_templates (
    key        text        NOT NULL,
    channel    text        NOT NULL CHECK (channel IN ('inApp', 'email', 'push', 'sms', 'webhook')),
    -- A canonical BCP 47 tag (fr-CA) or 'default'.
    locale     text        NOT NULL,
    version    bigint      NOT NULL,
    subject    text        NOT NULL,
    body       text        NOT NULL,
    html       text,
    -- The declared variables, a JSON array of names.
    variables  text        NOT NULL,
    active     boolean     NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (key, channel, locale, version)
);
