-- The head-office console: hub users and their sessions (the cookie's token
-- is kept only as a SHA-256 hash), failed logins for the login limit, the
-- audit log (append-only), the catalog's history (each row before and after
-- every change), hub settings, and the fleet's connection state.
CREATE TABLE hub_users (
  name TEXT PRIMARY KEY,
  display_name TEXT,
  role TEXT NOT NULL CHECK (role IN ('hq-admin', 'hq-analyst', 'store-manager')),
  stores TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_login_at TEXT
) STRICT;

CREATE TABLE hub_sessions (
  id_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES hub_users(name),
  csrf_secret TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  source TEXT
) STRICT;
CREATE INDEX hub_sessions_user ON hub_sessions(user_name);
CREATE INDEX hub_sessions_expiry ON hub_sessions(expires_at);

CREATE TABLE login_failures (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_name TEXT NOT NULL,
  source TEXT NOT NULL,
  at TEXT NOT NULL
) STRICT;
CREATE INDEX login_failures_source ON login_failures(source, at);
CREATE INDEX login_failures_user ON login_failures(user_name, at);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  actor_role TEXT,
  source TEXT,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  store TEXT,
  before_data TEXT,
  after_data TEXT
) STRICT;
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_target ON audit_log(target, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE catalog_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  version INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  before_data TEXT,
  after_data TEXT
) STRICT;
CREATE INDEX catalog_history_item ON catalog_history(kind, key, id);

CREATE TABLE hub_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

ALTER TABLE terminals ADD COLUMN connected_at TEXT;
ALTER TABLE terminals ADD COLUMN disconnected_at TEXT;
ALTER TABLE enroll_codes ADD COLUMN issued_by TEXT;
CREATE INDEX enroll_codes_terminal ON enroll_codes(store, terminal);
