-- The whole data model of a Delphi study. SQLite dialect; migrations/postgres holds the same
-- tables with the same names, columns, keys and constraints.
-- Booleans are 0/1 integers, timestamps are UTC text with microseconds (diesel's Timestamp).

CREATE TABLE facilitators (
    id            INTEGER PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin      BOOLEAN NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP,
    disabled_at   TIMESTAMP
);

CREATE TABLE facilitator_sessions (
    id             INTEGER PRIMARY KEY NOT NULL,
    facilitator_id BIGINT NOT NULL REFERENCES facilitators (id) ON DELETE CASCADE,
    token_hash     TEXT NOT NULL UNIQUE,
    csrf_token     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    last_seen_at   TIMESTAMP NOT NULL,
    expires_at     TIMESTAMP NOT NULL
);
CREATE INDEX facilitator_sessions_facilitator ON facilitator_sessions (facilitator_id);

CREATE TABLE password_resets (
    id             INTEGER PRIMARY KEY NOT NULL,
    facilitator_id BIGINT NOT NULL REFERENCES facilitators (id) ON DELETE CASCADE,
    token_hash     TEXT NOT NULL UNIQUE,
    created_at     TIMESTAMP NOT NULL,
    expires_at     TIMESTAMP NOT NULL,
    used_at        TIMESTAMP
);

CREATE TABLE api_tokens (
    id             INTEGER PRIMARY KEY NOT NULL,
    facilitator_id BIGINT NOT NULL REFERENCES facilitators (id) ON DELETE CASCADE,
    token_hash     TEXT NOT NULL UNIQUE,
    label          TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    last_used_at   TIMESTAMP,
    revoked_at     TIMESTAMP
);
CREATE INDEX api_tokens_facilitator ON api_tokens (facilitator_id);

CREATE TABLE studies (
    id             INTEGER PRIMARY KEY NOT NULL,
    slug           TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    language       TEXT NOT NULL,
    timezone       TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'finished')),
    -- The study file as parsed (JSON): scale, rounds settings, presentation.
    definition     TEXT NOT NULL,
    -- The compiled consensus rule set (JSON); frozen once rule_hash is set.
    rule_set       TEXT NOT NULL,
    rule_hash      TEXT,
    rule_locked_at TIMESTAMP,
    anonymity      TEXT NOT NULL DEFAULT 'pseudonymous' CHECK (anonymity IN ('pseudonymous', 'named')),
    created_by     BIGINT REFERENCES facilitators (id) ON DELETE SET NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    finished_at    TIMESTAMP,
    finish_reason  TEXT,
    CHECK ((rule_hash IS NULL) = (rule_locked_at IS NULL))
);

CREATE TABLE study_roles (
    id             INTEGER PRIMARY KEY NOT NULL,
    study_id       BIGINT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
    facilitator_id BIGINT NOT NULL REFERENCES facilitators (id) ON DELETE CASCADE,
    role           TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    created_at     TIMESTAMP NOT NULL,
    UNIQUE (study_id, facilitator_id)
);
CREATE INDEX study_roles_facilitator ON study_roles (facilitator_id);

CREATE TABLE stakeholder_groups (
    id       INTEGER PRIMARY KEY NOT NULL,
    study_id BIGINT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
    key      TEXT NOT NULL,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (study_id, key),
    UNIQUE (study_id, id)
);

CREATE TABLE sections (
    id       INTEGER PRIMARY KEY NOT NULL,
    study_id BIGINT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
    key      TEXT NOT NULL,
    title    TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (study_id, key),
    UNIQUE (study_id, id)
);

CREATE TABLE items (
    id          INTEGER PRIMARY KEY NOT NULL,
    study_id    BIGINT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
    section_id  BIGINT NOT NULL,
    code        TEXT NOT NULL,
    text        TEXT NOT NULL,
    description TEXT,
    position    INTEGER NOT NULL,
    -- Bumped by a rewording after the item was first rated; item_versions keeps every wording.
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    origin      TEXT NOT NULL CHECK (origin IN ('study_file', 'import', 'editor', 'suggestion')),
    retired_at  TIMESTAMP,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (study_id, code),
    UNIQUE (study_id, id),
    -- An item's section belongs to the same study.
    FOREIGN KEY (study_id, section_id) REFERENCES sections (study_id, id)
);
CREATE INDEX items_section ON items (section_id);

CREATE TABLE item_versions (
    id          INTEGER PRIMARY KEY NOT NULL,
    item_id     BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL CHECK (version >= 1),
    text        TEXT NOT NULL,
    description TEXT,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (item_id, version)
);

CREATE TABLE item_translations (
    id          INTEGER PRIMARY KEY NOT NULL,
    item_id     BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    language    TEXT NOT NULL,
    text        TEXT NOT NULL,
    description TEXT,
    UNIQUE (item_id, language)
);

CREATE TABLE experts (
    id           INTEGER PRIMARY KEY NOT NULL,
    study_id     BIGINT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
    group_id     BIGINT NOT NULL,
    -- NULL once the expert's identity has been erased on request; answers stay under the pseudonym.
    email        TEXT,
    name         TEXT NOT NULL,
    country      TEXT,
    language     TEXT,
    pseudonym    TEXT NOT NULL,
    withdrawn_at TIMESTAMP,
    erased_at    TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (study_id, email),
    UNIQUE (study_id, pseudonym),
    FOREIGN KEY (study_id, group_id) REFERENCES stakeholder_groups (study_id, id)
);
CREATE INDEX experts_group ON experts (group_id);

CREATE TABLE rounds (
    id         INTEGER PRIMARY KEY NOT NULL,
    study_id   BIGINT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL CHECK (number >= 1),
    status     TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
    opened_at  TIMESTAMP,
    deadline   TIMESTAMP,
    closed_at  TIMESTAMP,
    closed_by  TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (study_id, number),
    CHECK (status <> 'open' OR opened_at IS NOT NULL),
    CHECK (status <> 'closed' OR closed_at IS NOT NULL)
);

CREATE TABLE round_items (
    id           INTEGER PRIMARY KEY NOT NULL,
    round_id     BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    item_id      BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    -- The wording the experts saw in this round (item_versions.version).
    item_version INTEGER NOT NULL,
    origin       TEXT NOT NULL CHECK (origin IN ('new', 'carried', 'suggestion')),
    UNIQUE (round_id, item_id)
);
CREATE INDEX round_items_item ON round_items (item_id);

CREATE TABLE invitations (
    id               INTEGER PRIMARY KEY NOT NULL,
    round_id         BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    expert_id        BIGINT NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    created_at       TIMESTAMP NOT NULL,
    sent_at          TIMESTAMP,
    opened_at        TIMESTAMP,
    started_at       TIMESTAMP,
    submitted_at     TIMESTAMP,
    reminders_sent   INTEGER NOT NULL DEFAULT 0 CHECK (reminders_sent >= 0),
    last_reminded_at TIMESTAMP,
    revoked_at       TIMESTAMP,
    UNIQUE (round_id, expert_id)
);
CREATE INDEX invitations_expert ON invitations (expert_id);

-- Personal links. Only the SHA-256 of each 256-bit token is stored, so a reminder or a
-- new-link request cannot repeat the original link: it issues another token for the same
-- invitation, and every unrevoked token of an invitation opens it.
CREATE TABLE invitation_tokens (
    id            INTEGER PRIMARY KEY NOT NULL,
    invitation_id BIGINT NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL UNIQUE,
    purpose       TEXT NOT NULL CHECK (purpose IN ('invitation', 'reminder', 'new_link')),
    created_at    TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP
);
CREATE INDEX invitation_tokens_invitation ON invitation_tokens (invitation_id);

CREATE TABLE ratings (
    id        INTEGER PRIMARY KEY NOT NULL,
    round_id  BIGINT NOT NULL,
    item_id   BIGINT NOT NULL,
    expert_id BIGINT NOT NULL,
    score     INTEGER,
    unable    BOOLEAN NOT NULL DEFAULT 0,
    comment   TEXT,
    -- The expert's answer to "why did you change?" when the score moved to another band.
    reason    TEXT,
    saved_at  TIMESTAMP NOT NULL,
    UNIQUE (round_id, item_id, expert_id),
    -- Only items of the round can be rated, and only by experts invited to it.
    FOREIGN KEY (round_id, item_id) REFERENCES round_items (round_id, item_id) ON DELETE CASCADE,
    FOREIGN KEY (round_id, expert_id) REFERENCES invitations (round_id, expert_id) ON DELETE CASCADE,
    CHECK (NOT (unable AND score IS NOT NULL))
);
CREATE INDEX ratings_expert ON ratings (expert_id);
-- Covers the close's read of a whole round (item, expert, answer) without touching the table:
-- ten times faster on 600,000 ratings than the unique index plus a row lookup each.
CREATE INDEX ratings_round_answers ON ratings (round_id, item_id, expert_id, score, unable);
CREATE INDEX ratings_item ON ratings (item_id);

CREATE TABLE suggestions (
    id              INTEGER PRIMARY KEY NOT NULL,
    study_id        BIGINT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
    round_id        BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    expert_id       BIGINT REFERENCES experts (id) ON DELETE SET NULL,
    section_id      BIGINT REFERENCES sections (id) ON DELETE SET NULL,
    text            TEXT NOT NULL,
    rationale       TEXT,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'merged', 'rejected')),
    decision_reason TEXT,
    decided_by      BIGINT REFERENCES facilitators (id) ON DELETE SET NULL,
    decided_at      TIMESTAMP,
    -- The new item (accepted) or the existing item it was merged into (merged).
    item_id         BIGINT REFERENCES items (id) ON DELETE SET NULL,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX suggestions_study ON suggestions (study_id);

CREATE TABLE results (
    id         INTEGER PRIMARY KEY NOT NULL,
    round_id   BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    item_id    BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    -- 'primary' or the name of an alternative rule.
    rule       TEXT NOT NULL,
    -- '' for the pooled panel, otherwise a stakeholder group key.
    group_key  TEXT NOT NULL,
    invited    INTEGER NOT NULL,
    responded  INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    unable     INTEGER NOT NULL,
    -- JSON array of counts per scale point, min..=max.
    counts     TEXT NOT NULL,
    mean       DOUBLE,
    sd         DOUBLE,
    min_score  DOUBLE,
    max_score  DOUBLE,
    median     DOUBLE,
    q1         DOUBLE,
    q3         DOUBLE,
    iqr        DOUBLE,
    p30        DOUBLE,
    p70        DOUBLE,
    ipr        DOUBLE,
    ipras      DOUBLE,
    di         DOUBLE,
    status     TEXT NOT NULL CHECK (status IN ('in', 'out', 'none')),
    UNIQUE (round_id, item_id, rule, group_key)
);
CREATE INDEX results_item ON results (item_id);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY NOT NULL,
    -- One logical email, one key: a retry or a second worker can never send it twice.
    idempotency_key TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    study_id        BIGINT REFERENCES studies (id) ON DELETE CASCADE,
    expert_id       BIGINT REFERENCES experts (id) ON DELETE SET NULL,
    facilitator_id  BIGINT REFERENCES facilitators (id) ON DELETE SET NULL,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT,
    headers         TEXT,
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error      TEXT,
    claimed_by      TEXT,
    claimed_at      TIMESTAMP,
    sent_at         TIMESTAMP,
    message_id      TEXT,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_study ON outbox (study_id);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY NOT NULL,
    study_id   BIGINT REFERENCES studies (id),
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    details    TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    -- Each entry commits to the one before it, so editing or deleting history shows.
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_study ON audit_log (study_id);
