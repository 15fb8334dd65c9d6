-- Automatic reminders already queued: one row per round and offset before the deadline
-- (`3d`, `12h`), so that the scheduler, however many instances run it, queues each once.
CREATE TABLE round_reminders (
    id           INTEGER PRIMARY KEY NOT NULL,
    round_id     BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    offset_label TEXT NOT NULL,
    queued_at    TIMESTAMP NOT NULL,
    -- Emails queued for this offset (0 when everyone had submitted already).
    reminded     INTEGER NOT NULL CHECK (reminded >= 0),
    UNIQUE (round_id, offset_label)
);
