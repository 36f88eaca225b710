-- Foundation: organisations, people, sessions, documents (guides first), the search change log and the audit log.
-- Timestamps are RFC 3339 UTC text so that the same queries work on SQLite and PostgreSQL.

CREATE TABLE organisations (
    id            INTEGER PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    code          TEXT NOT NULL,
    nation        TEXT NOT NULL CHECK (nation IN ('england', 'scotland', 'wales', 'northern-ireland')),
    kind          TEXT NOT NULL CHECK (kind IN ('trust', 'health-board', 'national-body', 'supplier')),
    parent_id     BIGINT REFERENCES organisations (id),
    description   TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX organisations_parent ON organisations (parent_id);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    org_id         BIGINT NOT NULL REFERENCES organisations (id),
    role           TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'publisher', 'admin')),
    job_title      TEXT NOT NULL DEFAULT '',
    password_hash  TEXT,
    failed_logins  BIGINT NOT NULL DEFAULT 0,
    locked_until   TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    slug        TEXT NOT NULL,
    org_id      BIGINT NOT NULL REFERENCES organisations (id),
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    topic       TEXT NOT NULL DEFAULT '',
    owner_id    BIGINT REFERENCES users (id),
    visibility  TEXT NOT NULL CHECK (visibility IN ('public', 'network', 'organisation')),
    status      TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'published', 'archived')),
    review_by   TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (kind, slug)
);
CREATE INDEX documents_listing ON documents (kind, status, updated_at);
CREATE INDEX documents_org ON documents (org_id);

CREATE TABLE document_tags (
    document_id  BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    tag          TEXT NOT NULL,
    PRIMARY KEY (document_id, tag)
);
CREATE INDEX document_tags_tag ON document_tags (tag);

-- Written in the same transaction as every content change; the search indexer follows it.
CREATE TABLE change_log (
    id          INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL,
    entity_id   BIGINT NOT NULL,
    op          TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    at          TEXT NOT NULL
);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    actor_id     BIGINT,
    actor        TEXT NOT NULL,
    org_id       BIGINT,
    action       TEXT NOT NULL,
    target       TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    client_addr  TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
