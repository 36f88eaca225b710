-- Schedules: events with a kind, a time (local wall-clock times in a time zone, or all-day
-- dates), an optional RFC 5545 recurrence rule with single occurrences cancelled or moved, the
-- organisations taking part, and a sequence number raised on every change (iCalendar SEQUENCE).
-- Times are stored as written (`2026-01-06T10:00` in `time_zone`, or `2026-01-06` for an all-day
-- event, whose end is its last day); `starts_at` and `ends_at` are the UTC instants of the first
-- occurrence's start and the last one's end (NULL: the rule repeats for ever), for ordering and
-- for finding upcoming and past events without expanding every rule.

CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    -- The file name it was imported from: the same file updates the same event.
    slug          TEXT NOT NULL UNIQUE,
    -- The organisation that runs it; whose members see an organisation-only event.
    org_id        BIGINT NOT NULL REFERENCES organisations (id),
    title         TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('project-update-meeting', 'go-live', 'milestone', 'training', 'change-freeze', 'procurement', 'other')),
    starts_local  TEXT NOT NULL,
    ends_local    TEXT NOT NULL,
    time_zone     TEXT NOT NULL CHECK (time_zone IN ('Europe/London')),
    recurrence    TEXT NOT NULL DEFAULT '',
    location      TEXT NOT NULL DEFAULT '',
    online_url    TEXT NOT NULL DEFAULT '',
    initiative    TEXT NOT NULL DEFAULT '',
    plan_id       BIGINT REFERENCES documents (id),
    description   TEXT NOT NULL DEFAULT '',
    visibility    TEXT NOT NULL CHECK (visibility IN ('public', 'network', 'organisation')),
    status        TEXT NOT NULL CHECK (status IN ('planned', 'confirmed', 'cancelled')),
    sequence      BIGINT NOT NULL DEFAULT 0,
    starts_at     TEXT NOT NULL,
    ends_at       TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX events_org ON events (org_id);
CREATE INDEX events_starts ON events (starts_at);
CREATE INDEX events_plan ON events (plan_id);

-- The organisations taking part besides the one that runs it; their members also see an
-- organisation-only event.
CREATE TABLE event_organisations (
    event_id  BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    org_id    BIGINT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (event_id, org_id)
);
CREATE INDEX event_organisations_org ON event_organisations (org_id);

-- Single occurrences of a recurring event that were cancelled (iCalendar EXDATE) or moved (an
-- override with RECURRENCE-ID), named by their original local start as written.
CREATE TABLE event_exceptions (
    event_id      BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    occurrence    TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('cancelled', 'moved')),
    starts_local  TEXT,
    ends_local    TEXT,
    PRIMARY KEY (event_id, occurrence)
);
