# Pecking Order: build, run and test. `make dev` and `make test` install what they need first
# (scripts/setup.sh: package registries only, skipped when already done).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
export PATH := $(CARGO_BIN):$(CURDIR)/node_modules/.bin:$(PATH)
# No telemetry prompts or uploads from wrangler (CI has no stdin and no internet).
export WRANGLER_SEND_METRICS := false

D1_NAME := pecking-order
DEV_PORT ?= 8787
WASM_TARGET := wasm32-unknown-unknown

.PHONY: help setup build build-client dev demo demo-run test test-native test-e2e test-wasm test-client test-browser test-demo bench fmt fmt-check lint clean schemas load figures sim fuzz soak

help:
	@echo "make dev    - install tools, build the worker, migrate local D1, serve on 127.0.0.1:$(DEV_PORT)"
	@echo "make test   - install tools, build the worker, run native, end-to-end and wasm tests"
	@echo "make demo   - a BLITZ game with bots and a seat for you (DEMO_HUMAN=0: bots only), audited with po-replay"
	@echo "make build  - build the worker into build/ (worker-build --release --no-opt, opt-level s) and the web client into client/dist"
	@echo "make bench  - criterion benchmarks (native)"
	@echo "make deploy - deploy to your Cloudflare account (README.md, Deploy); DRY_RUN=1: bundle and check offline"
	@echo "make schemas - regenerate schemas/ (JSON Schemas, TypeScript) from the code; make test checks them"
	@echo "make load   - load figures under wrangler dev (one room, 20 sockets)"
	@echo "make figures - a generated 7-day, 20-player game through a live room: DO size, cold start, D1 reads"
	@echo "make sim    - the deterministic simulator with fault injection: SEEDS=N seeds (docs/testing.md)"
	@echo "make fuzz   - every fuzz target FUZZ_ITERS times (docs/testing.md)"
	@echo "make soak   - load and soak under wrangler dev: 50 rooms x 20 sockets, D1 outage, SIGKILL, a big room"
	@echo "make fmt    - cargo fmt;  make lint - fmt check + clippy -D warnings (native and wasm32)"

setup:
	./scripts/setup.sh

# worker-build would download wasm-bindgen and wasm-opt from outside the registries: point it at the
# cargo-installed wasm-bindgen and skip wasm-opt. The wasm-bindgen goes through
# scripts/wasm-bindgen-lean.sh, which drops the wasm's debugging `name` section (BENCHMARKS.md,
# "Worker size and start"). wasm-opt (npm `binaryen`) was measured and made the gzip larger, so
# it stays off (same section). The worker's wasm is built at opt-level "s" (WORKER_OPT_LEVEL):
# 26 % less gzip than `[profile.release]`'s 3 for about 10 % more CPU per fold, and a faster cold
# start (same section); native release builds (po-replay, benches) keep opt-level 3.
WORKER_OPT_LEVEL ?= s
build: setup
	CARGO_PROFILE_RELEASE_OPT_LEVEL=$(WORKER_OPT_LEVEL) WASM_BINDGEN_BIN=$(CURDIR)/scripts/wasm-bindgen-lean.sh worker-build --release --no-opt
	@test -f build/worker/shim.mjs
	$(MAKE) --no-print-directory build-client

# The web client (client/): type-checked and bundled into client/dist, which wrangler serves as
# static assets ([assets] in wrangler.toml). Its own node_modules (scripts/setup.sh step 7).
build-client:
	cd client && ./node_modules/.bin/tsc --noEmit -p . && ./node_modules/.bin/vite build --logLevel warn
	@test -f client/dist/play/index.html && test -f client/dist/operator/index.html

dev: build
	npx wrangler d1 migrations apply $(D1_NAME) --local
	@[ -f .dev.vars ] || { cp .dev.vars.example .dev.vars; echo "created .dev.vars from .dev.vars.example"; }
	@grep -q '^CHECKPOINT_KEY=' .dev.vars || { echo "CHECKPOINT_KEY=$$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" >> .dev.vars; echo "added a local CHECKPOINT_KEY to .dev.vars (docs/audit.md)"; }
	@grep -q '^VAPID_PRIVATE_KEY=' .dev.vars || { echo "VAPID_PRIVATE_KEY=$$(head -c32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" >> .dev.vars; echo "added a local VAPID_PRIVATE_KEY to .dev.vars (docs/push.md)"; }
	@grep -q '^TOKEN_SECRET=' .dev.vars || { echo "error: .dev.vars has no TOKEN_SECRET (player tokens no longer use AUTH_SECRET): copy the AUTH_SECRET, TOKEN_SECRET and DEV_MODE lines of .dev.vars.example (docs/security.md)"; exit 1; }
	npx wrangler dev --ip 127.0.0.1 --port $(DEV_PORT)

# -k and --no-fail-fast: every suite runs and reports even when an earlier one fails; make still
# exits non-zero if any failed.
test: build
	$(MAKE) --no-print-directory -k test-native test-e2e test-wasm test-client test-browser test-demo

test-native:
	cargo test --workspace --no-fail-fast

# Starts its own `wrangler dev` per test on free ports with a throwaway --persist-to directory.
test-e2e:
	cargo test --features e2e --test e2e --no-fail-fast

# A BLITZ game with bots and one seat for you on a local wrangler dev (fresh state in target/demo),
# played to a winner, then audited: po-replay verify and report (docs/client.md). DEMO_HUMAN=0:
# bots only. Ctrl-C stops everything it started.
demo: build demo-run

demo-run:
	cargo build -q -p pecking-order-bots -p pecking-order-replay
	cargo run -q -p pecking-order-bots --bin po-demo

# The demo as a test: bots only, 4 players (3 BLITZ rounds of 30 s), must verify and report.
test-demo:
	DEMO_HUMAN=0 DEMO_PLAYERS=4 DEMO_PORT=0 DEMO_OUT=$(CURDIR)/target/demo-test $(MAKE) --no-print-directory demo-run

# The client's unit tests (vitest) and the browser tests (client/test/*.test.mjs: the player's
# page, and the operator page): Debian's chromium driven headless by playwright-core against a
# real wrangler dev (po-demo serve), one file at a time; screenshots in target/browser-artifacts/.
test-client:
	cd client && ./node_modules/.bin/vitest run

test-browser:
	cargo build -q -p pecking-order-bots
	cd client && node --test --test-concurrency=1 test/

# Load figures for BENCHMARKS.md (one room, 20 sockets, bounded by LOAD_SECONDS; 127.0.0.1 only).
# LOAD_DELTA=half: half the sockets take SYSTEM.DELTA frames, half full SYNCs, in the same run.
load: build
	cargo test --release --features e2e --test e2e -- --ignored load:: --nocapture

# Load and soak under wrangler dev (tests/e2e/soak/, docs/testing.md "Soak" for every knob):
# SOAK_ROOMS rooms of SOAK_SOCKETS bot sockets (one action each every SOAK_ACTION_MS) through a
# D1 outage and a SIGKILL, then one room driven towards SOAK_BIG_ENTRIES entries; every journal
# verified from D1 by po-replay. Not part of `make test`.
soak: build
	cargo build -q --profile sim -p pecking-order-replay
	cargo test --profile sim --features e2e --test e2e -- --ignored soak:: --nocapture

# Figures of a generated 7-day, 20-player game through a live room (DO rows and bytes per day,
# snapshot size, cold start, history read back from D1; BENCHMARKS.md). FIGURES_ROOT=<checkout>
# measures another build's DO the same way.
figures: build
	cargo test --release --features e2e --test e2e -- --ignored figures:: --nocapture

test-wasm:
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
		cargo test --target $(WASM_TARGET) --test wasm_fixture

bench:
	cargo bench --workspace

# The simulator (sim/, docs/testing.md): SEEDS seeds from SEED_FROM with 3 rooms each, then
# LONG_SEEDS seeds of one long room. A failure prints its seed and the command that reruns it.
# `cargo test` runs 200 short seeds and one long one.
SEEDS ?= 1000
SEED_FROM ?= 1
LONG_SEEDS ?= 20
sim:
	cargo build -q --profile sim -p pecking-order-sim
	./target/sim/po-sim --seeds $(SEEDS) --from $(SEED_FROM)
	./target/sim/po-sim --seeds $(LONG_SEEDS) --from $(SEED_FROM) --rooms 1 --steps 4000 --long

# Structure-aware fuzzing of the decoders of outside bytes (sim/src/fuzz/, corpora in
# sim/corpus/): FUZZ_ITERS inputs per target from FUZZ_SEED. `cargo test` runs 1,000 per target
# (100 for the slow export and engine targets).
FUZZ_ITERS ?= 100000
FUZZ_SEED ?= 1
fuzz:
	cargo build -q --profile sim -p pecking-order-sim
	./target/sim/po-fuzz --iters $(FUZZ_ITERS) --seed $(FUZZ_SEED)

# Rewrites schemas/ from the Rust types; `make test` (cargo test) fails while they differ.
schemas:
	cargo test --test it -- --ignored schemas::regenerate

fmt:
	cargo fmt --all

fmt-check:
	cargo fmt --all -- --check

lint: fmt-check
	cargo clippy --workspace --all-targets --features pecking-order/e2e -- -D warnings
	cargo clippy --target $(WASM_TARGET) --lib --test wasm_fixture --test wasm_cold_path -- -D warnings

clean:
	cargo clean
	rm -rf build

# Deploy to the Cloudflare account wrangler is logged into (README.md, "Deploy"): D1 found or
# created, migrations applied remotely, secrets from the environment, `wrangler deploy`.
# DRY_RUN=1 stops after the offline checks (bundle size, migrations against a local D1).
.PHONY: deploy
deploy: build
	./scripts/deploy.sh
