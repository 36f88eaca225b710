-- The rules of the access-management catalogue that each lesson learned names in its approved
-- revision (`rules: [MFA-01]`), so that a rule's page lists the lessons about it. Derived from
-- the revision in the same transaction that approves it; emptied when the lesson is archived.
CREATE TABLE rule_mentions (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    rule_code TEXT NOT NULL,
    PRIMARY KEY (document_id, rule_code)
);
CREATE INDEX rule_mentions_rule ON rule_mentions (rule_code, document_id);
