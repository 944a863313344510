-- Users who sign in at the till: projection of UserSaved entries (and of the
-- users a CatalogApplied delta carries). PINs only as scrypt hashes.
CREATE TABLE users (
  code     TEXT PRIMARY KEY,
  name     TEXT NOT NULL,
  role     TEXT NOT NULL CHECK (role IN ('cashier', 'supervisor', 'manager', 'admin')),
  pin_hash TEXT NOT NULL,
  active   INTEGER NOT NULL CHECK (active IN (0, 1))
) STRICT;
