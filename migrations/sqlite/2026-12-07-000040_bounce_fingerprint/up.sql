-- Issue 18: the same bounce handed over twice (an MTA retrying its pipe, a forwarder retrying
-- after a timeout) is recorded once. A received bounce or auto-reply keeps a fingerprint of the
-- message (email::bounce::fingerprint: SHA-256 of its Message-ID, else of its raw bytes), per
-- email it answers (an MTA that reuses ids cannot hide another email's bounce); the unique index
-- decides between two deliveries of the same message arriving at once. The relay's own events
-- have none (NULL, which a unique index does not compare).
ALTER TABLE deliveries ADD COLUMN fingerprint TEXT;
CREATE UNIQUE INDEX deliveries_fingerprint ON deliveries (outbox_id, fingerprint);
