"""Feature builders shared by training (`evals/train_offline_models.py`) and inference.

Everything here is general: sentence embeddings, pooled sentence embeddings, a handful of
surface statistics and small closed word classes (negation, modality). No scenario wording.
"""

from __future__ import annotations

import itertools
import re

import numpy as np

from .embed import Embedder, split_sentences

_WORD = re.compile(r"[A-Za-z']+|\d+")
NEGATION = frozenset(
    "no not never none nothing cannot can't won't don't doesn't isn't aren't refuse refuses "
    "reject rejects decline declines neither nor without unacceptable".split()
)
TENTATIVE = frozenset(
    "could might may perhaps possibly would consider explore open willing prepared".split()
)
ASSENT = frozenset("yes agreed agree accept accepted fine ok okay deal done right".split())
N_SURFACE = 9


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")]


def surface(text: str) -> np.ndarray:
    """Small scale-free surface statistics of a turn."""
    ws = words(text)
    n = max(len(ws), 1)
    caps = sum(1 for w in re.findall(r"[A-Za-z]{3,}", text or "") if w.isupper())
    return np.array(
        [
            np.log1p(len(ws)),
            len(split_sentences(text)) / 5.0,
            (text or "").count("?") / 2.0,
            (text or "").count("!") / 2.0,
            caps / n * 5.0,
            sum(w in NEGATION for w in ws) / n * 5.0,
            sum(w in TENTATIVE for w in ws) / n * 5.0,
            sum(w in ASSENT for w in ws[:4]) / 2.0,
            float(bool(re.search(r"\d", text or ""))),
        ],
        dtype=np.float32,
    )


def pooled(emb: Embedder, text: str) -> np.ndarray:
    """[turn embedding, max-pooled sentence embeddings] (2 * DIM)."""
    sents = emb.sentences(text)
    return np.concatenate([emb.one(text), sents.max(axis=0)])


def tactic_features(emb: Embedder, text: str) -> np.ndarray:
    return np.concatenate([pooled(emb, text), surface(text)])


def trainee_features(emb: Embedder, text: str, prev: str | None) -> np.ndarray:
    """Turn embedding + pooled sentences + previous counterpart turn + their product."""
    t = emb.one(text)
    p = emb.one(prev) if prev else np.zeros_like(t)
    return np.concatenate([pooled(emb, text), p, t * p * 16.0, surface(text)])


def ngrams(text: str) -> set[str]:
    """Lower-cased word unigrams and bigrams (digits folded to <num>)."""
    ws = ["<num>" if w.isdigit() else w for w in words(text)]
    return set(ws) | {a + "_" + b for a, b in itertools.pairwise(ws)}


def build_vocab(texts: list[str], groups: list[str], min_groups: int) -> list[str]:
    """N-grams used in at least `min_groups` different groups (scenarios / personas): only
    wording that recurs across settings is kept, so scenario names never become features."""
    seen: dict[str, set[str]] = {}
    for text, group in zip(texts, groups, strict=True):
        for k in ngrams(text):
            seen.setdefault(k, set()).add(group)
    return sorted(k for k, g in seen.items() if len(g) >= min_groups)


def bag(texts: list[str], index: dict[str, int]) -> np.ndarray:
    """Binary bag-of-n-grams over `index` (n-gram -> column)."""
    x = np.zeros((len(texts), len(index)), dtype=np.float32)
    for r, text in enumerate(texts):
        for k in ngrams(text):
            j = index.get(k)
            if j is not None:
                x[r, j] = 1.0
    return x
