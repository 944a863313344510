-- The journal: append-only, hash-chained (see src/ledger/chain.ts).
-- seq is the rowid: +1 per entry with no gaps, checked here and in code.
-- id has no index of its own: nothing looks an entry up by id, the ids come
-- from a monotonic ULID source, and the hash covers the id; an index would
-- cost one more page written on every append.
CREATE TABLE journal (
  seq       INTEGER PRIMARY KEY CHECK (seq >= 1),
  id        TEXT NOT NULL CHECK (length(id) = 26),
  type      TEXT NOT NULL CHECK (length(type) BETWEEN 1 AND 64),
  at        TEXT NOT NULL CHECK (length(at) = 24),
  payload   TEXT NOT NULL,
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash      TEXT NOT NULL CHECK (length(hash) = 64)
) STRICT;

CREATE TRIGGER journal_next_seq BEFORE INSERT ON journal
WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM journal)
BEGIN
  SELECT RAISE(ABORT, 'journal: seq must be the previous seq + 1');
END;

CREATE TRIGGER journal_links BEFORE INSERT ON journal
WHEN NEW.prev_hash IS NOT coalesce((SELECT hash FROM journal ORDER BY seq DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN
  SELECT RAISE(ABORT, 'journal: prev_hash must be the hash of the previous entry');
END;

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
  SELECT RAISE(ABORT, 'journal is append-only: entries cannot be changed');
END;

CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
  SELECT RAISE(ABORT, 'journal is append-only: entries cannot be deleted');
END;
