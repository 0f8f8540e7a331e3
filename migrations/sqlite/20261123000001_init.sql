-- coroner schema, SQLite flavour. Keep in step with migrations/postgres/.
-- Timestamps are RFC 3339 UTC text, dates `YYYY-MM-DD`, JSON is text.

-- One row per post-mortem file. The markdown is the source of truth for the
-- text; `document` is the analyzed form, rebuilt whenever the file changes.
CREATE TABLE incidents (
    id               INTEGER PRIMARY KEY,
    slug             TEXT NOT NULL UNIQUE,
    title            TEXT,
    incident_date    DATE,
    source_path      TEXT NOT NULL,
    content_hash     TEXT NOT NULL,
    analyzer         TEXT NOT NULL,
    raw_markdown     TEXT NOT NULL,
    metadata         TEXT NOT NULL,
    tags             TEXT NOT NULL,
    document         TEXT NOT NULL,
    timezone         TEXT,
    started_at       DATETIME,
    ended_at         DATETIME,
    duration_minutes INTEGER,
    finding_count    INTEGER NOT NULL,
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL,
    archived_at      DATETIME
);
CREATE INDEX incidents_source_path ON incidents (source_path);
CREATE INDEX incidents_date ON incidents (incident_date);
CREATE INDEX incidents_updated_at ON incidents (updated_at);

CREATE TABLE incident_tags (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    tag         TEXT NOT NULL,
    PRIMARY KEY (incident_id, tag)
);
CREATE INDEX incident_tags_tag ON incident_tags (tag);

-- What happened to each incident and when: created, updated, archived, restored, moved.
CREATE TABLE incident_events (
    id           INTEGER PRIMARY KEY,
    incident_id  INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    at           DATETIME NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('created', 'updated', 'archived', 'restored', 'moved')),
    content_hash TEXT,
    source_path  TEXT
);
CREATE INDEX incident_events_at ON incident_events (at);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);

-- The normalized timeline, in narrative order.
CREATE TABLE timeline_entries (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    line        INTEGER NOT NULL,
    label       TEXT NOT NULL,
    local_time  DATETIME,
    utc         DATETIME,
    text        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    zone        TEXT,
    approximate BOOLEAN NOT NULL,
    PRIMARY KEY (incident_id, position)
);
CREATE INDEX timeline_entries_utc ON timeline_entries (utc);

CREATE TABLE findings (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    rule        TEXT NOT NULL,
    severity    TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
    line        INTEGER,
    message     TEXT NOT NULL,
    suggestion  TEXT,
    PRIMARY KEY (incident_id, position)
);
CREATE INDEX findings_rule ON findings (rule);

-- Tracked action items. Rows are never deleted: an item that disappears from
-- the markdown gets status 'removed'.
CREATE TABLE action_items (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    position    INTEGER NOT NULL,
    line        INTEGER NOT NULL,
    text        TEXT NOT NULL,
    group_name  TEXT,
    section     TEXT NOT NULL,
    refs        TEXT NOT NULL,
    children    TEXT NOT NULL,
    done_marker BOOLEAN NOT NULL,
    status      TEXT NOT NULL
                CHECK (status IN ('open', 'in_progress', 'done', 'wont_do', 'removed')),
    owner       TEXT,
    due_date    DATE,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    closed_at   DATETIME
);
CREATE INDEX action_items_incident ON action_items (incident_id, position);
CREATE INDEX action_items_status ON action_items (status, due_date);

-- Append-only: every change to an action item, by whom, when, old -> new.
CREATE TABLE action_item_history (
    id             INTEGER PRIMARY KEY,
    action_item_id INTEGER NOT NULL REFERENCES action_items (id),
    at             DATETIME NOT NULL,
    who            TEXT NOT NULL,
    field          TEXT NOT NULL,
    old_value      TEXT,
    new_value      TEXT,
    note           TEXT
);
CREATE INDEX action_item_history_item ON action_item_history (action_item_id, id);
CREATE INDEX action_item_history_at ON action_item_history (at);

CREATE TRIGGER action_item_history_no_update BEFORE UPDATE ON action_item_history
BEGIN
    SELECT RAISE(ABORT, 'action_item_history is append-only');
END;
CREATE TRIGGER action_item_history_no_delete BEFORE DELETE ON action_item_history
BEGIN
    SELECT RAISE(ABORT, 'action_item_history is append-only');
END;
CREATE TRIGGER action_items_no_delete BEFORE DELETE ON action_items
BEGIN
    SELECT RAISE(ABORT, 'action items are never deleted; set status to removed');
END;
