"""Pairwise red-line features: (trainee turn, red-line statement, previous counterpart turn).

A red line is a sentence like "X will not accept Y". We embed both the whole statement and
its content (what follows the refusal verb, i.e. the demand it rules out), and compare them
with the trainee turn, its sentences and the previous counterpart turn. The turn-level
`concession` probability (does this turn give something up?) gates those similarities.
"""

from __future__ import annotations

import re

import numpy as np

from coach.evaluation.offline.offers import has_acceptance, is_bare_acceptance, strongest_offer

from .embed import Embedder, split_sentences
from .features import NEGATION, TENTATIVE, words

_REFUSAL = re.compile(
    r"^.*?\b(?:will|shall|would|must|does|do|can|may)\s+(?:not|never)\b\s*"
    r"|^.*?\b(?:won't|refuses? to)\s*",
    re.IGNORECASE,
)
N_PAIR = 34
_NUM = re.compile(r"\d+(?:[.,]\d+)?")
_CONDITIONAL = re.compile(
    r"\b(?:if|provided|on condition|in exchange|in return|as long as)\b", re.I
)
_RETRACT = re.compile(
    r"\b(?:scratch|withdraw|take (?:\w+ )?(?:\w+ )?off the table|retract|forget what|"
    r"no longer|not any more|anymore)\b",
    re.I,
)


def red_line_content(statement: str) -> str:
    """The part of "X will not accept Y" that names what is ruled out ("accept Y")."""
    content = _REFUSAL.sub("", statement, count=1).strip()
    return content if len(content) > 8 else statement


def split_all(text: str) -> list[str]:
    return split_sentences(text)


def _cos_max(vecs: np.ndarray, v: np.ndarray) -> float:
    return float(np.max(vecs @ v)) if len(vecs) else 0.0


def pair_features(
    emb: Embedder,
    text: str,
    prev: str | None,
    statements: list[str],
    concession: float,
) -> np.ndarray:
    """One row of features per red line in `statements` (shape (len(statements), N_PAIR))."""
    if not statements:
        return np.zeros((0, N_PAIR), dtype=np.float32)
    rl = emb.embed([red_line_content(s) for s in statements])
    rl_full = emb.embed(statements)
    t = emb.one(text)
    ts = emb.sentences(text)
    has_prev = bool(prev)
    p = emb.one(prev) if prev else np.zeros_like(t)
    ps = emb.sentences(prev) if prev else np.zeros((0, t.shape[0]), dtype=np.float32)
    c_t = rl @ t
    c_ts = np.array([_cos_max(ts, r) for r in rl])
    c_full = rl_full @ t
    c_p = rl @ p
    c_ps = np.array([_cos_max(ps, r) for r in rl]) if has_prev else np.zeros(len(rl))
    k = len(statements)

    def margin(c: np.ndarray) -> np.ndarray:
        if k == 1:
            return np.zeros(1)
        return np.array([c[i] - np.max(np.delete(c, i)) for i in range(k)])

    ws = words(text)
    n = max(len(ws), 1)
    neg = sum(w in NEGATION for w in ws) / n * 5.0
    tent = sum(w in TENTATIVE for w in ws) / n * 5.0
    short = float(len(ws) <= 10)
    conc = float(concession)
    m_t, m_p = margin(c_ts), margin(c_ps)
    # turn-level cues of giving something (shared with the rules' offer grammar)
    low = text or ""
    bare = float(is_bare_acceptance(low))
    accept = float(has_acceptance(low))
    offer = strongest_offer(low)
    sents = split_all(low)
    question = sum(s.rstrip(" \"')").endswith("?") for s in sents) / max(len(sents), 1)
    nums_t = set(_NUM.findall(low))
    nums_p = set(_NUM.findall(prev or ""))
    has_num = float(bool(nums_t))
    num_echo = float(bool(nums_t & nums_p))
    cond = float(bool(_CONDITIONAL.search(low)))
    retract = float(bool(_RETRACT.search(low)))
    c_tp = float(t @ p) if has_prev else 0.0
    # which red line the counterpart's last turn presses hardest (1 for the closest)
    top_p = (c_ps >= np.max(c_ps) - 1e-6).astype(float) if has_prev else np.zeros(k)
    rows = []
    for i in range(k):
        rows.append(
            [
                c_t[i],
                c_ts[i],
                c_full[i],
                c_p[i],
                c_ps[i],
                m_t[i],
                m_p[i],
                conc,
                conc * c_ts[i],
                conc * c_ps[i],
                conc * m_t[i],
                conc * m_p[i],
                neg,
                tent,
                short,
                short * conc * c_ps[i],
                bare,
                accept,
                offer,
                question,
                has_num,
                num_echo,
                cond,
                retract,
                c_tp,
                top_p[i],
                bare * c_ps[i],
                bare * top_p[i],
                accept * m_p[i],
                offer * c_ts[i],
                offer * m_t[i],
                num_echo * c_ps[i],
                offer * top_p[i] * c_tp,
                conc * top_p[i],
            ]
        )
    return np.asarray(rows, dtype=np.float32)


# ----------------------------------------------------------------------------- stage 2
N_CONTEXT = 10
_CLAUSE = re.compile(r"[,;:]|\band\b|\bplus\b")
_STOP = frozenset(
    "the a an of to and in on for we you i it is that this be will with our your by at as "
    "are not".split()
)


def demand_clauses(text: str | None) -> list[str]:
    """The counterpart turn cut at commas, colons and "and": a package ("sixty observers,
    south only, police with the teams") becomes one clause per item."""
    return [
        c.strip()
        for s in split_sentences(text or "")
        for c in _CLAUSE.split(s)
        if len(c.strip()) > 6
    ]


def package_scores(emb: Embedder, statements: list[str], prev: str | None) -> np.ndarray:
    """Per red line, how closely the nearest item of the counterpart's demand presses it
    (cosine; zeros when there is no demand)."""
    pieces = demand_clauses(prev)
    if not pieces or not statements:
        return np.zeros(len(statements), np.float32)
    rl = emb.embed([red_line_content(s) for s in statements])
    return (emb.embed(pieces) @ rl.T).max(axis=0).astype(np.float32)


# A demand item "presses" a red line at this MiniLM cosine with the line's content, or
# within this margin of the most pressed line (evals/compare_red_lines.py).
PRESSED_COSINE = 0.3
PRESSED_MARGIN = 0.2


def pressed_lines(emb: Embedder, red_lines: list[tuple[str, str]], prev: str | None) -> list[str]:
    """Ids of the red lines the counterpart's demand presses: some item of it comes within
    `PRESSED_COSINE` of the line, or within `PRESSED_MARGIN` of the most pressed line."""
    if not red_lines or not prev:
        return []
    scores = package_scores(emb, [s for _, s in red_lines], prev)
    top = float(scores.max())
    return [
        rid
        for (rid, _), v in zip(red_lines, scores, strict=True)
        if v >= PRESSED_COSINE or v >= top - PRESSED_MARGIN
    ]


def _content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in _STOP and len(w) > 2}


def context_features(
    emb: Embedder,
    base: np.ndarray,
    text: str,
    prev: str | None,
    statements: list[str],
    concession: float,
    earlier: list[tuple[str, np.ndarray]],
) -> np.ndarray:
    """Conversation features per red line (shape (len(statements), N_CONTEXT)).

    `earlier`: the earlier trainee turns of this conversation, most recent first, each with
    the first-stage breach probabilities of every red line. A confirmation ("You'll have it
    by Friday") repeats an earlier concession; accepting a package gives up every item in it.
    `base` is `pair_features` of this turn (column 4: closest counterpart sentence).
    """
    k = len(statements)
    if not k:
        return np.zeros((0, N_CONTEXT), dtype=np.float32)
    bare = float(is_bare_acceptance(text or ""))
    accept = float(has_acceptance(text or ""))
    own = _content_words(text)
    hist = np.array([p for _, p in earlier], dtype=np.float32).reshape(len(earlier), k)
    overlap = np.array(
        [len(own & _content_words(t)) / max(len(own), 1) for t, _ in earlier], dtype=np.float32
    )
    none = np.zeros(k, np.float32)
    h_max = hist.max(axis=0) if len(earlier) else none
    h_last = hist[0] if len(earlier) else none
    echo = (hist * overlap[:, None]).max(axis=0) if len(earlier) else none
    package = package_scores(emb, statements, prev)
    agrees = max(bare, accept)
    conc = float(concession)
    columns = [
        h_max,
        h_last,
        echo,
        h_max * bare,
        h_max * accept,
        h_max * base[:, 4],
        echo * conc,
        h_max * conc,
        package,
        agrees * package,
    ]
    return np.stack(columns, axis=1).astype(np.float32)
