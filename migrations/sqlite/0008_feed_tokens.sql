-- Per-user secret calendar feed addresses (`/feeds/{token}/events.ics`). Calendar apps send no
-- cookies, so the token in the address stands for its owner, for the feeds alone. Only a
-- SHA-256 hash of the token is stored: the database (or a backup of it) gives nobody a working
-- address. One token per user: making a new one replaces the old, which then answers 404.
CREATE TABLE feed_tokens (
    user_id     BIGINT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);
