DROP TABLE page_items;
ALTER TABLE ratings DROP COLUMN pre_feedback_score;
