-- Which hub catalog version this terminal has applied. The terminal numbers
-- its own catalog versions (a local import counts too), so a delta from the
-- hub (hub versions a -> b) is applied as local current -> current + 1 and
-- b is remembered here, in the same transaction.
CREATE TABLE sync_catalog (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  hub_version INTEGER NOT NULL CHECK (hub_version >= 0),
  applied_at  TEXT NOT NULL
) STRICT;
