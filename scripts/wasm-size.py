#!/usr/bin/env python3
"""What takes the bytes of a wasm module (BENCHMARKS.md, "Worker size and start").

    scripts/wasm-size.py target/wasm32-unknown-unknown/release/pecking_order.wasm

Give it the module cargo builds (before wasm-bindgen, which drops the `name` section): prints
the size of each section, then the code section's bytes grouped by what the functions are
(serde Deserialize / Serialize code, sorting, the worker bindings, ...), from their mangled
names. Standard library only.
"""
import collections
import sys


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


SECTIONS = {1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global",
            7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount", 13: "tag"}

# First match wins: (group, substrings of the mangled name).
GROUPS = [
    ("serde Deserialize", ["Deserialize", "Visitor", "serde_core..de", "serde_core2de", "DeserializeSeed"]),
    ("serde Serialize", ["Serialize", "serde_core..ser", "serde_core3ser"]),
    ("slice sorting (core::slice::sort)", ["core5slice4sort"]),
    ("worker / js-sys / wasm-bindgen bindings", ["worker", "js_sys", "wasm_bindgen", "web_sys", "futures"]),
    ("BTreeMap / hashbrown", ["btree", "hashbrown"]),
    ("formatting (core::fmt)", ["core3fmt", "core..fmt"]),
    ("crypto (blake3, sha2, hmac, ed25519)", ["blake3", "sha2", "hmac", "ed25519", "curve25519"]),
    ("serde_json / ciborium (non-serde)", ["serde_json", "ciborium"]),
    ("pecking_order (engine, room, worker)", ["pecking_order"]),
]


def parse(path):
    """The module's bytes, its sections as (name, size), index → function name (the `name`
    section, if any), and each defined function as (index, size with its length prefix, body
    size). Shared with scripts/wasm-cold-path.py."""
    data = open(path, "rb").read()
    i, nimports, bodies, names = 8, 0, [], {}
    for_sections = []
    while i < len(data):
        sid = data[i]
        i += 1
        sz, i = leb(data, i)
        body = data[i:i + sz]
        i += sz
        if sid == 0:
            nl, j = leb(body, 0)
            nm = body[j:j + nl].decode(errors="replace")
            for_sections.append(("custom " + nm, sz))
            if nm == "name":
                j += nl
                while j < len(body):
                    sub = body[j]
                    j += 1
                    ssz, j = leb(body, j)
                    end = j + ssz
                    if sub == 1:
                        cnt, k = leb(body, j)
                        for _ in range(cnt):
                            idx, k = leb(body, k)
                            ln, k = leb(body, k)
                            names[idx] = body[k:k + ln].decode("utf8", "replace")
                            k += ln
                    j = end
            continue
        for_sections.append((SECTIONS.get(sid, str(sid)), sz))
        if sid == 2:
            cnt, j = leb(body, 0)
            for _ in range(cnt):
                for _ in range(2):
                    ln, j = leb(body, j)
                    j += ln
                kind = body[j]
                j += 1
                if kind == 0:
                    _, j = leb(body, j)
                    nimports += 1
                elif kind in (1, 2):
                    if kind == 1:
                        j += 1
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
            cnt, j = leb(body, 0)
            for f in range(cnt):
                ln, j2 = leb(body, j)
                bodies.append((nimports + f, j2 - j + ln, ln))
                j = j2 + ln
    return data, for_sections, names, bodies


def main(path):
    data, for_sections, names, bodies = parse(path)
    print(f"{path}: {len(data):,} bytes")
    for name, sz in for_sections:
        print(f"  section {name:<32} {sz:>10,}")
    if not names:
        print("(no name section: functions cannot be grouped)")
        return
    total = sum(sz for _, sz, _ in bodies)
    size, count = collections.Counter(), collections.Counter()
    for idx, sz, _ in bodies:
        n = names.get(idx, "")
        group = next((g for g, keys in GROUPS if any(k in n for k in keys)), "other")
        size[group] += sz
        count[group] += 1
    print(f"code: {len(bodies):,} functions, {total:,} bytes")
    for group, sz in size.most_common():
        print(f"  {sz:>10,} {100 * sz / total:5.1f} % {count[group]:>6,} functions  {group}")


if __name__ == "__main__":
    main(sys.argv[1])
