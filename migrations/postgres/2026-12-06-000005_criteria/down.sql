-- Back to one answer per expert and item: the answers and results of criteria are dropped.
DELETE FROM ratings WHERE criterion <> '';
DELETE FROM results WHERE criterion <> '';
ALTER TABLE ratings DROP CONSTRAINT ratings_round_id_item_id_expert_id_criterion_key;
DROP INDEX ratings_round_answers;
ALTER TABLE ratings DROP COLUMN criterion;
ALTER TABLE ratings ADD CONSTRAINT ratings_round_id_item_id_expert_id_key UNIQUE (round_id, item_id, expert_id);
CREATE INDEX ratings_round_answers ON ratings (round_id, item_id, expert_id, score, unable);

ALTER TABLE results DROP CONSTRAINT results_round_id_item_id_rule_group_key_criterion_key;
ALTER TABLE results DROP COLUMN criterion;
ALTER TABLE results ADD CONSTRAINT results_round_id_item_id_rule_group_key_key UNIQUE (round_id, item_id, rule, group_key);
