-- Issue 18, know that every invitation arrived.
--
-- What became of each email after the outbox handed it over: every attempt the relay refused,
-- the relay's acceptance (its own words), and the bounces and auto-replies that came back.
-- Kept as long as the email itself: deleting an outbox row (retention, erasure) deletes its
-- history, which quotes the recipient's address.
CREATE TABLE deliveries (
    id         INTEGER PRIMARY KEY NOT NULL,
    outbox_id  BIGINT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    event      TEXT NOT NULL CHECK (event IN ('refused', 'accepted', 'hard_bounce', 'soft_bounce', 'auto_reply', 'skipped')),
    -- The enhanced status code (RFC 3463) when one is known, e.g. 5.1.1.
    status     TEXT,
    -- The server's words: the SMTP reply, the DSN's Diagnostic-Code, an auto-reply's subject.
    detail     TEXT NOT NULL,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX deliveries_outbox ON deliveries (outbox_id);

-- An expert's address that bounced for good: no email goes to it until a facilitator corrects
-- the address (which deletes the row). `address` is the one that bounced, so a row never
-- blocks an address the expert has since been given.
CREATE TABLE undeliverable (
    expert_id  BIGINT PRIMARY KEY NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    address    TEXT NOT NULL,
    reason     TEXT NOT NULL,
    outbox_id  BIGINT REFERENCES outbox (id) ON DELETE SET NULL,
    marked_at  TIMESTAMP NOT NULL
);

-- API tokens for one purpose: 'api' (the facilitator's whole API) or 'bounces' (only
-- POST /api/v1/bounces, for a mail service that forwards bounces).
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'api' CHECK (scope IN ('api', 'bounces'));
