-- Sales, voids and held carts: projections of SaleCompleted, SaleVoided,
-- CartHeld and CartRecalled. A sale's whole record is its journal entry's
-- payload (journal.seq = sales.seq), read from there for a reprint or a
-- return, so the sale commit does not write it twice. Lines and tenders are
-- WITHOUT ROWID tables keyed by (seq, n), and every index here grows at its
-- right edge (seq, ULID and time all increase), so a sale commit writes one
-- page per b-tree. receipt_no has no index: a receipt number derives from
-- (store, terminal, seq), so a receipt lookup parses the seq and reads by it
-- (receiptSeq in src/terminal/projections.ts), one page less per sale.
CREATE TABLE sales (
  seq        INTEGER PRIMARY KEY,
  sale_id    TEXT NOT NULL UNIQUE,
  receipt_no TEXT NOT NULL,
  at         TEXT NOT NULL,
  cashier    TEXT NOT NULL,
  member     TEXT,
  items      INTEGER NOT NULL,
  gross      INTEGER NOT NULL,
  savings    INTEGER NOT NULL,
  rounding   INTEGER NOT NULL,
  total      INTEGER NOT NULL,
  paid       INTEGER NOT NULL,
  change     INTEGER NOT NULL
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
) STRICT, WITHOUT ROWID;

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
) STRICT, WITHOUT ROWID;

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
