-- Migration day (till import-members): each member's opening balances from
-- the old system (its level, points and stored value, with the mobile it was
-- known by), as journaled by MemberOpeningBalances; taken once per member.
CREATE TABLE member_openings (
  code    TEXT PRIMARY KEY,
  level   TEXT,
  points  INTEGER NOT NULL CHECK (points >= 0),
  balance INTEGER NOT NULL CHECK (balance >= 0),
  phone   TEXT,
  seq     INTEGER NOT NULL,
  at      TEXT NOT NULL
) STRICT;
