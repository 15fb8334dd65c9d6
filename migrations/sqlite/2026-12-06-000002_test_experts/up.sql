-- Test experts rehearse the questionnaire (the console's Test run page): they get real links
-- and answer like the panel, but every count, result and export leaves them out. Before round 1
-- opens they answer a `draft` round 1, which becomes the real round 1 when it opens.
ALTER TABLE experts ADD COLUMN is_test BOOLEAN NOT NULL DEFAULT 0;
