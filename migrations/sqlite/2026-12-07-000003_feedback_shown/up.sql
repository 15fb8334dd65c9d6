-- Issue 16, rate before feedback (`[feedback] timing = "after_rating"`).
--
-- Set once the expert's first answer (a score or "unable to score") to the item in the round
-- is saved: from then on their page shows the group's feedback on it, and later saves never
-- change `pre_feedback_score`. A separate fact rather than `pre_feedback_score IS NOT NULL`:
-- a first answer of "unable to score" has no pre-feedback score, yet the feedback was shown.
-- A row with the fact is blanked rather than deleted when its answer is cleared, so that an
-- answer given after having seen the feedback never passes for a first one.
ALTER TABLE ratings ADD COLUMN feedback_shown BOOLEAN NOT NULL DEFAULT 0;
