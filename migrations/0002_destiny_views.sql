-- Destinies as SQL over the journal (docs/destinies.md): the same evaluations the engine makes,
-- derived independently from the journal's primitive facts (assignments, opening balances,
-- silver changes with balance_after, eliminations, accusations, gold pool changes).
-- `destiny_evaluation` must agree with the engine's DESTINY_RESULT facts for every player; a test
-- (tests/destiny_sql.rs) fills a real SQLite database with a game's journal and checks it.

-- One row per fact of every accepted entry, in journal order.
CREATE VIEW IF NOT EXISTS journal_facts AS
SELECT j.game_id, j.seq, CAST(f.key AS INTEGER) AS idx, j.day,
       json_extract(f.value, '$.type') AS fact_type, f.value AS fact
FROM journal j, json_each(j.facts) f
WHERE j.verdict = 'ACCEPTED';

-- The engine's own verdicts.
CREATE VIEW IF NOT EXISTS destiny_results AS
SELECT game_id, seq, json_extract(fact, '$.playerId') AS player_id,
       json_extract(fact, '$.destiny') AS destiny, json_extract(fact, '$.status') AS status,
       json_extract(fact, '$.reason') AS reason
FROM journal_facts WHERE fact_type = 'DESTINY_RESULT';

CREATE VIEW IF NOT EXISTS destiny_holders AS
SELECT game_id, seq AS assigned_seq, json_extract(fact, '$.playerId') AS player_id,
       json_extract(fact, '$.destiny') AS destiny
FROM journal_facts WHERE fact_type = 'DESTINY_ASSIGNED';

CREATE VIEW IF NOT EXISTS eliminations AS
SELECT game_id, seq, idx, json_extract(fact, '$.playerId') AS player_id,
       ROW_NUMBER() OVER (PARTITION BY game_id ORDER BY seq, idx) AS n
FROM journal_facts WHERE fact_type = 'ELIMINATION';

-- Every silver balance change (opening balances included: reason START).
CREATE VIEW IF NOT EXISTS silver_changes AS
SELECT game_id, seq, idx, json_extract(fact, '$.playerId') AS player_id,
       json_extract(fact, '$.balanceAfter') AS balance
FROM journal_facts WHERE fact_type = 'SILVER';

-- The entry that ended the game (its GAME_SUMMARY phase change).
CREATE VIEW IF NOT EXISTS game_end AS
SELECT game_id, MIN(seq) AS seq FROM journal_facts
WHERE fact_type = 'PHASE_CHANGED' AND json_extract(fact, '$.phase') = 'GAME_SUMMARY'
GROUP BY game_id;

-- Entries after which balances or the alive set may have changed, while destinies were live.
CREATE VIEW IF NOT EXISTS destiny_checkpoints AS
SELECT DISTINCT f.game_id, f.seq FROM journal_facts f
JOIN (SELECT game_id, MIN(assigned_seq) AS s FROM destiny_holders GROUP BY game_id) a ON a.game_id = f.game_id
LEFT JOIN game_end e ON e.game_id = f.game_id
WHERE f.seq >= a.s AND (e.seq IS NULL OR f.seq < e.seq)
  AND (f.fact_type IN ('SILVER', 'ELIMINATION') OR f.seq = a.s);

-- Balance of every player of the game after each checkpoint, and whether they were alive.
CREATE VIEW IF NOT EXISTS balances_at AS
SELECT c.game_id, c.seq, p.player_id,
       (SELECT s.balance FROM silver_changes s
         WHERE s.game_id = c.game_id AND s.player_id = p.player_id AND s.seq <= c.seq
         ORDER BY s.seq DESC, s.idx DESC LIMIT 1) AS balance,
       NOT EXISTS (SELECT 1 FROM eliminations x
                    WHERE x.game_id = c.game_id AND x.player_id = p.player_id AND x.seq <= c.seq) AS alive
FROM destiny_checkpoints c
JOIN (SELECT DISTINCT game_id, player_id FROM silver_changes) p ON p.game_id = c.game_id;

-- Day ends (NIGHT or GAME_SUMMARY) after the deal, with each alive player's balance then.
CREATE VIEW IF NOT EXISTS day_end_balances AS
SELECT d.game_id, d.seq, p.player_id,
       (SELECT s.balance FROM silver_changes s
         WHERE s.game_id = d.game_id AND s.player_id = p.player_id AND s.seq <= d.seq
         ORDER BY s.seq DESC, s.idx DESC LIMIT 1) AS balance
FROM (SELECT DISTINCT f.game_id, f.seq FROM journal_facts f
       JOIN (SELECT game_id, MIN(assigned_seq) AS s FROM destiny_holders GROUP BY game_id) a
         ON a.game_id = f.game_id AND f.seq >= a.s
      WHERE f.fact_type = 'PHASE_CHANGED' AND json_extract(f.fact, '$.phase') IN ('NIGHT', 'GAME_SUMMARY')) d
JOIN (SELECT DISTINCT game_id, player_id FROM silver_changes) p ON p.game_id = d.game_id
WHERE NOT EXISTS (SELECT 1 FROM eliminations x WHERE x.game_id = d.game_id AND x.player_id = p.player_id AND x.seq <= d.seq);

CREATE VIEW IF NOT EXISTS last_place_days AS
SELECT b.game_id, b.player_id, COUNT(*) AS days
FROM day_end_balances b
WHERE b.balance = (SELECT MIN(b2.balance) FROM day_end_balances b2 WHERE b2.game_id = b.game_id AND b2.seq = b.seq)
GROUP BY b.game_id, b.player_id;

CREATE VIEW IF NOT EXISTS accusations AS
SELECT game_id, seq, json_extract(fact, '$.accuser') AS accuser, json_extract(fact, '$.target') AS target
FROM journal_facts WHERE fact_type = 'DESTINY_ACCUSATION';

-- The gold pool as it stood before the winner's payout, and the MOLE's threshold.
CREATE VIEW IF NOT EXISTS final_pool AS
SELECT g.game_id,
       COALESCE((SELECT json_extract(f.fact, '$.poolAfter') FROM journal_facts f
                  WHERE f.game_id = g.game_id AND f.fact_type = 'GOLD_POOL'
                    AND json_extract(f.fact, '$.reason') <> 'WINNER_PAYOUT'
                  ORDER BY f.seq DESC, f.idx DESC LIMIT 1),
                json_extract(g.fact, '$.goldPool')) AS pool,
       COALESCE((SELECT json_extract(j.payload, '$.manifest.moleThreshold') FROM journal j
                  WHERE j.game_id = g.game_id AND j.seq = 1), 50) AS mole_threshold
FROM journal_facts g WHERE g.fact_type = 'GAME_CREATED';

-- The independent evaluation: one row per holder, COMPLETED / FAILED (PENDING while the game runs).
CREATE VIEW IF NOT EXISTS destiny_evaluation AS
SELECT h.game_id, h.player_id, h.destiny,
  CASE h.destiny
    WHEN 'FANATIC' THEN CASE
      WHEN (SELECT player_id FROM eliminations e WHERE e.game_id = h.game_id AND e.n = 1) = h.player_id THEN 'COMPLETED'
      WHEN EXISTS (SELECT 1 FROM eliminations e WHERE e.game_id = h.game_id) THEN 'FAILED'
      WHEN EXISTS (SELECT 1 FROM game_end g WHERE g.game_id = h.game_id) THEN 'FAILED'
      ELSE 'PENDING' END
    WHEN 'DECOY' THEN CASE
      WHEN EXISTS (SELECT 1 FROM accusations a WHERE a.game_id = h.game_id AND a.target = h.player_id) THEN 'COMPLETED'
      WHEN EXISTS (SELECT 1 FROM game_end g WHERE g.game_id = h.game_id) THEN 'FAILED'
      ELSE 'PENDING' END
    WHEN 'DETECTIVE' THEN CASE
      WHEN EXISTS (SELECT 1 FROM accusations a JOIN destiny_holders t
                     ON t.game_id = a.game_id AND t.player_id = a.target AND t.destiny IN ('MOLE', 'FANATIC')
                    WHERE a.game_id = h.game_id) THEN 'COMPLETED'
      WHEN EXISTS (SELECT 1 FROM game_end g WHERE g.game_id = h.game_id) THEN 'FAILED'
      ELSE 'PENDING' END
    WHEN 'MOLE' THEN CASE
      WHEN EXISTS (SELECT 1 FROM accusations a WHERE a.game_id = h.game_id AND a.target = h.player_id) THEN 'FAILED'
      WHEN NOT EXISTS (SELECT 1 FROM game_end g WHERE g.game_id = h.game_id) THEN 'PENDING'
      WHEN (SELECT pool < mole_threshold FROM final_pool p WHERE p.game_id = h.game_id) THEN 'COMPLETED'
      ELSE 'FAILED' END
    WHEN 'FLOAT' THEN CASE
      WHEN NOT EXISTS (SELECT 1 FROM game_end g WHERE g.game_id = h.game_id) THEN 'PENDING'
      WHEN EXISTS (SELECT 1 FROM balances_at me
                    WHERE me.game_id = h.game_id AND me.player_id = h.player_id AND me.alive
                      AND me.balance < (SELECT MIN(o.balance) FROM balances_at o
                                         WHERE o.game_id = me.game_id AND o.seq = me.seq
                                           AND o.alive AND o.player_id <> me.player_id)) THEN 'FAILED'
      ELSE 'COMPLETED' END
    WHEN 'SELF_HATE' THEN CASE
      WHEN NOT EXISTS (SELECT 1 FROM game_end g WHERE g.game_id = h.game_id) THEN 'PENDING'
      WHEN EXISTS (SELECT 1 FROM eliminations e WHERE e.game_id = h.game_id AND e.player_id = h.player_id AND e.n <= 4) THEN 'FAILED'
      WHEN COALESCE((SELECT days FROM last_place_days l WHERE l.game_id = h.game_id AND l.player_id = h.player_id), 0) > 0
       AND COALESCE((SELECT days FROM last_place_days l WHERE l.game_id = h.game_id AND l.player_id = h.player_id), 0)
           = (SELECT MAX(days) FROM last_place_days l WHERE l.game_id = h.game_id) THEN 'COMPLETED'
      ELSE 'FAILED' END
  END AS status
FROM destiny_holders h;
