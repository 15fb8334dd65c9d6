ALTER TABLE password_resets DROP COLUMN purpose;
DROP TABLE setup_links;
