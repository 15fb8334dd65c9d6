DROP TABLE closing_emails;

DELETE FROM invitation_tokens WHERE purpose = 'results';
ALTER TABLE invitation_tokens DROP CONSTRAINT invitation_tokens_purpose_check;
ALTER TABLE invitation_tokens ADD CONSTRAINT invitation_tokens_purpose_check
    CHECK (purpose IN ('invitation', 'reminder', 'new_link'));
