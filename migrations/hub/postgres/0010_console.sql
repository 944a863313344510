-- The head-office console: the same tables as migrations/hub/sqlite/0010_console.sql.
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
);

CREATE TABLE hub_sessions (
  id_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES hub_users(name),
  csrf_secret TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  source TEXT
);
CREATE INDEX hub_sessions_user ON hub_sessions(user_name);
CREATE INDEX hub_sessions_expiry ON hub_sessions(expires_at);

CREATE TABLE login_failures (
  id BIGSERIAL PRIMARY KEY,
  user_name TEXT NOT NULL,
  source TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX login_failures_source ON login_failures(source, at);
CREATE INDEX login_failures_user ON login_failures(user_name, at);

CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  actor_role TEXT,
  source TEXT,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  store TEXT,
  before_data TEXT,
  after_data TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_target ON audit_log(target, id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE catalog_history (
  id BIGSERIAL PRIMARY KEY,
  version BIGINT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  before_data TEXT,
  after_data TEXT
);
CREATE INDEX catalog_history_item ON catalog_history(kind, key, id);

CREATE TABLE hub_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

ALTER TABLE terminals ADD COLUMN connected_at TEXT;
ALTER TABLE terminals ADD COLUMN disconnected_at TEXT;
ALTER TABLE enroll_codes ADD COLUMN issued_by TEXT;
CREATE INDEX enroll_codes_terminal ON enroll_codes(store, terminal);
