DROP INDEX deliveries_fingerprint;
ALTER TABLE deliveries DROP COLUMN fingerprint;
