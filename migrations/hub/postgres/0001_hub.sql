-- The hub's store on PostgreSQL: the same tables as the SQLite store, plus
-- the socket.io adapter's attachment table (cross-node events). journal has
-- no foreign key to terminals: ingest locks the terminal row first, and a
-- per-row key check would cost a third of the insert.
CREATE TABLE terminals (
  id TEXT PRIMARY KEY,
  store TEXT NOT NULL,
  terminal TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  enrolled_at TEXT NOT NULL,
  revoked_at TEXT,
  hwm_seq BIGINT NOT NULL DEFAULT 0,
  hwm_hash TEXT NOT NULL,
  last_seen TEXT,
  status TEXT,
  status_at TEXT
);

CREATE TABLE enroll_codes (
  code_hash TEXT PRIMARY KEY,
  store TEXT NOT NULL,
  terminal TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);

CREATE TABLE journal (
  terminal_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (terminal_id, seq)
);

CREATE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the journal is append-only';
END;
$$;
CREATE TRIGGER journal_no_change BEFORE UPDATE OR DELETE ON journal FOR EACH ROW EXECUTE FUNCTION journal_append_only();

CREATE TABLE alerts (
  id BIGSERIAL PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  at TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  details TEXT NOT NULL
);
CREATE INDEX alerts_terminal ON alerts(terminal_id, id);

CREATE TABLE catalog_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO catalog_meta (id, version) VALUES (1, 0);

CREATE TABLE catalog_items (
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  data TEXT,
  version BIGINT NOT NULL,
  PRIMARY KEY (kind, key)
);
CREATE INDEX catalog_items_version ON catalog_items(version);

CREATE TABLE socket_io_attachments (
  id BIGSERIAL UNIQUE,
  created_at TIMESTAMPTZ DEFAULT NOW(),
  payload BYTEA
);
