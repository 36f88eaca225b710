-- Waivers: a publisher of an organisation accepts, for a while, that its access-management
-- configuration fails a rule of the catalogue, with a justification. A waiver lapses by itself
-- after `expires_on` (the last day it holds; judged against the portal's clock when a scorecard
-- is shown) and can be withdrawn earlier; neither deletes it, so the history stays.

CREATE TABLE waivers (
    id             INTEGER PRIMARY KEY,
    org_id         BIGINT NOT NULL REFERENCES organisations (id),
    -- A code of the rule catalogue, such as MFA-01.
    rule_code      TEXT NOT NULL,
    justification  TEXT NOT NULL,
    -- YYYY-MM-DD: the waiver holds up to and including this day.
    expires_on     TEXT NOT NULL,
    created_by     BIGINT NOT NULL REFERENCES users (id),
    created_at     TEXT NOT NULL,
    withdrawn_by   BIGINT REFERENCES users (id),
    withdrawn_at   TEXT
);
CREATE INDEX waivers_org_rule ON waivers (org_id, rule_code);
