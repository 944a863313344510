-- Migration day: the old system's daily totals per store and category
-- (till hub import-sales), kept apart from the hub's own sales so that a
-- report over a period before the switch unions this table with Till's days.
-- One row per (store, business_day, category); importing the same key again
-- replaces it.
CREATE TABLE sales_history (
  store        TEXT NOT NULL,
  business_day DATE NOT NULL,
  category     TEXT NOT NULL,
  net_sales    BIGINT NOT NULL,
  sales_count  INTEGER,
  quantity     NUMERIC(14, 3),
  source       TEXT NOT NULL,
  batch        TEXT NOT NULL,
  imported_at  TEXT NOT NULL,
  PRIMARY KEY (store, business_day, category)
);
CREATE INDEX sales_history_day ON sales_history (business_day, store);
