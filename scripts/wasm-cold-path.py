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
leb = wasm_size.leb


def functions(path):
    """(index → name, index → body bytes) over the module's function index space."""
    data = open(path, "rb").read()
    i, nimports, names, sizes = 8, 0, {}, {}
    while i < len(data):
        sid = data[i]
        i += 1
        sz, i = leb(data, i)
        body = data[i:i + sz]
        i += sz
        if sid == 2:
            n, j = leb(body, 0)
            for _ in range(n):
                for _ in range(2):
                    ln, j = leb(body, j)
                    j += ln
                kind = body[j]
                j += 1
                if kind == 0:
                    _, j = leb(body, j)
                    nimports += 1
                elif kind == 1:
                    j += 1
                    flags, j = leb(body, j)
                    _, j = leb(body, j)
                    if flags & 1:
                        _, j = leb(body, j)
                elif kind == 2:
                    flags, j = leb(body, j)
                    _, j = leb(body, j)
                    if flags & 1:
                        _, j = leb(body, j)
                elif kind == 3:
                    j += 2
                elif kind == 4:
                    j += 1
                    _, j = leb(body, j)
        elif sid == 10:
            n, j = leb(body, 0)
            for k in range(n):
                bsz, j = leb(body, j)
                sizes[nimports + k] = bsz
                j += bsz
        elif sid == 0:
            nl, j = leb(body, 0)
            if body[j:j + nl].decode(errors="replace") != "name":
                continue
            j += nl
            while j < len(body):
                sub = body[j]
                j += 1
                ssz, j = leb(body, j)
                end = j + ssz
                if sub == 1:
                    n, j = leb(body, j)
                    for _ in range(n):
                        idx, j = leb(body, j)
                        ln, j = leb(body, j)
                        names[idx] = body[j:j + ln].decode(errors="replace")
                        j += ln
                j = end
    return names, sizes


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
