-- Store operations (issue 4): projections of OperationsSettingsSaved,
-- ShiftOpened, ShiftClosed, CashMoved, DrawerOpened, RefundCompleted and
-- DayClosed; plus login_attempts, which is operational state (not a
-- projection, never journaled) so a restart does not lift a lockout.
CREATE TABLE operations_settings (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  settings TEXT NOT NULL
) STRICT;

CREATE TABLE shifts (
  shift_id    TEXT PRIMARY KEY,
  open_seq    INTEGER NOT NULL UNIQUE,
  opened_at   TEXT NOT NULL,
  opened_by   TEXT NOT NULL,
  float       INTEGER NOT NULL CHECK (float >= 0),
  close_seq   INTEGER UNIQUE,
  closed_at   TEXT,
  closed_by   TEXT,
  approved_by TEXT,
  counted     INTEGER,
  expected    INTEGER,
  variance    INTEGER,
  count       TEXT
) STRICT;
-- one open shift per terminal
CREATE UNIQUE INDEX shifts_one_open ON shifts ((close_seq IS NULL)) WHERE close_seq IS NULL;

CREATE TABLE cash_movements (
  seq         INTEGER PRIMARY KEY,
  shift_id    TEXT NOT NULL REFERENCES shifts (shift_id),
  at          TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('paid-in', 'paid-out')),
  amount      INTEGER NOT NULL CHECK (amount > 0),
  reason      TEXT NOT NULL,
  cashier     TEXT NOT NULL,
  approved_by TEXT
) STRICT;

-- every drawer opening outside a sale (a cash sale's opening is its SaleCompleted entry)
CREATE TABLE drawer_openings (
  seq         INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  cause       TEXT NOT NULL CHECK (cause IN ('refund', 'paid-in', 'paid-out', 'no-sale', 'shift-open', 'shift-close')),
  ref         TEXT,
  shift_id    TEXT,
  cashier     TEXT NOT NULL,
  approved_by TEXT,
  reason      TEXT
) STRICT;

CREATE TABLE refunds (
  seq          INTEGER PRIMARY KEY,
  refund_id    TEXT NOT NULL UNIQUE,
  refund_no    TEXT NOT NULL UNIQUE,
  at           TEXT NOT NULL,
  -- the original sale (seq and receipt), null for a return without a receipt
  sale_seq     INTEGER,
  receipt_no   TEXT,
  shift_id     TEXT,
  cashier      TEXT NOT NULL,
  approved_by  TEXT,
  reason       TEXT NOT NULL,
  amount       INTEGER NOT NULL CHECK (amount >= 0),
  record       TEXT NOT NULL
) STRICT;
CREATE INDEX refunds_sale ON refunds (sale_seq);
CREATE INDEX refunds_at ON refunds (at);

CREATE TABLE refund_lines (
  seq      INTEGER NOT NULL REFERENCES refunds (seq),
  idx      INTEGER NOT NULL,
  line_no  INTEGER,
  sku      TEXT NOT NULL,
  name     TEXT NOT NULL,
  category TEXT NOT NULL,
  qty      INTEGER NOT NULL CHECK (qty > 0),
  amount   INTEGER NOT NULL CHECK (amount >= 0),
  vat_rate INTEGER NOT NULL,
  tax      INTEGER NOT NULL,
  PRIMARY KEY (seq, idx)
) STRICT;

CREATE TABLE refund_tenders (
  seq       INTEGER NOT NULL REFERENCES refunds (seq),
  idx       INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  provider  TEXT,
  amount    INTEGER NOT NULL CHECK (amount > 0),
  reference TEXT,
  PRIMARY KEY (seq, idx)
) STRICT;

CREATE TABLE day_closes (
  business_day TEXT PRIMARY KEY,
  seq          INTEGER NOT NULL UNIQUE,
  at           TEXT NOT NULL,
  closed_by    TEXT NOT NULL,
  approved_by  TEXT,
  report       TEXT NOT NULL
) STRICT;

CREATE TABLE login_attempts (
  user_code    TEXT PRIMARY KEY,
  failures     INTEGER NOT NULL CHECK (failures >= 0),
  locked_until TEXT
) STRICT;
