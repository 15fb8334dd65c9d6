-- Issue 16, guarding the panel's judgement.
--
-- With `[feedback] timing = "after_rating"`, an expert's first answer to an item in a round
-- (given before the group's feedback shows) is kept here while `score` holds the answer they
-- left; NULL when the feature is off, when the first answer was "unable to score", or for
-- rows written before this column existed.
ALTER TABLE ratings ADD COLUMN pre_feedback_score INTEGER;

-- The items on one expert's page in one round, at their 1-based position, drawn from the
-- study's seed when the study orders pages at random or gives each expert a subset
-- (`[rounds] order`, `items_per_expert`). A round without rows for an expert shows them
-- every item of the round in the study's order. Stored, not recomputed, so that the data
-- package states what each expert saw even if a later version draws differently.
CREATE TABLE page_items (
    id        INTEGER PRIMARY KEY NOT NULL,
    round_id  BIGINT NOT NULL,
    expert_id BIGINT NOT NULL,
    item_id   BIGINT NOT NULL,
    position  INTEGER NOT NULL CHECK (position >= 1),
    UNIQUE (round_id, expert_id, item_id),
    UNIQUE (round_id, expert_id, position),
    FOREIGN KEY (round_id, item_id) REFERENCES round_items (round_id, item_id) ON DELETE CASCADE,
    FOREIGN KEY (round_id, expert_id) REFERENCES invitations (round_id, expert_id) ON DELETE CASCADE
);
CREATE INDEX page_items_round ON page_items (round_id);
