#!/usr/bin/env python3
"""Which wasm functions each traced step compiled first (BENCHMARKS.md, "The cold room's first
SYNC: what it compiles").

    scripts/wasm-cold-path.py <module.wasm> <trace.txt> [top]

<module.wasm>: the module node ran, with its `name` section (the test build the runner keeps
with WASM_BINDGEN_KEEP_TEST_BUILD=1); <trace.txt>: node's output with
`--trace-wasm-compilation-times` (lines `Compiled function …#N using Liftoff, took T ms …`: with
lazy compilation, each function's first compile happens at its first call). The steps are delimited by
the functions whose names contain `marker_` (tests/wasm_cold_path.rs). Prints, per step, the
number of functions and code bytes compiled, by group (as scripts/wasm-size.py groups them) and
the largest functions. Standard library only.
"""
import collections
import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("wasm_size", os.path.join(HERE, "wasm-size.py"))
wasm_size = importlib.util.module_from_spec(spec)
spec.loader.exec_module(wasm_size)


def functions(path):
    """(index → name, index → body bytes) over the module's function index space."""
    _, _, names, bodies = wasm_size.parse(path)
    return names, {idx: body for idx, _, body in bodies}


def group(name):
    for g, keys in wasm_size.GROUPS:
        if any(k in name for k in keys):
            return g
    return "other"


def main(wasm, trace, top=25):
    names, sizes = functions(wasm)
    steps = [("before the first marker", [])]
    ms = {}
    for line in open(trace, errors="replace"):
        m = re.search(r"Compiled function [^#]*#(\d+) using Liftoff, took (\d+) ms", line)
        if not m:
            continue
        idx = int(m.group(1))
        ms[idx] = ms.get(idx, 0) + int(m.group(2))
        name = names.get(idx, f"#{idx}")
        if "marker_" in name:
            steps.append((name, []))
        steps[-1][1].append(idx)
    for step, idxs in steps:
        total = sum(sizes.get(i, 0) for i in idxs)
        took = sum(ms.get(i, 0) for i in idxs)
        print(f"== {step}: {len(idxs)} functions, {total:,} code bytes, Liftoff {took} ms (sum of whole ms)")
        by = collections.Counter()
        count = collections.Counter()
        for i in idxs:
            g = group(names.get(i, ""))
            by[g] += sizes.get(i, 0)
            count[g] += 1
        for g, b in by.most_common():
            print(f"   {b:>10,} bytes {count[g]:>5} fns  {g}")
        for i in sorted(idxs, key=lambda i: -sizes.get(i, 0))[:top]:
            print(f"   {sizes.get(i, 0):>10,}  {names.get(i, f'#{i}')[:160]}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 25)
