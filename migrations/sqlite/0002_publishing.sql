-- Publishing: every save is a revision; documents carry kind-specific fields and point at their
-- newest (head) and approved (published) revisions. The document row mirrors what readers see:
-- the published revision when there is one, otherwise the head.

ALTER TABLE documents ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';
ALTER TABLE documents ADD COLUMN head_revision_id BIGINT;
ALTER TABLE documents ADD COLUMN published_revision_id BIGINT;

CREATE TABLE document_revisions (
    id           INTEGER PRIMARY KEY,
    document_id  BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    number       BIGINT NOT NULL,
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    body         TEXT NOT NULL,
    topic        TEXT NOT NULL,
    fields       TEXT NOT NULL,
    tags         TEXT NOT NULL,
    owner_id     BIGINT REFERENCES users (id),
    visibility   TEXT NOT NULL CHECK (visibility IN ('public', 'network', 'organisation')),
    review_by    TEXT,
    author_id    BIGINT REFERENCES users (id),
    author       TEXT NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    UNIQUE (document_id, number)
);

-- Workflow steps with their comments (submitted, approved, sent back, archived, restored).
CREATE TABLE document_events (
    id           INTEGER PRIMARY KEY,
    document_id  BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    revision_id  BIGINT REFERENCES document_revisions (id),
    action       TEXT NOT NULL,
    actor_id     BIGINT REFERENCES users (id),
    actor        TEXT NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL
);
CREATE INDEX document_events_document ON document_events (document_id, id);

-- Existing documents become revision 1.
INSERT INTO document_revisions
    (document_id, number, title, summary, body, topic, fields, tags, owner_id, visibility, review_by,
     author_id, author, comment, created_at)
SELECT d.id, 1, d.title, d.summary, d.body, d.topic, '{}',
       COALESCE((SELECT json_group_array(t.tag) FROM (SELECT tag FROM document_tags WHERE document_id = d.id ORDER BY tag) t), '[]'),
       d.owner_id, d.visibility, d.review_by, NULL, 'import', 'Imported', d.updated_at
FROM documents d;
UPDATE documents SET head_revision_id =
    (SELECT r.id FROM document_revisions r WHERE r.document_id = documents.id AND r.number = 1);
UPDATE documents SET published_revision_id = head_revision_id WHERE status IN ('published', 'archived');
CREATE INDEX documents_review ON documents (org_id, review_by);
