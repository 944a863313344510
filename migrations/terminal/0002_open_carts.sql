-- Open carts, saved on every change so a crash or power cut restores them.
-- Not journaled: a cart becomes history only when its sale is appended.
CREATE TABLE open_carts (
  cart_id    TEXT PRIMARY KEY,
  state      TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
