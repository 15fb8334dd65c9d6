-- Several criteria per item: an answer and a stored result name the criterion they are about
-- ('' in a study without criteria, so its rows are unchanged), and the criterion is part of
-- their unique keys. SQLite cannot change a UNIQUE constraint in place: both tables are rebuilt
-- with their rows.
CREATE TABLE ratings_next (
    id        INTEGER PRIMARY KEY NOT NULL,
    round_id  BIGINT NOT NULL,
    item_id   BIGINT NOT NULL,
    expert_id BIGINT NOT NULL,
    -- The criterion the answer is about ('' in a study without criteria).
    criterion TEXT NOT NULL DEFAULT '',
    score     INTEGER,
    unable    BOOLEAN NOT NULL DEFAULT 0,
    comment   TEXT,
    reason    TEXT,
    saved_at  TIMESTAMP NOT NULL,
    UNIQUE (round_id, item_id, expert_id, criterion),
    FOREIGN KEY (round_id, item_id) REFERENCES round_items (round_id, item_id) ON DELETE CASCADE,
    FOREIGN KEY (round_id, expert_id) REFERENCES invitations (round_id, expert_id) ON DELETE CASCADE,
    CHECK (NOT (unable AND score IS NOT NULL))
);
INSERT INTO ratings_next (id, round_id, item_id, expert_id, score, unable, comment, reason, saved_at)
    SELECT id, round_id, item_id, expert_id, score, unable, comment, reason, saved_at FROM ratings;
DROP TABLE ratings;
ALTER TABLE ratings_next RENAME TO ratings;
CREATE INDEX ratings_expert ON ratings (expert_id);
CREATE INDEX ratings_round_answers ON ratings (round_id, item_id, expert_id, criterion, score, unable);
CREATE INDEX ratings_item ON ratings (item_id);

CREATE TABLE results_next (
    id         INTEGER PRIMARY KEY NOT NULL,
    round_id   BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    item_id    BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    rule       TEXT NOT NULL,
    group_key  TEXT NOT NULL,
    -- The criterion the row is about; '' for the item itself (its combined status) and in a
    -- study without criteria.
    criterion  TEXT NOT NULL DEFAULT '',
    invited    INTEGER NOT NULL,
    responded  INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    unable     INTEGER NOT NULL,
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
    UNIQUE (round_id, item_id, rule, group_key, criterion)
);
INSERT INTO results_next (id, round_id, item_id, rule, group_key, invited, responded, n, unable, counts, mean, sd, min_score, max_score, median, q1, q3, iqr, p30, p70, ipr, ipras, di, status)
    SELECT id, round_id, item_id, rule, group_key, invited, responded, n, unable, counts, mean, sd, min_score, max_score, median, q1, q3, iqr, p30, p70, ipr, ipras, di, status FROM results;
DROP TABLE results;
ALTER TABLE results_next RENAME TO results;
CREATE INDEX results_item ON results (item_id);
