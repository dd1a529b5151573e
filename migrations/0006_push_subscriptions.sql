-- Web Push subscriptions (docs/push.md). One row per game and player: a player subscribes with
-- their player token (`POST …/:gameId/push-subscription` or the prototype's
-- `POST /api/push/subscribe`); a new subscription replaces the old one. `user_id` is the token's
-- `sub` (the lobby's realUserId), kept for the operator. The room's pushes read the rows of its
-- game; a push service answering 404, 410 or 403 deletes the row.
CREATE TABLE IF NOT EXISTS push_subscriptions (
  game_id TEXT NOT NULL,
  player_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (game_id, player_id)
);
