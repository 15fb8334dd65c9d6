-- `[limits] shared = true` (docs/operations.md): the rate limits' token buckets, one row per
-- limit and client address, so that several `delphi serve` instances on this database share one
-- budget. Times are seconds since the epoch by the database's clock, so the instances' own
-- clocks never disagree about how long a bucket has been refilling. A row not touched for an
-- hour is full again, and the retention purge deletes it.
--
-- UNLOGGED: a check writes no WAL and waits for no fsync (with a logged table every limited
-- request waited for a durable commit). The price: after a crash of PostgreSQL the table is
-- empty (every client's budget full again), and standbys do not have it; nothing else reads it.
CREATE UNLOGGED TABLE rate_limits (
    -- The limit and the client, e.g. `logins/203.0.113.5`.
    bucket     TEXT PRIMARY KEY NOT NULL,
    tokens     DOUBLE PRECISION NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX rate_limits_updated_at ON rate_limits (updated_at);
