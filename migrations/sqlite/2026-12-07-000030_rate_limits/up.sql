-- `[limits] shared = true` (docs/operations.md) works on PostgreSQL only: one process owns a
-- SQLite file, so there is nothing to share and `serve` refuses the setting. The table exists on
-- both backends so that the schema and the retention purge are the same everywhere; on SQLite it
-- stays empty.
CREATE TABLE rate_limits (
    bucket     TEXT PRIMARY KEY NOT NULL,
    tokens     REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX rate_limits_updated_at ON rate_limits (updated_at);
