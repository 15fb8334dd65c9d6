-- Without the column a test expert would count as a panel member: remove them with their
-- invitations and answers (cascade), and the rehearsal's draft rounds, which nothing but a
-- test expert ever answers.
DELETE FROM suggestions WHERE expert_id IN (SELECT id FROM experts WHERE is_test);
DELETE FROM experts WHERE is_test;
DELETE FROM rounds WHERE status = 'draft';
ALTER TABLE experts DROP COLUMN is_test;
