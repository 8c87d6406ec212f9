#!/usr/bin/env python3
"""Regenerate the matcher's two English word lists from wordfreq.

Source: the PyPI package ``wordfreq`` 3.1.1 by Robyn Speer (code Apache-2.0; its
word-frequency data CC BY-SA 4.0). Nothing else is downloaded.

    python3 -m venv /tmp/wf && /tmp/wf/bin/pip install wordfreq==3.1.1
    /tmp/wf/bin/python tools/english_words.py

Writes, letters-only words of two or more letters, most frequent first:
    src/matching/common_words.txt    the 6,000 most frequent English words ("common":
                                     a story word among them weighs half)
    src/matching/ordinary_words.txt  ranks 6,001 to 20,000 ("ordinary": an unknown word
                                     among them is not taken as a sign of another
                                     subject, as a rarer one like "chernobyl" is)
"""
import re
from pathlib import Path

import wordfreq

WORD = re.compile(r"[a-z]{2,}")


def letters_only(words):
    return [word for word in words if WORD.fullmatch(word)]


def main():
    root = Path(__file__).resolve().parent.parent / "src" / "matching"
    common = letters_only(wordfreq.top_n_list("en", 6000))
    seen = set(common)
    ordinary = [
        word
        for word in letters_only(wordfreq.top_n_list("en", 20000))
        if word not in seen
    ]
    (root / "common_words.txt").write_text("\n".join(common) + "\n")
    (root / "ordinary_words.txt").write_text("\n".join(ordinary) + "\n")
    print(f"{len(common)} common, {len(ordinary)} ordinary")


if __name__ == "__main__":
    main()
