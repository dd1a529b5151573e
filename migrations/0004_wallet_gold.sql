-- Gold won in games, per real user, derived from the journal (docs/architecture.md: nothing is stored
-- that cannot be re-derived). Every payout is a GOLD fact with its delta (WINNER, DESTINY_*);
-- opening balances (reason START) are the wallet's own gold brought into a game, so they are not
-- counted. Journal rows are written with INSERT OR IGNORE keyed by (game_id, seq), so a retried
-- flush can never credit twice.
CREATE VIEW IF NOT EXISTS wallet_gold_earned AS
SELECT p.real_user_id AS real_user_id,
       SUM(json_extract(f.value, '$.delta')) AS gold,
       COUNT(DISTINCT j.game_id) AS games
FROM journal j, json_each(j.facts) f
JOIN players p
  ON p.game_id = j.game_id AND p.player_id = json_extract(f.value, '$.playerId')
WHERE j.verdict = 'ACCEPTED'
  AND json_extract(f.value, '$.type') = 'GOLD'
  AND json_extract(f.value, '$.reason') <> 'START'
  AND p.real_user_id <> ''
GROUP BY p.real_user_id;

-- A user's wallet: gold credited outside games (`wallets`, lobby-managed) plus gold earned in games.
CREATE VIEW IF NOT EXISTS wallet_balances AS
SELECT u.real_user_id AS real_user_id,
       COALESCE((SELECT w.gold FROM wallets w WHERE w.real_user_id = u.real_user_id), 0)
       + COALESCE((SELECT e.gold FROM wallet_gold_earned e WHERE e.real_user_id = u.real_user_id), 0) AS gold
FROM (SELECT real_user_id FROM wallets UNION SELECT real_user_id FROM wallet_gold_earned) u;
