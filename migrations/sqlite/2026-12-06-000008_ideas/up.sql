-- Ideas before round 1 (see docs/ideas.md). The ideas round is stored as round 0 so that round 1
-- stays the first rating round and every export's `round` column keeps its meaning: `rounds`
-- accepts number 0. SQLite cannot change a CHECK constraint in place, and dropping a table that
-- others refer to would cascade with foreign keys on, so the table is rebuilt with them off (the
-- documented twelve-step procedure), in one transaction of its own.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE rounds_next (
    id         INTEGER PRIMARY KEY NOT NULL,
    study_id   BIGINT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL CHECK (number >= 0),
    status     TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    opened_at  TIMESTAMP,
    deadline   TIMESTAMP,
    closed_at  TIMESTAMP,
    closed_by  TEXT,
    created_at TIMESTAMP NOT NULL,
    kind       TEXT NOT NULL DEFAULT 'rating',
    UNIQUE (study_id, number),
    CHECK (status <> 'open' OR opened_at IS NOT NULL),
    CHECK (status <> 'closed' OR closed_at IS NOT NULL),
    -- Round 0 is the ideas round and only it.
    CHECK ((number = 0) = (kind = 'ideas'))
);
INSERT INTO rounds_next (id, study_id, number, status, opened_at, deadline, closed_at, closed_by, created_at, kind)
    SELECT id, study_id, number, status, opened_at, deadline, closed_at, closed_by, created_at, kind FROM rounds;
DROP TABLE rounds;
ALTER TABLE rounds_next RENAME TO rounds;

-- A proposal of the ideas round is a suggestion of round 0 with a code (P001, …) for citing it,
-- and, when set aside, the reason and, for `already_answered`, the source that answers it.
ALTER TABLE suggestions ADD COLUMN code TEXT;
ALTER TABLE suggestions ADD COLUMN set_aside TEXT
    CHECK (set_aside IS NULL OR set_aside IN ('out_of_scope', 'duplicate', 'already_answered', 'unclear'));
ALTER TABLE suggestions ADD COLUMN source TEXT;
ALTER TABLE suggestions ADD COLUMN source_link TEXT;
CREATE UNIQUE INDEX suggestions_code ON suggestions (study_id, code);

-- Evidence notes of an item, shown to experts as the item's background.
CREATE TABLE item_evidence (
    id         INTEGER PRIMARY KEY NOT NULL,
    item_id    BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    citation   TEXT NOT NULL,
    link       TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (item_id, position)
);
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
