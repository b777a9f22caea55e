-- One row per key that ever sealed a value (HERALD_ENCRYPTION_KEY): a known text sealed with the key,
-- so a start with a wrong or missing key is refused before anything is read or written (KeyCheck).
-- Times are INTEGER milliseconds, as in V1.
CREATE TABLE encryption_keys (
    key_id      text    PRIMARY KEY,
    check_value text    NOT NULL,
    created_at  integer NOT NULL
);
