#!/usr/bin/env python3
"""Writes the input of the `ask --json` throughput figure in the README: 10,000 questions,
one per line, taken in order from the read question sets (`tests/it/questions-*.toml`,
sorted by name) and repeated until there are enough. Every kind is there, in all three
languages, long adversarial ones included, as a server would send them.

    python3 tools/ten_thousand_questions.py > q10k.txt
"""
import glob
import sys
import tomllib

COUNT = 10_000

questions = []
for path in sorted(glob.glob("tests/it/questions-*.toml")):
    with open(path, "rb") as file:
        cases = tomllib.load(file).get("case", [])
    # One line each: a question's own line breaks would split it into two.
    questions += [" ".join(case["question"].split()) for case in cases]
questions = [question for question in questions if question]
if not questions:
    sys.exit("no questions found: run this from the repository's root")
for index in range(COUNT):
    print(questions[index % len(questions)])
