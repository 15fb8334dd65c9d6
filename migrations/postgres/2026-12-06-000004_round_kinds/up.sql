-- What a round asks of its experts: `rating` (every round until now), `chnri`, `ranking` or
-- `ideas`. Text without a CHECK so that a later kind needs no table rebuild; the domain's
-- `RoundKind` is the list of names.
ALTER TABLE rounds ADD COLUMN kind TEXT NOT NULL DEFAULT 'rating';
