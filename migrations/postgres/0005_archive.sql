-- Archiving is a state of its own, not a workflow status: an archived document stays away from
-- readers while a new draft is written, saved or restored, until a publisher approves a
-- revision. Approving clears `archived_at`.

ALTER TABLE documents ADD COLUMN archived_at TEXT;

UPDATE documents SET archived_at = updated_at WHERE status = 'archived';

-- Documents archived and then edited before this version lost their archived status; the
-- workflow steps still say so when no approval followed the archiving.
UPDATE documents SET archived_at = (
    SELECT MAX(s.at) FROM workflow_steps s WHERE s.document_id = documents.id AND s.step = 'archived'
)
WHERE archived_at IS NULL
  AND EXISTS (
    SELECT 1 FROM workflow_steps s
    WHERE s.document_id = documents.id AND s.step = 'archived'
      AND NOT EXISTS (
        SELECT 1 FROM workflow_steps a
        WHERE a.document_id = s.document_id AND a.id > s.id
          AND a.step IN ('approved', 'imported') AND a.revision_id IS NOT NULL
      )
  );
