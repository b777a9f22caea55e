-- The outbox data set and statements of QUERY-PLANS.md ("Outbox query plans"). Run from
-- src/main/resources/db/migration/postgres (for \i), against a scratch database:
--   psql -h 127.0.0.1 -U postgres test -f ../../../../../../query-plans/outbox-1m.sql
-- It creates and leaves schema qp_outbox; DROP SCHEMA qp_outbox CASCADE when done.
DROP SCHEMA IF EXISTS qp_outbox CASCADE;
CREATE SCHEMA qp_outbox;
SET search_path = qp_outbox;
\i V1__inbox.sql
\i V3__delivery_tables.sql
-- 1M rows, one per 2.6 s from 2026-02-01: 90 % final, 10 % waiting.
INSERT INTO outbox (id, notification_id, recipient_id, type, channel, priority, kind, digest_key, status, reason,
                    attempts, due_at, claimed_until, payload, created_at, updated_at)
SELECT lpad(to_hex(g), 12, '0') || '-7000-8000-' || lpad(to_hex(g * 7919 % 1000003), 12, '0'),
       'n' || (g / 2), 'user-' || (g % 8000), 'comment',
       (ARRAY['email','push','sms','webhook'])[1 + g % 4],
       (ARRAY['low','medium','high','urgent'])[1 + (g / 3) % 4],
       'standard',
       CASE WHEN g % 20 = 7 THEN 'daily:2026-03-01T09:00:00Z' END,
       CASE WHEN g % 20 = 7 THEN 'held'
            WHEN g % 20 = 3 THEN 'pending'
            ELSE (ARRAY['sent','delivered','skipped','failed','dead','read','expired','sent'])[1 + g % 8] END,
       NULL, 1,
       CASE WHEN g % 20 = 7 THEN timestamptz '2026-03-01 09:00Z'
            WHEN g % 20 = 3 AND g % 3 = 0 THEN timestamptz '2026-03-01 12:00Z' + (g % 600) * interval '1 s'
            ELSE timestamptz '2026-02-01 00:00Z' + g * interval '2.6 s' END,
       NULL, '{}', timestamptz '2026-02-01 00:00Z' + g * interval '2.6 s', timestamptz '2026-02-01 00:00Z' + g * interval '2.6 s'
FROM generate_series(1::bigint, 1000000::bigint) g;
VACUUM ANALYZE outbox;

-- 1. claim 50 high from a backlog of past-due pending rows
BEGIN;
EXPLAIN (ANALYZE, BUFFERS)
UPDATE outbox SET claimed_until = '2026-03-01 10:05Z', updated_at = '2026-03-01 10:00Z'
WHERE id IN (SELECT o.id FROM outbox o WHERE o.priority = 'high' AND o.status IN ('pending', 'held')
  AND o.due_at <= '2026-03-01 10:00Z' AND (o.claimed_until IS NULL OR o.claimed_until <= '2026-03-01 10:00Z')
  AND (o.digest_key IS NULL OR pg_try_advisory_xact_lock(1213352004, hashtext(o.recipient_id || chr(31) || o.channel || chr(31) || o.digest_key)))
  ORDER BY o.due_at, o.id LIMIT 50 FOR UPDATE SKIP LOCKED)
RETURNING id;
ROLLBACK;

-- 4-8
EXPLAIN (ANALYZE, BUFFERS) SELECT priority, count(*) AS due, min(due_at) AS oldest FROM outbox
  WHERE status IN ('pending', 'held') AND due_at <= '2026-03-01 10:00Z' GROUP BY priority;
EXPLAIN (ANALYZE, BUFFERS) SELECT channel, status, count(*) AS n FROM outbox GROUP BY channel, status;
EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM outbox WHERE 1 = 1 AND status = 'dead' ORDER BY id DESC LIMIT 50;
EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM outbox WHERE 1 = 1 AND notification_id = 'n4242' ORDER BY id LIMIT 500;
BEGIN;
EXPLAIN (ANALYZE, BUFFERS) DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE created_at < '2026-02-05'
  AND status NOT IN ('pending', 'held') LIMIT 1000);
ROLLBACK;

-- 2-3: only digest rows due (settle the past-due pending rows first; run the claim twice, see "dead index entries")
UPDATE outbox SET status = 'sent' WHERE status = 'pending' AND due_at < '2026-03-01 09:30Z';
VACUUM ANALYZE outbox;
BEGIN;
EXPLAIN (ANALYZE, BUFFERS)
UPDATE outbox SET claimed_until = '2026-03-01 10:05Z', updated_at = '2026-03-01 10:00Z'
WHERE id IN (SELECT o.id FROM outbox o WHERE o.priority = 'high' AND o.status IN ('pending', 'held')
  AND o.due_at <= '2026-03-01 10:00Z' AND (o.claimed_until IS NULL OR o.claimed_until <= '2026-03-01 10:00Z')
  AND (o.digest_key IS NULL OR pg_try_advisory_xact_lock(1213352004, hashtext(o.recipient_id || chr(31) || o.channel || chr(31) || o.digest_key)))
  ORDER BY o.due_at, o.id LIMIT 50 FOR UPDATE SKIP LOCKED)
RETURNING id;
EXPLAIN (ANALYZE, BUFFERS)
UPDATE outbox SET claimed_until = '2026-03-01 10:05Z', updated_at = '2026-03-01 10:00Z'
WHERE id IN (SELECT id FROM outbox WHERE recipient_id = 'user-7' AND channel = 'webhook' AND digest_key = 'daily:2026-03-01T09:00:00Z'
  AND status IN ('pending', 'held') AND due_at <= '2026-03-01 10:00Z' AND (claimed_until IS NULL OR claimed_until <= '2026-03-01 10:00Z') FOR UPDATE)
RETURNING id;
ROLLBACK;
