-- The journal: one row per entry, append-only and hash-chained (docs/journal-format.md).
-- Written by each GameRoom from its outbox with INSERT OR IGNORE, so retries are harmless.
CREATE TABLE IF NOT EXISTS journal (
  game_id   TEXT    NOT NULL,
  seq       INTEGER NOT NULL,
  at_ms     INTEGER NOT NULL,
  day       INTEGER NOT NULL,
  kind      TEXT    NOT NULL,
  actor     TEXT    NOT NULL,
  type      TEXT    NOT NULL,
  payload   TEXT    NOT NULL,
  verdict   TEXT    NOT NULL,
  facts     TEXT    NOT NULL,
  engine    TEXT    NOT NULL,
  v         INTEGER NOT NULL,
  prev_hash TEXT    NOT NULL,
  hash      TEXT    NOT NULL,
  PRIMARY KEY (game_id, seq)
);

CREATE INDEX IF NOT EXISTS journal_game_type ON journal (game_id, type);
CREATE INDEX IF NOT EXISTS journal_game_day ON journal (game_id, day);
CREATE INDEX IF NOT EXISTS journal_game_actor ON journal (game_id, actor);

-- One row per game room.
CREATE TABLE IF NOT EXISTS games (
  game_id         TEXT    PRIMARY KEY,
  mode            TEXT    NOT NULL,
  status          TEXT    NOT NULL,
  created_at_ms   INTEGER NOT NULL,
  completed_at_ms INTEGER
);
