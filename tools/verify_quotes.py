#!/usr/bin/env python3
"""Quick curator-side check that every `quote` in the topic files occurs verbatim in the article.

Whitespace runs are collapsed to one space on both sides; nothing else is relaxed.
The authoritative check is `factdesk check`; this script exists so curators can
verify quotes without building the Rust code.
"""
import pathlib, re, sys, tomllib

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "responses/znpp-bitcoin")
collapse = lambda s: re.sub(r"\s+", " ", s).strip()
article = collapse((root / "article.txt").read_text(encoding="utf-8"))
bad = 0
for path in sorted((root / "topics").glob("*.toml")):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for claim in data.get("claims", []):
        if collapse(claim["quote"]) not in article:
            bad += 1
            print(f"{path}: quote not in article: {claim['quote'][:80]!r}")
print("ok" if bad == 0 else f"{bad} bad quotes")
sys.exit(1 if bad else 0)
