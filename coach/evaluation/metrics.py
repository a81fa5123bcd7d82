"""Agreement metrics with gold labels, computed exactly as the evalset's `score.py` does.

Copied in-package so coach never needs `../shared` at run time; `tests/evaluation/
test_metrics.py` checks the two agree. Inputs are transcripts as plain JSON dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

ESCALATION_CLASSES = (-1, 0, 1)
TONE_LEVELS = (1, 2, 3, 4, 5)


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 rounded to 4 places (0.0 when undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def qwk(gold: list[int], pred: list[int], levels: tuple[int, ...] = TONE_LEVELS) -> float:
    """Quadratic weighted kappa of two ratings on `levels`."""
    n = len(levels)
    index = {v: i for i, v in enumerate(levels)}
    observed = [[0] * n for _ in range(n)]
    for g, p in zip(gold, pred, strict=False):
        observed[index[g]][index[p]] += 1
    total = len(gold)
    if total == 0:
        return 0.0
    gold_hist = [sum(row) for row in observed]
    pred_hist = [sum(observed[i][j] for i in range(n)) for j in range(n)]
    num = den = 0.0
    for i in range(n):
        for j in range(n):
            w = (i - j) ** 2 / (n - 1) ** 2
            num += w * observed[i][j]
            den += w * gold_hist[i] * pred_hist[j] / total
    return 1.0 - num / den if den else 0.0


def _pairs(turns: list[dict[str, Any]], speaker: str, field: str) -> Iterator[tuple[int, Any]]:
    for i, turn in enumerate(turns):
        if turn.get("speaker") == speaker:
            yield i, turn.get(field)


def _clamp_tone(value: Any) -> int:
    try:
        return min(5, max(1, round(float(value))))
    except (TypeError, ValueError):
        return 3


def has_gold(transcript: dict[str, Any]) -> bool:
    """True when every trainee turn has labels and every counterpart turn has tactics."""
    turns = transcript.get("turns", [])
    return bool(turns) and all(
        isinstance(t.get("labels"), dict)
        if t.get("speaker") == "trainee"
        else isinstance(t.get("tactics"), list)
        for t in turns
    )


def score_pairs(pairs: Iterable[tuple[str, dict[str, Any], dict[str, Any] | None]]) -> dict:
    """Metrics over (name, gold, prediction-or-None) triples, shaped like score.py's output."""
    rl = {"tp": 0, "fp": 0, "fn": 0}
    tac = {"tp": 0, "fp": 0, "fn": 0}
    esc_gold: list[int] = []
    esc_pred: list[int] = []
    tone_gold: list[int] = []
    tone_pred: list[int] = []
    missing: list[str] = []
    count = 0
    for name, gold, pred in pairs:
        count += 1
        if pred is None:
            missing.append(name)
        pred_turns = (pred or {}).get("turns", [])
        for i, labels in _pairs(gold["turns"], "trainee", "labels"):
            guess: dict[str, Any] = {}
            if i < len(pred_turns) and isinstance(pred_turns[i].get("labels"), dict):
                guess = pred_turns[i]["labels"]
            g_rl = set(labels["red_line_breaches"])
            p_rl = set(guess.get("red_line_breaches") or [])
            rl["tp"] += len(g_rl & p_rl)
            rl["fp"] += len(p_rl - g_rl)
            rl["fn"] += len(g_rl - p_rl)
            esc_gold.append(labels["escalation"])
            e = guess.get("escalation", 0)
            esc_pred.append(e if e in ESCALATION_CLASSES else 0)
            tone_gold.append(labels["tone"])
            tone_pred.append(_clamp_tone(guess.get("tone", 3)))
        for i, tactics in _pairs(gold["turns"], "counterpart", "tactics"):
            found: set[str] = set()
            if i < len(pred_turns):
                found = set(pred_turns[i].get("tactics") or [])
            tac["tp"] += len(set(tactics) & found)
            tac["fp"] += len(found - set(tactics))
            tac["fn"] += len(set(tactics) - found)
    return _assemble(count, missing, rl, tac, esc_gold, esc_pred, tone_gold, tone_pred)


def _assemble(
    count: int,
    missing: list[str],
    rl: dict[str, int],
    tac: dict[str, int],
    esc_gold: list[int],
    esc_pred: list[int],
    tone_gold: list[int],
    tone_pred: list[int],
) -> dict[str, Any]:
    esc_f1 = []
    pairs = list(zip(esc_gold, esc_pred, strict=True))
    for c in ESCALATION_CLASSES:
        tp = sum(1 for g, p in pairs if g == c and p == c)
        fp = sum(1 for g, p in pairs if g != c and p == c)
        fn = sum(1 for g, p in pairs if g == c and p != c)
        esc_f1.append(prf(tp, fp, fn)["f1"])
    tones = list(zip(tone_gold, tone_pred, strict=True))
    n = len(esc_gold)
    return {
        "transcripts": count,
        "missing_predictions": missing,
        "trainee_turns": n,
        "red_line": prf(rl["tp"], rl["fp"], rl["fn"]),
        "escalation": {
            "accuracy": round(sum(g == p for g, p in pairs) / n, 4) if n else 0.0,
            "macro_f1": round(sum(esc_f1) / len(esc_f1), 4),
        },
        "tone": {
            "mae": round(sum(abs(g - p) for g, p in tones) / n, 4) if n else 0.0,
            "within_1": round(sum(abs(g - p) <= 1 for g, p in tones) / n, 4) if n else 0.0,
            "qwk": round(qwk(tone_gold, tone_pred, TONE_LEVELS), 4),
        },
        "tactics": prf(tac["tp"], tac["fp"], tac["fn"]),
    }


def score_dirs(gold: dict[str, dict[str, Any]], pred: dict[str, dict[str, Any]]) -> dict:
    """score.py's `score(gold_dir, pred_dir)` over already-loaded {file name: data} maps."""
    return score_pairs((name, g, pred.get(name)) for name, g in sorted(gold.items()))
