ALTER TABLE ratings DROP COLUMN feedback_shown;
