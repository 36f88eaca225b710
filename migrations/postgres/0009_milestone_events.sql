-- Deployment plan milestones as events: an event made from a milestone of its plan (`plan_id`)
-- names the milestone here ("Pilot: Go-live on ward 5"), and follows the plan's approved
-- revision instead of being edited by hand. NULL for every other event.
ALTER TABLE events ADD COLUMN milestone TEXT;
CREATE UNIQUE INDEX events_plan_milestone ON events (plan_id, milestone);
