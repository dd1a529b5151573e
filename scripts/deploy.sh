#!/usr/bin/env bash
# `make deploy`: deploys the built worker (build/, client/dist) to the Cloudflare account wrangler
# is logged into (`wrangler login`, or CLOUDFLARE_API_TOKEN). README.md, "Deploy".
#
#   1. checks the secrets in the environment: AUTH_SECRET (required), TOKEN_SECRET (when set);
#      the values committed in .dev.vars.example and short values are refused;
#   2. writes the deploy config target/deploy/wrangler.toml from wrangler.toml (paths rebased,
#      the D1 database id filled in): the real id is never committed;
#   3. bundles offline (`wrangler deploy --dry-run --outdir target/deploy-dry`), prints the
#      bundle's size raw and gzipped and refuses one over WORKER_SIZE_LIMIT_KB;
#   4. (DRY_RUN=1 stops after 5.) applies the migrations to a throwaway local D1;
#   5. finds the D1 database by name (`wrangler d1 list --json`) or creates it;
#   6. applies the migrations remotely, puts the secrets (on stdin, never in argv), deploys.
#
# Environment: AUTH_SECRET, TOKEN_SECRET (optional), CHECKPOINT_KEY (optional: signs checkpoints,
# docs/audit.md), VAPID_PRIVATE_KEY and VAPID_SUBJECT (optional: Web Push, docs/push.md), KEEP_SECRETS=1 (do not put secrets: keep the
# ones the Worker has), DRY_RUN=1, D1_NAME (default pecking-order), WORKER_SIZE_LIMIT_KB (gzip;
# default 3072, the Workers Free limit; 10240 on Workers Paid), WRANGLER (default: wrangler),
# DEPLOY_OUT (where deploy/ and deploy-dry/ go; default target).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WRANGLER="${WRANGLER:-wrangler}"
D1_NAME="${D1_NAME:-pecking-order}"
DRY_RUN="${DRY_RUN:-0}"
KEEP_SECRETS="${KEEP_SECRETS:-0}"
SIZE_LIMIT_KB="${WORKER_SIZE_LIMIT_KB:-3072}"
OUT_ROOT="${DEPLOY_OUT:-$ROOT/target}"
OUT="$OUT_ROOT/deploy"
DRY_OUT="$OUT_ROOT/deploy-dry"
CONFIG="$OUT/wrangler.toml"
PLACEHOLDER_ID="00000000-0000-0000-0000-000000000000"
MIN_SECRET_LEN=32
export WRANGLER_SEND_METRICS=false

say() { printf 'deploy: %s\n' "$*"; }
die() {
  printf 'deploy: error: %s\n' "$*" >&2
  exit 1
}

# --- 0. tools and build --------------------------------------------------------------------------
command -v "$WRANGLER" >/dev/null || die "wrangler not found (run \`make setup\`, or set WRANGLER)"
command -v node >/dev/null || die "node not found (wrangler needs it)"
command -v gzip >/dev/null || die "gzip not found"
[[ -f build/worker/shim.mjs ]] || die "build/worker/shim.mjs is missing: run \`make build\` first"
[[ -f client/dist/play/index.html ]] || die "client/dist is missing: run \`make build\` first"
[[ "$SIZE_LIMIT_KB" =~ ^[0-9]+$ ]] || die "WORKER_SIZE_LIMIT_KB must be a number of KiB"
[[ "$D1_NAME" =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "D1_NAME must be lowercase letters, digits and dashes"

# --- 1. secrets ----------------------------------------------------------------------------------
# The value a key has in .dev.vars.example (committed, so public): never a production secret.
dev_value() {
  local key="$1"
  [[ -f .dev.vars.example ]] || return 0
  sed -n "s/^[[:space:]]*${key}[[:space:]]*=[[:space:]]*//p" .dev.vars.example | head -n 1 |
    sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'\$/\1/"
}

# check_secret NAME REQUIRED: refuses a missing (when required), committed or short value.
check_secret() {
  local name="$1" required="$2" value dev
  value="${!name:-}"
  if [[ -z "$value" ]]; then
    if [[ "$required" == 1 ]]; then
      die "$name is not set: export $name=<a random value of at least $MIN_SECRET_LEN characters> (e.g. \`openssl rand -hex 32\`), or KEEP_SECRETS=1 to keep the Worker's current secrets"
    fi
    return 0
  fi
  dev="$(dev_value "$name")"
  if [[ -n "$dev" && "$value" == "$dev" ]]; then
    die "$name is the development value committed in .dev.vars.example: refusing to deploy it"
  fi
  if ((${#value} < MIN_SECRET_LEN)); then
    die "$name is too short (${#value} characters; at least $MIN_SECRET_LEN)"
  fi
}

SECRETS=()
if [[ "$KEEP_SECRETS" == 1 ]]; then
  say "KEEP_SECRETS=1: the Worker keeps its current secrets"
else
  required=1
  [[ "$DRY_RUN" == 1 ]] && required=0
  check_secret AUTH_SECRET "$required"
  check_secret TOKEN_SECRET "$required"
  if [[ -n "${TOKEN_SECRET:-}" && "${TOKEN_SECRET}" == "${AUTH_SECRET:-}" ]]; then
    die "TOKEN_SECRET must differ from AUTH_SECRET"
  fi
  [[ -n "${AUTH_SECRET:-}" ]] && SECRETS+=(AUTH_SECRET)
  [[ -n "${TOKEN_SECRET:-}" ]] && SECRETS+=(TOKEN_SECRET)
  # Optional: the key that signs checkpoints (docs/audit.md); without it the rooms sign none.
  check_secret CHECKPOINT_KEY 0
  [[ -n "${CHECKPOINT_KEY:-}" ]] && SECRETS+=(CHECKPOINT_KEY)
  # Optional: the VAPID key of Web Push (docs/push.md); without it the rooms send no push.
  check_secret VAPID_PRIVATE_KEY 0
  [[ -n "${VAPID_PRIVATE_KEY:-}" ]] && SECRETS+=(VAPID_PRIVATE_KEY)
  [[ -n "${VAPID_SUBJECT:-}" ]] && SECRETS+=(VAPID_SUBJECT)
fi

# --- 2. the deploy config ------------------------------------------------------------------------
# target/deploy/wrangler.toml: wrangler resolves paths from the config's directory, so the
# relative ones are made absolute (this file is never committed).
[[ "$ROOT" != *[\|\&\"]* ]] || die "the checkout's path contains | & or \": move it"
write_config() {
  local id="$1"
  mkdir -p "$OUT"
  sed -E \
    -e "s|^(main[[:space:]]*=[[:space:]]*\")([^/\"][^\"]*)\"|\\1$ROOT/\\2\"|" \
    -e "s|^(migrations_dir[[:space:]]*=[[:space:]]*\")([^/\"][^\"]*)\"|\\1$ROOT/\\2\"|" \
    -e "s|^(directory[[:space:]]*=[[:space:]]*\")([^/\"][^\"]*)\"|\\1$ROOT/\\2\"|" \
    -e "s|^(database_name[[:space:]]*=[[:space:]]*)\"[^\"]*\"|\1\"$D1_NAME\"|" \
    -e "s|^(database_id[[:space:]]*=[[:space:]]*)\"[^\"]*\".*|\1\"$id\"|" \
    wrangler.toml >"$CONFIG.tmp"
  grep -q "^database_id = \"$id\"" "$CONFIG.tmp" || die "could not set database_id in $CONFIG"
  mv "$CONFIG.tmp" "$CONFIG"
}

write_config "$PLACEHOLDER_ID"
if grep -Eq '^[[:space:]]*DEV_(FAULTS|MODE)[[:space:]]*=[[:space:]]*"?(1|true)"?' "$CONFIG"; then
  die "wrangler.toml [vars] turns on a development switch (DEV_FAULTS/DEV_MODE): refusing to deploy it"
fi

# --- 3. the bundle, offline ----------------------------------------------------------------------
say "bundling offline: $WRANGLER deploy --dry-run --outdir target/deploy-dry"
rm -rf "$DRY_OUT"
"$WRANGLER" deploy --dry-run --outdir "$DRY_OUT" --config "$CONFIG"

raw=0
gz=0
while IFS= read -r -d '' f; do
  raw=$((raw + $(wc -c <"$f")))
  gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
done < <(find "$DRY_OUT" -type f ! -name '*.map' ! -name 'README.md' -print0)
((raw > 0)) || die "the dry run wrote no bundle into $DRY_OUT"
say "bundle: $((raw / 1024)) KiB raw, $((gz / 1024)) KiB gzip (limit $SIZE_LIMIT_KB KiB gzip)"
printf '{"rawBytes":%d,"gzipBytes":%d,"limitKiB":%d}\n' "$raw" "$gz" "$SIZE_LIMIT_KB" >"$DRY_OUT/size.json"
if ((gz > SIZE_LIMIT_KB * 1024)); then
  die "the bundle is $((gz / 1024)) KiB gzip, over the $SIZE_LIMIT_KB KiB limit (WORKER_SIZE_LIMIT_KB)"
fi

if [[ "$DRY_RUN" == 1 ]]; then
  # The migrations, applied to a throwaway local D1 (the same SQL runs remotely).
  rm -rf "$OUT/d1-state"
  say "migrations, against a local D1: $WRANGLER d1 migrations apply $D1_NAME --local"
  "$WRANGLER" d1 migrations apply "$D1_NAME" --local --persist-to "$OUT/d1-state" --config "$CONFIG"
  say "dry run ok: nothing was sent to Cloudflare (config: $CONFIG)"
  exit 0
fi

# --- 4. the D1 database --------------------------------------------------------------------------
# The uuid of the database named $D1_NAME in `wrangler d1 list --json` (empty: none).
d1_id() {
  "$WRANGLER" d1 list --json --config "$CONFIG" | D1_NAME="$D1_NAME" node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      const list = JSON.parse(s);
      if (!Array.isArray(list)) throw new Error("d1 list --json did not answer an array");
      const db = list.find(d => d.name === process.env.D1_NAME);
      process.stdout.write(db ? String(db.uuid) : "");
    });'
}

id="$(d1_id)" || die "wrangler d1 list failed (logged in? \`wrangler login\` or CLOUDFLARE_API_TOKEN)"
if [[ -z "$id" ]]; then
  say "creating the D1 database $D1_NAME"
  "$WRANGLER" d1 create "$D1_NAME" --config "$CONFIG" </dev/null >/dev/null
  id="$(d1_id)"
  [[ -n "$id" ]] || die "the D1 database $D1_NAME was created but is not listed"
else
  say "found the D1 database $D1_NAME"
fi
[[ "$id" =~ ^[0-9a-fA-F-]{36}$ ]] || die "unexpected D1 database id: $id"
write_config "$id"
say "database $D1_NAME = $id (written to $CONFIG only)"

# --- 5. migrations, secrets, deploy ---------------------------------------------------------------
say "applying migrations remotely"
"$WRANGLER" d1 migrations apply "$D1_NAME" --remote --config "$CONFIG"

# On a first deploy the first `secret put` creates the Worker as an empty placeholder, which the
# deploy below replaces: the deployed version has its secrets from its first request.
for name in "${SECRETS[@]}"; do
  say "setting the secret $name"
  printf '%s' "${!name}" | "$WRANGLER" secret put "$name" --config "$CONFIG" >/dev/null
done

say "deploying"
"$WRANGLER" deploy --config "$CONFIG"
say "deployed. Roll back with \`wrangler rollback --config $CONFIG\` (README.md, \"Deploy\")"
