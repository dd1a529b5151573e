#!/usr/bin/env bash
# The wasm-bindgen that `make build` gives worker-build (WASM_BINDGEN_BIN): the cargo-installed
# CLI (scripts/setup.sh) with the debugging `name` section removed from the worker's wasm
# (function names for stack traces: about a third of the module's bytes; panic messages keep
# their text). BENCHMARKS.md, "Worker size and start".
set -euo pipefail
exec "${CARGO_HOME:-$HOME/.cargo}/bin/wasm-bindgen" --remove-name-section "$@"
