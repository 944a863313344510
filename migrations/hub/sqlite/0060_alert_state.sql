-- Alerts with a life: open while the hub sees the condition, then cleared
-- (at stays the time it was first seen, last_seen the latest). One open alert
-- per (terminal, code), held by a partial unique index that every hub node
-- inserts against. Older duplicates of an open pair count as cleared when the
-- next one came in. Notifications to webhooks as an outbox: one row per
-- (alert, channel, event), claimed by one node at a time and retried with
-- backoff until sent or given up. Terminals keep since when the hub has seen
-- each device fault (faults_since, JSON).
ALTER TABLE alerts ADD COLUMN state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'cleared'));
ALTER TABLE alerts ADD COLUMN last_seen TEXT;
ALTER TABLE alerts ADD COLUMN cleared_at TEXT;
UPDATE alerts SET last_seen = at;
UPDATE alerts SET state = 'cleared',
  cleared_at = (SELECT min(b.at) FROM alerts b WHERE b.terminal_id = alerts.terminal_id AND b.code = alerts.code AND b.id > alerts.id)
  WHERE EXISTS (SELECT 1 FROM alerts b WHERE b.terminal_id = alerts.terminal_id AND b.code = alerts.code AND b.id > alerts.id);
CREATE UNIQUE INDEX alerts_open ON alerts(terminal_id, code) WHERE state = 'open';
CREATE INDEX alerts_state ON alerts(state, id);

CREATE TABLE alert_notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  alert_id INTEGER NOT NULL REFERENCES alerts(id),
  channel TEXT NOT NULL,
  event TEXT NOT NULL CHECK (event IN ('raised', 'cleared')),
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at TEXT NOT NULL,
  claimed_by TEXT,
  claimed_until TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  sent_at TEXT,
  UNIQUE (alert_id, channel, event)
) STRICT;
CREATE INDEX alert_notifications_due ON alert_notifications(state, next_at);

ALTER TABLE terminals ADD COLUMN faults_since TEXT;
