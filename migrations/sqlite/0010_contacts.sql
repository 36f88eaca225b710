-- Stakeholder contacts: whom to call at another organisation (project manager, clinical lead,
-- IT lead…). Personal data: never public; visible to every signed-in member (network) or to the
-- members of the contact's organisation only. Archived contacts leave the directory and stay
-- for the organisation's editors, who can bring them back.

CREATE TABLE contacts (
    id             INTEGER PRIMARY KEY,
    -- The contact's name in the directory (`/contacts/{slug}`), which plans link to.
    slug           TEXT NOT NULL UNIQUE,
    org_id         BIGINT NOT NULL REFERENCES organisations (id),
    full_name      TEXT NOT NULL,
    -- The name folded for searching: lower case, without accents or apostrophes.
    name_key       TEXT NOT NULL,
    job_title      TEXT NOT NULL DEFAULT '',
    team           TEXT NOT NULL DEFAULT '',
    -- Lower case; one contact per address.
    email          TEXT NOT NULL UNIQUE,
    phone          TEXT NOT NULL DEFAULT '',
    visibility     TEXT NOT NULL CHECK (visibility IN ('network', 'organisation')),
    -- The day someone last checked the details with the person (YYYY-MM-DD).
    last_verified  TEXT NOT NULL,
    archived_at    TEXT,
    -- Raised on every change: a form opened before another change is refused.
    version        BIGINT NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX contacts_org ON contacts (org_id, name_key);
CREATE INDEX contacts_name ON contacts (name_key);
CREATE INDEX contacts_verified ON contacts (last_verified);

CREATE TABLE contact_roles (
    contact_id  BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('project-manager', 'programme-lead', 'clinical-lead', 'it-lead', 'information-governance-lead', 'registration-authority-manager', 'clinical-safety-officer', 'cyber-security-lead', 'trainer', 'service-desk-lead', 'supplier-contact')),
    PRIMARY KEY (contact_id, role)
);
CREATE INDEX contact_roles_role ON contact_roles (role);

CREATE TABLE contact_initiatives (
    contact_id  BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    initiative  TEXT NOT NULL,
    PRIMARY KEY (contact_id, initiative)
);
CREATE INDEX contact_initiatives_initiative ON contact_initiatives (initiative);

-- How many contacts a member opened in the last hour is counted from the audit log.
CREATE INDEX audit_log_actor ON audit_log (actor_id, action, at);
