-- A blind count refused for being off by more than the threshold is kept on
-- record (ShiftCountRejected); after one, every close of that shift needs a
-- supervisor, so the expected amount cannot be found by trying counts.
ALTER TABLE shifts ADD COLUMN rejected_counts INTEGER NOT NULL DEFAULT 0;
