-- A game's lifecycle in D1 (docs/protocol.md, "Lifecycle"). The rooms write these columns from
-- the journal's own facts (room::host::d1_rows): the end of the game (GAME_ENDED, and
-- GAME_ABANDONED for an operator's end) on `games`, each elimination and every player's final
-- status and placement on `players`. The statements are idempotent, so a repeated outbox flush
-- changes nothing.
--
-- games.status: ACTIVE, COMPLETED or ABANDONED; completed_at_ms (0001) is the ending entry's
-- at_ms; winner_player_id is GAME_ENDED's winner (NULL: none); end_seq is the ending entry's seq.
ALTER TABLE games ADD COLUMN winner_player_id TEXT;
ALTER TABLE games ADD COLUMN end_seq INTEGER;

-- players.final_status: NULL while the game runs, then WINNER, ELIMINATED or ALIVE (still in at
-- the end without winning); placement: 1 for the winner, then the players still in, then the
-- eliminated, latest out first (NULL for an abandoned game); eliminated_seq / eliminated_day:
-- the entry of the player's ELIMINATION fact.
ALTER TABLE players ADD COLUMN eliminated_seq INTEGER;
ALTER TABLE players ADD COLUMN eliminated_day INTEGER;
ALTER TABLE players ADD COLUMN final_status TEXT;
ALTER TABLE players ADD COLUMN placement INTEGER;

-- Games journaled before this migration: the same values, derived from the journal already in
-- D1 (earlier rooms wrote no `games` row when the manifest left `mode` to its default).
INSERT OR IGNORE INTO games (game_id, mode, status, created_at_ms)
SELECT j.game_id, json_extract(f.value, '$.mode'), 'ACTIVE', j.at_ms
FROM journal j, json_each(j.facts) f
WHERE j.seq = 1 AND j.verdict = 'ACCEPTED' AND json_extract(f.value, '$.type') = 'GAME_CREATED';

UPDATE players SET
  eliminated_seq = (SELECT j.seq FROM journal j, json_each(j.facts) f
                     WHERE j.game_id = players.game_id AND j.verdict = 'ACCEPTED'
                       AND json_extract(f.value, '$.type') = 'ELIMINATION'
                       AND json_extract(f.value, '$.playerId') = players.player_id
                     ORDER BY j.seq LIMIT 1),
  eliminated_day = (SELECT json_extract(f.value, '$.day') FROM journal j, json_each(j.facts) f
                     WHERE j.game_id = players.game_id AND j.verdict = 'ACCEPTED'
                       AND json_extract(f.value, '$.type') = 'ELIMINATION'
                       AND json_extract(f.value, '$.playerId') = players.player_id
                     ORDER BY j.seq LIMIT 1)
WHERE eliminated_seq IS NULL;

UPDATE games SET
  status = CASE WHEN EXISTS (SELECT 1 FROM journal j, json_each(j.facts) f
                              WHERE j.game_id = e.game_id AND j.seq = e.seq
                                AND json_extract(f.value, '$.type') = 'GAME_ABANDONED')
                THEN 'ABANDONED' ELSE 'COMPLETED' END,
  completed_at_ms = e.at_ms,
  winner_player_id = e.winner,
  end_seq = e.seq
FROM (SELECT j.game_id, j.seq, j.at_ms, json_extract(f.value, '$.winner') AS winner
        FROM journal j, json_each(j.facts) f
       WHERE j.verdict = 'ACCEPTED' AND json_extract(f.value, '$.type') = 'GAME_ENDED') AS e
WHERE games.game_id = e.game_id AND games.end_seq IS NULL;

UPDATE players SET final_status = s.final_status, placement = s.placement
FROM (SELECT p.game_id, p.player_id,
             CASE WHEN p.player_id = g.winner_player_id THEN 'WINNER'
                  WHEN p.eliminated_seq IS NOT NULL THEN 'ELIMINATED' ELSE 'ALIVE' END AS final_status,
             CASE WHEN g.status = 'COMPLETED' THEN
               RANK() OVER (PARTITION BY p.game_id
                            ORDER BY COALESCE(p.player_id = g.winner_player_id, 0) DESC,
                                     p.eliminated_seq IS NULL DESC, p.eliminated_seq DESC)
             END AS placement
        FROM players p JOIN games g ON g.game_id = p.game_id
       WHERE g.end_seq IS NOT NULL) AS s
WHERE players.game_id = s.game_id AND players.player_id = s.player_id;
