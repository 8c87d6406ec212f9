#!/usr/bin/env python3
"""Writes responses/znpp-bitcoin/asked.jsonl: the questions of the read question sets,
each with the topics that answer it, for the matcher's nearest-asked-questions signal.

A case's topics are those whose quotes contain one of its expected fragments (the
contract's rule for a right answer); a case with no expected fragment must be refused
(`"topics": []`). Cases whose fragments no topic quotes are left out. Run from the
repository root after editing topics' quotes or the read sets:

    python3 tools/asked_questions.py [--leave-out SET]

`--leave-out dev22` (or `dev22,dev36`) writes every read set but those, to measure how the vote does on
questions it has not seen (see `tools/cross_validate.sh`).

Lines a curator added by hand (any `"from"` other than a read set's name, say
`"from": "curator"`) are kept, first. Only read sets go in (tests/it/questions-locked*.toml and -dev*.toml): the locked set and
the fresh sets in tests/locked/ stay out, so that they keep measuring questions the bot
has never seen.
"""
import glob
import sys
import json
import os
import re
import tomllib

STORY = "responses/znpp-bitcoin"


def collapse(text):
    return re.sub(r"\s+", " ", text).strip()


def set_number(path):
    name = os.path.basename(path)[len("questions-"):-len(".toml")]
    return (name.rstrip("0123456789"), int(re.sub(r"\D", "", name)))


def main():
    args = sys.argv[1:]
    leave_out = set(",".join(args[args.index("--leave-out") + 1:][:1]).split(",")) if "--leave-out" in args else set()
    quotes = {}
    for path in sorted(glob.glob(f"{STORY}/topics/*.toml")):
        with open(path, "rb") as file:
            topic = tomllib.load(file)
        quotes[topic["id"]] = [collapse(claim["quote"]) for claim in topic.get("claims", [])]
    sets = glob.glob("tests/it/questions-locked*.toml") + glob.glob("tests/it/questions-dev*.toml")
    lines = []
    seen = set()
    asked_path = f"{STORY}/asked.jsonl"
    if os.path.exists(asked_path):
        with open(asked_path, encoding="utf-8") as existing:
            for line in existing:
                if not line.strip():
                    continue
                entry = json.loads(line)
                if re.fullmatch(r"(locked|dev)\d+", entry.get("from", "")):
                    continue
                lines.append(line.rstrip("\n"))
                seen.add(" ".join(entry["question"].lower().split()))
    # One line per wording (case and spacing aside): the same question in several sets
    # would vote several times. Its topics are those of its first labelled occurrence.
    for path in sorted(sets, key=set_number):
        with open(path, "rb") as file:
            cases = tomllib.load(file)["case"]
        source = os.path.basename(path)[len("questions-"):-len(".toml")]
        if source in leave_out:
            continue
        for case in cases:
            expect = [collapse(fragment) for fragment in case.get("expect", [])]
            topics = [
                topic_id
                for topic_id, said in quotes.items()
                if any(fragment in quote for quote in said for fragment in expect)
            ]
            if expect and not topics:
                continue
            wording = " ".join(case["question"].lower().split())
            if wording in seen:
                continue
            seen.add(wording)
            lines.append(
                json.dumps(
                    {"question": case["question"], "topics": topics, "from": source},
                    ensure_ascii=False,
                )
            )
    with open(asked_path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    print(f"{len(lines)} asked questions written to {STORY}/asked.jsonl")


if __name__ == "__main__":
    main()
