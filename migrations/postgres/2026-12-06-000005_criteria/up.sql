-- Several criteria per item: an answer and a stored result name the criterion they are about
-- ('' in a study without criteria, so its rows are unchanged), and the criterion is part of
-- their unique keys.
ALTER TABLE ratings ADD COLUMN criterion TEXT NOT NULL DEFAULT '';
ALTER TABLE ratings DROP CONSTRAINT ratings_round_id_item_id_expert_id_key;
ALTER TABLE ratings ADD CONSTRAINT ratings_round_id_item_id_expert_id_criterion_key
    UNIQUE (round_id, item_id, expert_id, criterion);
DROP INDEX ratings_round_answers;
CREATE INDEX ratings_round_answers ON ratings (round_id, item_id, expert_id, criterion, score, unable);

ALTER TABLE results ADD COLUMN criterion TEXT NOT NULL DEFAULT '';
ALTER TABLE results DROP CONSTRAINT results_round_id_item_id_rule_group_key_key;
ALTER TABLE results ADD CONSTRAINT results_round_id_item_id_rule_group_key_criterion_key
    UNIQUE (round_id, item_id, rule, group_key, criterion);
