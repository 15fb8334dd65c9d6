-- The closing email: when a study is finished, the panel may be thanked once, each expert with
-- a personal link to a read-only results page. Such a link is one more link token of the
-- expert's last invitation, with its own purpose so that it opens the results page and nothing
-- else. SQLite cannot change a CHECK constraint in place: the table is rebuilt with its rows.
CREATE TABLE invitation_tokens_next (
    id            INTEGER PRIMARY KEY NOT NULL,
    invitation_id BIGINT NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL UNIQUE,
    purpose       TEXT NOT NULL CHECK (purpose IN ('invitation', 'reminder', 'new_link', 'results')),
    created_at    TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP
);
INSERT INTO invitation_tokens_next (id, invitation_id, token_hash, purpose, created_at, revoked_at)
    SELECT id, invitation_id, token_hash, purpose, created_at, revoked_at FROM invitation_tokens;
DROP TABLE invitation_tokens;
ALTER TABLE invitation_tokens_next RENAME TO invitation_tokens;
CREATE INDEX invitation_tokens_invitation ON invitation_tokens (invitation_id);

-- At most one closing email per study: the row is written in the transaction that queues the
-- emails, and its unique key refuses a second one.
CREATE TABLE closing_emails (
    id        INTEGER PRIMARY KEY NOT NULL,
    study_id  BIGINT NOT NULL UNIQUE REFERENCES studies (id) ON DELETE CASCADE,
    queued_at TIMESTAMP NOT NULL,
    queued_by TEXT NOT NULL,
    experts   INTEGER NOT NULL
);
