-- The answers of a ranking round: one row per item an expert chose, at its 1-based position.
-- An expert's list is their rows ordered by position; an item they did not choose has no row.
-- Positions and items are each used once per expert and round; `position <= choose` and the
-- absence of gaps are checked by the service (the study's `[ranking] choose` is not a column).
CREATE TABLE rankings (
    id        INTEGER PRIMARY KEY NOT NULL,
    round_id  BIGINT NOT NULL,
    expert_id BIGINT NOT NULL,
    item_id   BIGINT NOT NULL,
    position  INTEGER NOT NULL CHECK (position >= 1),
    saved_at  TIMESTAMP NOT NULL,
    UNIQUE (round_id, expert_id, item_id),
    UNIQUE (round_id, expert_id, position),
    -- Only items of the round can be placed, and only by experts invited to it.
    FOREIGN KEY (round_id, item_id) REFERENCES round_items (round_id, item_id) ON DELETE CASCADE,
    FOREIGN KEY (round_id, expert_id) REFERENCES invitations (round_id, expert_id) ON DELETE CASCADE
);
CREATE INDEX rankings_round ON rankings (round_id);
