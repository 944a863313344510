-- Payment codes (issue 13): projections of PaymentStarted / PaymentSettled
-- (one row per merchant order number sent to WeChat Pay or Alipay) and of
-- PaymentRefundStarted / PaymentRefundSettled (one row per provider refund
-- number). A row in state 'open' is an order or refund whose outcome the
-- till does not know yet: it is settled on the next open or before the next
-- payment, never assumed.
CREATE TABLE payment_orders (
  order_no    TEXT PRIMARY KEY,
  seq         INTEGER NOT NULL,
  provider    TEXT NOT NULL CHECK (provider IN ('wechat', 'alipay', 'unionpay')),
  amount      INTEGER NOT NULL CHECK (amount > 0),
  cart_id     TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('open', 'approved', 'declined', 'revoked')),
  reference   TEXT,
  paid_at     TEXT,
  reason      TEXT,
  settled_seq INTEGER,
  settled_at  TEXT
) STRICT;
CREATE INDEX payment_orders_open ON payment_orders (state) WHERE state = 'open';
CREATE INDEX payment_orders_started ON payment_orders (started_at);

CREATE TABLE payment_refunds (
  refund_no   TEXT PRIMARY KEY,
  refund_id   TEXT NOT NULL,
  order_no    TEXT NOT NULL,
  provider    TEXT NOT NULL CHECK (provider IN ('wechat', 'alipay', 'unionpay')),
  amount      INTEGER NOT NULL CHECK (amount > 0),
  total       INTEGER NOT NULL CHECK (total > 0),
  sale_seq    INTEGER,
  seq         INTEGER NOT NULL,
  started_at  TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('open', 'refunded', 'declined')),
  reference   TEXT,
  reason      TEXT,
  settled_seq INTEGER,
  settled_at  TEXT
) STRICT;
CREATE INDEX payment_refunds_open ON payment_refunds (state) WHERE state = 'open';
CREATE INDEX payment_refunds_refund ON payment_refunds (refund_id);

-- each store's payment codes as the hub set them up (CatalogApplied): the
-- mode, providers and merchant ids, never a secret; the row of this till's
-- store, else '*', is merged with the keys of DATA/payments.json
CREATE TABLE store_payments (
  store  TEXT PRIMARY KEY,
  config TEXT NOT NULL
) STRICT;
