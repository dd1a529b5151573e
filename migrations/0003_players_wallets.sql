-- Players and wallets (minimal). The journal stays the source of truth: `players` is a lookup
-- index the room fills from its outbox (SYSTEM.INIT roster, accepted SYSTEM.PLAYER_JOINED), with
-- INSERT OR IGNORE, so replays of a flush are harmless. `wallets` holds a user's cross-game gold
-- for the lobby; rooms never write it: gold won in games is derived from the journal's GOLD facts
-- (view `wallet_balances`, migrations/0004_wallet_gold.sql).
CREATE TABLE IF NOT EXISTS players (
  game_id       TEXT    NOT NULL,
  player_id     TEXT    NOT NULL,
  real_user_id  TEXT    NOT NULL DEFAULT '',
  persona_name  TEXT    NOT NULL,
  joined_seq    INTEGER NOT NULL,
  PRIMARY KEY (game_id, player_id)
);
CREATE INDEX IF NOT EXISTS players_user ON players (real_user_id);

CREATE TABLE IF NOT EXISTS wallets (
  real_user_id  TEXT    PRIMARY KEY,
  gold          INTEGER NOT NULL DEFAULT 0,
  updated_at_ms INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS games_status ON games (status);
