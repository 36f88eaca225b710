-- Sign-in: failed attempts are counted per typed email (account or not) and per client address,
-- so that an unknown email is throttled exactly like a real one and an attacker's client locks
-- only itself out of an account. The counters on `users` are replaced by this table.
-- Sessions know their user, so that all of a user's sessions can be ended at once.

CREATE TABLE sign_in_failures (
    -- The email as typed, trimmed and lower-cased (at most 254 characters).
    account          TEXT NOT NULL,
    -- The client's address (an IPv6 client by its /64); '' for the count over all clients.
    client           TEXT NOT NULL,
    failures         BIGINT NOT NULL,
    last_failure_at  TEXT NOT NULL,
    -- Only per-client rows lock.
    locked_until     TEXT,
    PRIMARY KEY (account, client)
);
CREATE INDEX sign_in_failures_last ON sign_in_failures (last_failure_at);

ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;

ALTER TABLE sessions ADD COLUMN user_id BIGINT REFERENCES users (id) ON DELETE CASCADE;
CREATE INDEX sessions_user ON sessions (user_id);
