#!/usr/bin/env python3
"""Validates a locked question set against the article: fields, kinds, languages, minimums,
and every expected fragment verbatim.

    python3 tools/locked_set/validate.py QUESTIONS.toml [ARTICLE.txt]
"""
import sys, tomllib, collections

ARTICLE = sys.argv[2] if len(sys.argv) > 2 else "responses/znpp-bitcoin/article.txt"
QFILE = sys.argv[1] if len(sys.argv) > 1 else "questions.toml"
KINDS = {"on_topic", "unknowable", "false_premise", "off_topic", "adversarial"}
LANGS = {"en", "uk", "ru"}
MIN_KIND = {"on_topic": 115, "unknowable": 30, "false_premise": 25, "off_topic": 55, "adversarial": 25}
MIN_LANG = {"uk": 55, "ru": 55}
MIN_TOTAL = 300

article = open(ARTICLE, encoding="utf-8").read()
with open(QFILE, "rb") as f:
    data = tomllib.load(f)
cases = data.get("case", [])
errors = []
seen = {}
kinds = collections.Counter()
langs = collections.Counter()
kind_lang = collections.Counter()
for i, c in enumerate(cases, 1):
    q = c.get("question")
    k = c.get("kind")
    l = c.get("lang")
    e = c.get("expect")
    tag = f"case {i} ({q[:40]!r})" if isinstance(q, str) else f"case {i}"
    if set(c) - {"question", "kind", "lang", "expect"}:
        errors.append(f"{tag}: unexpected keys {set(c) - {'question','kind','lang','expect'}}")
    if not isinstance(q, str) or not q.strip():
        errors.append(f"{tag}: missing/empty question"); continue
    if k not in KINDS:
        errors.append(f"{tag}: bad kind {k!r}")
    if l not in LANGS:
        errors.append(f"{tag}: bad lang {l!r}")
    if not isinstance(e, list) or not all(isinstance(x, str) for x in e):
        errors.append(f"{tag}: expect must be a list of strings"); continue
    key = " ".join(q.split()).casefold()
    if key in seen:
        errors.append(f"{tag}: duplicate of case {seen[key]}")
    seen[key] = i
    for frag in e:
        if not frag.strip():
            errors.append(f"{tag}: empty fragment")
        elif frag not in article:
            errors.append(f"{tag}: fragment not verbatim in article: {frag!r}")
    if len(set(e)) != len(e):
        errors.append(f"{tag}: repeated fragment")
    if k == "off_topic" and e:
        errors.append(f"{tag}: off_topic must have expect = []")
    if k in ("on_topic", "unknowable", "false_premise") and not e:
        errors.append(f"{tag}: {k} needs at least one fragment")
    kinds[k] += 1; langs[l] += 1; kind_lang[(k, l)] += 1

for k, n in MIN_KIND.items():
    if kinds[k] < n:
        errors.append(f"kind {k}: {kinds[k]} < minimum {n}")
for l, n in MIN_LANG.items():
    if langs[l] < n:
        errors.append(f"lang {l}: {langs[l]} < minimum {n}")
if len(cases) < MIN_TOTAL:
    errors.append(f"total {len(cases)} < minimum {MIN_TOTAL}")
for l in ("uk", "ru"):
    for k in ("on_topic", "unknowable", "false_premise", "off_topic"):
        if kind_lang[(k, l)] == 0:
            errors.append(f"no {k} cases in {l}")

print(f"total: {len(cases)}")
print("per kind:", ", ".join(f"{k}={kinds[k]}" for k in sorted(KINDS)))
print("per lang:", ", ".join(f"{l}={langs[l]}" for l in sorted(LANGS)))
print("kind x lang:")
for k in sorted(KINDS):
    print(f"  {k:14s}", "  ".join(f"{l}={kind_lang[(k, l)]}" for l in sorted(LANGS)))
if errors:
    print(f"\nFAILED ({len(errors)} problems):")
    for x in errors:
        print("  -", x)
    sys.exit(1)
print("\nOK")
