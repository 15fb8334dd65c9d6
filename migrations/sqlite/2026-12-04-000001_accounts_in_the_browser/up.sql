-- The first administrator is created in the browser through a one-time set-up link, printed by
-- `delphi serve` and `delphi setup-link` while no account exists. The token is kept as it is
-- (not hashed) because the command line must be able to show it again; it is worthless once
-- an account exists, and whoever can read this table can write the accounts table anyway.
CREATE TABLE setup_links (
    id         INTEGER PRIMARY KEY NOT NULL,
    token      TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);

-- An emailed link that sets a password is either a reset or an administrator's invitation to
-- join (which also lets the invitee choose their name and lasts longer).
ALTER TABLE password_resets ADD COLUMN purpose TEXT NOT NULL DEFAULT 'reset'
    CHECK (purpose IN ('reset', 'invitation'));
