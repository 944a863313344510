-- Sign-in security (issue 9). PIN lockouts are kept per source (the cashier
-- window, or one device on the lane) and per user, so wrong PINs typed on one
-- lane never lock a user out of another; only users that exist get a row.
-- The old per-user rows are operational state and are dropped.
DROP TABLE login_attempts;
CREATE TABLE login_attempts (
  source       TEXT NOT NULL,
  user_code    TEXT NOT NULL,
  failures     INTEGER NOT NULL CHECK (failures >= 0),
  locked_until TEXT,
  PRIMARY KEY (source, user_code)
) STRICT;

-- A user who must choose a new PIN at the next sign-in (a one-time PIN from
-- till init, a credential in the older form without the PIN key).
ALTER TABLE users ADD COLUMN must_change_pin INTEGER NOT NULL DEFAULT 0 CHECK (must_change_pin IN (0, 1));
