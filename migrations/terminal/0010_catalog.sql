-- The catalog: projections of CatalogImported / CatalogApplied entries, so
-- they can be rebuilt from the journal alone. Prices in fen (per kg when
-- weighed), VAT in basis points; initials and pinyin are the search keys.
CREATE TABLE products (
  sku          TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  plu          TEXT,
  category     TEXT NOT NULL,
  unit         TEXT NOT NULL,
  price        INTEGER NOT NULL CHECK (price >= 0),
  member_price INTEGER CHECK (member_price >= 0),
  vat_rate     INTEGER NOT NULL CHECK (vat_rate IN (0, 600, 900, 1300)),
  weighed      INTEGER NOT NULL CHECK (weighed IN (0, 1)),
  active       INTEGER NOT NULL CHECK (active IN (0, 1)),
  initials     TEXT NOT NULL,
  pinyin       TEXT NOT NULL
) STRICT;
CREATE INDEX products_plu ON products (plu) WHERE plu IS NOT NULL;

CREATE TABLE barcodes (
  barcode TEXT PRIMARY KEY,
  sku     TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX barcodes_sku ON barcodes (sku);

CREATE TABLE promotions (
  id     TEXT PRIMARY KEY,
  kind   TEXT NOT NULL,
  active INTEGER NOT NULL,
  def    TEXT NOT NULL
) STRICT;

CREATE TABLE members (
  code   TEXT PRIMARY KEY,
  name   TEXT NOT NULL,
  active INTEGER NOT NULL
) STRICT;

-- one row: the catalog version (from the hub or an import) and the store settings
CREATE TABLE catalog_state (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  version  INTEGER NOT NULL,
  settings TEXT
) STRICT;
