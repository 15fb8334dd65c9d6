-- Answers to the CHNRI questions (rounds of kind `chnri`): one row per expert, item, criterion
-- and question (1-based within its criterion), with yes / undecided / no / dont_know. No answer
-- is no row. The criterion is its key in the study file, which cannot change once round 1 has
-- opened.
CREATE TABLE chnri_answers (
    id          INTEGER PRIMARY KEY NOT NULL,
    round_id    BIGINT NOT NULL,
    item_id     BIGINT NOT NULL,
    expert_id   BIGINT NOT NULL,
    criterion   TEXT NOT NULL,
    question    INTEGER NOT NULL CHECK (question >= 1),
    answer      TEXT NOT NULL CHECK (answer IN ('yes', 'undecided', 'no', 'dont_know')),
    saved_at    TIMESTAMP NOT NULL,
    UNIQUE (round_id, item_id, expert_id, criterion, question),
    -- As for ratings: only items of the round, only experts invited to it.
    FOREIGN KEY (round_id, item_id) REFERENCES round_items (round_id, item_id) ON DELETE CASCADE,
    FOREIGN KEY (round_id, expert_id) REFERENCES invitations (round_id, expert_id) ON DELETE CASCADE
);
CREATE INDEX chnri_answers_expert ON chnri_answers (expert_id);
