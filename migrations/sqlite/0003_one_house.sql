-- Workflow steps are stored as stable codes under their own name (calendar events will be
-- "events"), and the change log names the organisation of each change for feeds and
-- notifications.

ALTER TABLE document_events RENAME TO workflow_steps;
ALTER TABLE workflow_steps RENAME COLUMN action TO step;
UPDATE workflow_steps SET step = 'sent_back' WHERE step = 'sent back';
DROP INDEX document_events_document;
CREATE INDEX workflow_steps_document ON workflow_steps (document_id, id);

ALTER TABLE change_log ADD COLUMN org_id BIGINT;
