DROP TABLE closing_emails;

DELETE FROM invitation_tokens WHERE purpose = 'results';
CREATE TABLE invitation_tokens_previous (
    id            INTEGER PRIMARY KEY NOT NULL,
    invitation_id BIGINT NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL UNIQUE,
    purpose       TEXT NOT NULL CHECK (purpose IN ('invitation', 'reminder', 'new_link')),
    created_at    TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP
);
INSERT INTO invitation_tokens_previous (id, invitation_id, token_hash, purpose, created_at, revoked_at)
    SELECT id, invitation_id, token_hash, purpose, created_at, revoked_at FROM invitation_tokens;
DROP TABLE invitation_tokens;
ALTER TABLE invitation_tokens_previous RENAME TO invitation_tokens;
CREATE INDEX invitation_tokens_invitation ON invitation_tokens (invitation_id);
