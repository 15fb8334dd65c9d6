-- Ideas rounds go with their proposals and invitations (cascading while foreign keys are on).
DELETE FROM rounds WHERE number = 0;
PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE item_evidence;
DROP INDEX suggestions_code;
ALTER TABLE suggestions DROP COLUMN source_link;
ALTER TABLE suggestions DROP COLUMN source;
ALTER TABLE suggestions DROP COLUMN set_aside;
ALTER TABLE suggestions DROP COLUMN code;
CREATE TABLE rounds_next (
    id         INTEGER PRIMARY KEY NOT NULL,
    study_id   BIGINT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL CHECK (number >= 1),
    status     TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    opened_at  TIMESTAMP,
    deadline   TIMESTAMP,
    closed_at  TIMESTAMP,
    closed_by  TEXT,
    created_at TIMESTAMP NOT NULL,
    kind       TEXT NOT NULL DEFAULT 'rating',
    UNIQUE (study_id, number),
    CHECK (status <> 'open' OR opened_at IS NOT NULL),
    CHECK (status <> 'closed' OR closed_at IS NOT NULL)
);
INSERT INTO rounds_next (id, study_id, number, status, opened_at, deadline, closed_at, closed_by, created_at, kind)
    SELECT id, study_id, number, status, opened_at, deadline, closed_at, closed_by, created_at, kind FROM rounds;
DROP TABLE rounds;
ALTER TABLE rounds_next RENAME TO rounds;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
