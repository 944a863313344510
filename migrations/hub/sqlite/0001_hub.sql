-- The hub's store on SQLite: terminals and their tokens, one-time enrollment
-- codes, every terminal's journal copy, alerts, status reports, the catalog.
CREATE TABLE terminals (
  id TEXT PRIMARY KEY,
  store TEXT NOT NULL,
  terminal TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  enrolled_at TEXT NOT NULL,
  revoked_at TEXT,
  hwm_seq INTEGER NOT NULL DEFAULT 0,
  hwm_hash TEXT NOT NULL,
  last_seen TEXT,
  status TEXT,
  status_at TEXT
) STRICT;

CREATE TABLE enroll_codes (
  code_hash TEXT PRIMARY KEY,
  store TEXT NOT NULL,
  terminal TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;

CREATE TABLE journal (
  terminal_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (terminal_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  terminal_id TEXT NOT NULL,
  at TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  details TEXT NOT NULL
) STRICT;
CREATE INDEX alerts_terminal ON alerts(terminal_id, id);

CREATE TABLE catalog_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
) STRICT;
INSERT INTO catalog_meta (id, version) VALUES (1, 0);

CREATE TABLE catalog_items (
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  data TEXT,
  version INTEGER NOT NULL,
  PRIMARY KEY (kind, key)
) STRICT;
CREATE INDEX catalog_items_version ON catalog_items(version);
