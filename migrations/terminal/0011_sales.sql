-- Sales, voids and held carts: projections of SaleCompleted, SaleVoided,
-- CartHeld and CartRecalled. `record` keeps the whole journaled sale so a
-- receipt can be rebuilt for a reprint.
CREATE TABLE sales (
  seq        INTEGER PRIMARY KEY,
  sale_id    TEXT NOT NULL UNIQUE,
  receipt_no TEXT NOT NULL UNIQUE,
  at         TEXT NOT NULL,
  cashier    TEXT NOT NULL,
  member     TEXT,
  items      INTEGER NOT NULL,
  gross      INTEGER NOT NULL,
  savings    INTEGER NOT NULL,
  rounding   INTEGER NOT NULL,
  total      INTEGER NOT NULL,
  paid       INTEGER NOT NULL,
  change     INTEGER NOT NULL,
  record     TEXT NOT NULL
) STRICT;
CREATE INDEX sales_at ON sales (at);

CREATE TABLE sale_lines (
  seq        INTEGER NOT NULL REFERENCES sales (seq),
  line_no    INTEGER NOT NULL,
  sku        TEXT NOT NULL,
  name       TEXT NOT NULL,
  category   TEXT NOT NULL,
  qty        INTEGER NOT NULL,
  unit_price INTEGER NOT NULL,
  gross      INTEGER NOT NULL,
  savings    INTEGER NOT NULL,
  net        INTEGER NOT NULL,
  vat_rate   INTEGER NOT NULL,
  tax        INTEGER NOT NULL,
  voided     INTEGER NOT NULL,
  PRIMARY KEY (seq, line_no)
) STRICT;
CREATE INDEX sale_lines_sku ON sale_lines (sku);

CREATE TABLE sale_tenders (
  seq       INTEGER NOT NULL REFERENCES sales (seq),
  tender_no INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  amount    INTEGER NOT NULL,
  tendered  INTEGER NOT NULL,
  change    INTEGER NOT NULL,
  reference TEXT,
  provider  TEXT,
  PRIMARY KEY (seq, tender_no)
) STRICT;

CREATE TABLE voided_sales (
  seq         INTEGER PRIMARY KEY,
  sale_id     TEXT NOT NULL UNIQUE,
  at          TEXT NOT NULL,
  cashier     TEXT NOT NULL,
  approved_by TEXT,
  reason      TEXT NOT NULL,
  total       INTEGER NOT NULL,
  record      TEXT NOT NULL
) STRICT;

CREATE TABLE held_carts (
  held_id TEXT PRIMARY KEY,
  at      TEXT NOT NULL,
  cashier TEXT NOT NULL,
  note    TEXT NOT NULL,
  items   INTEGER NOT NULL,
  total   INTEGER NOT NULL,
  state   TEXT NOT NULL
) STRICT;

-- every supervisor override, with both people (OverrideGranted)
CREATE TABLE overrides (
  seq         INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  action      TEXT NOT NULL,
  cashier     TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  detail      TEXT NOT NULL
) STRICT;
