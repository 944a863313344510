-- Replication state of this terminal (src/sync): the highest entry the hub
-- has acknowledged, and alerts raised by the replicator (divergence, a
-- revoked token) for the UI and `till sync` to show. The device token itself
-- is kept outside the database, in a 0600 file (hub-credentials.json).
CREATE TABLE sync_state (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  acked_seq  INTEGER NOT NULL CHECK (acked_seq >= 0),
  acked_hash TEXT NOT NULL CHECK (length(acked_hash) = 64),
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE sync_alerts (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  at      TEXT NOT NULL,
  code    TEXT NOT NULL,
  message TEXT NOT NULL,
  details TEXT NOT NULL
) STRICT;
