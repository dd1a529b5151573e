#!/usr/bin/env bash
# Prepares the TypeScript prototype's game server for the side-by-side cold start figures
# (tests/e2e/cold_compare.rs; BENCHMARKS.md, "Side by side with the prototype"), from the npm
# registry only:
#   scripts/prototype-prepare.sh <prototype git dir or clone> <scratch dir outside this repo>
# then PROTO_ROOT=<scratch dir>. Steps (each explained in BENCHMARKS.md):
#  1. `git archive HEAD` of the prototype into the scratch dir;
#  2. its lockfile and apps/game-server/package.json without `partywhen`, which the registry does
#     not serve (404), then `npm ci` of the game server and the workspace packages it imports;
#  3. a small stand-in `partywhen` (the Scheduler surface the game server calls) in node_modules;
#  4. the workspace packages' dist/ built with esbuild (their own `tsup` build needs rollup's
#     native linux binary, which the macOS-made lockfile omits).
set -euo pipefail
src=${1:?usage: $0 <prototype git dir> <scratch dir>}
dest=${2:?usage: $0 <prototype git dir> <scratch dir>}
mkdir -p "$dest"
git -C "$src" archive HEAD | tar -x -C "$dest"
git -C "$src" rev-parse HEAD >"$dest/PROTO_COMMIT"
cd "$dest"

python3 - <<'EOF'
import json
lock = json.load(open('package-lock.json'))
pk = lock['packages']
for k in [k for k in pk if k.startswith('node_modules/partywhen')]:
    del pk[k]
for v in pk.values():
    for d in ('dependencies', 'devDependencies'):
        v.get(d, {}).pop('partywhen', None)
json.dump(lock, open('package-lock.json', 'w'), indent=2)
p = json.load(open('apps/game-server/package.json'))
p['dependencies'].pop('partywhen', None)
json.dump(p, open('apps/game-server/package.json', 'w'), indent=2)
EOF

npm ci --ignore-scripts --no-audit --no-fund --include-workspace-root \
  -w apps/game-server -w packages/auth -w packages/cartridges \
  -w packages/game-cartridges -w packages/shared-types

mkdir -p node_modules/partywhen
cat >node_modules/partywhen/package.json <<'EOF'
{ "name": "partywhen", "version": "0.1.4-shim", "main": "index.js", "type": "module" }
EOF
cat >node_modules/partywhen/index.js <<'EOF'
// Stand-in for partywhen 0.1.4 (not served by the registry): the Scheduler surface the
// prototype's game server calls. Its games here use ADMIN scheduling, so no task ever runs.
export class Scheduler {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS tasks (
        id TEXT PRIMARY KEY NOT NULL, description TEXT, payload TEXT, callback TEXT,
        type TEXT NOT NULL CHECK(type IN ('scheduled', 'delayed', 'cron', 'no-schedule')),
        time INTEGER, delayInSeconds INTEGER, cron TEXT,
        created_at INTEGER DEFAULT (unixepoch()))`);
      await this.alarm();
    });
  }
  querySql(qs) {
    let result = [];
    for (const q of qs) result = [...this.ctx.storage.sql.exec(q.sql, ...(q.params || []))];
    return { result };
  }
  async scheduleNextAlarm() {
    const rows = [...this.ctx.storage.sql.exec(
      "SELECT time FROM tasks WHERE time > ? ORDER BY time ASC LIMIT 1",
      Math.floor(Date.now() / 1000))];
    if (rows.length > 0) await this.ctx.storage.setAlarm(rows[0].time * 1000);
  }
  async alarm() {
    const now = Math.floor(Date.now() / 1000);
    const due = [...this.ctx.storage.sql.exec("SELECT * FROM tasks WHERE time <= ?", now)];
    for (const row of due) {
      try {
        const cb = JSON.parse(row.callback);
        if (cb.type === "self" && typeof this[cb.function] === "function") {
          await this[cb.function](row.payload ? JSON.parse(row.payload) : undefined);
        }
      } catch (e) {
        console.error("partywhen stand-in: task failed", e);
      }
      this.ctx.storage.sql.exec("DELETE FROM tasks WHERE id = ?", row.id);
    }
    await this.scheduleNextAlarm();
  }
}
EOF

for p in shared-types cartridges game-cartridges auth; do
  (cd "packages/$p" &&
    ../../node_modules/.bin/esbuild src/index.ts --bundle --platform=neutral --format=esm \
      --packages=external --outfile=dist/index.mjs --log-level=warning &&
    ../../node_modules/.bin/esbuild src/index.ts --bundle --platform=node --format=cjs \
      --packages=external --outfile=dist/index.js --log-level=warning)
done
echo "prototype ready: PROTO_ROOT=$dest (commit $(cat PROTO_COMMIT))"
