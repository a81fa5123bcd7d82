"""Train the learned heads of the offline judge (numpy only) and write their weights.

Usage: python evals/train_offline_models.py [--no-write]
       [--keep-tactics | --only-red-lines | --only-tactic-context]

Usage: python evals/train_offline_models.py --sweep   (LOSO grid over the hyper-parameters)

Training data: the dev transcripts (evals/dev, 4 scenarios) and the training transcripts
(evals/train, 8 scenarios) for every head, plus the shipped personas' phrasebook lines
(personas/*.yaml, `phrasebook.tactics.<id>`) as extra labelled tactic examples.
evals/generalisation is used ONLY to report figures (never for fitting or threshold/penalty
selection). Leave-one-scenario-out (LOSO) figures over the 12 training scenarios are printed
for each head; thresholds are tuned on the pooled LOSO out-of-fold predictions, and the
n-gram vocabularies are rebuilt inside every fold (the held-out scenario never votes).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from coach.evaluation.metrics import qwk
from coach.evaluation.offline.learned import TACTICS, WEIGHTS_PATH
from coach.evaluation.offline.learned.embed import (
    Embedder,
    get_embedder,
    get_pair_embedder,
    split_sentences,
)
from coach.evaluation.offline.learned.features import (
    bag,
    build_vocab,
    tactic_features,
    trainee_features,
)
from coach.evaluation.offline.learned.linear import (
    Standardiser,
    fit_logreg,
    fit_logreg_gd_multi,
    sigmoid,
)
from coach.evaluation.offline.learned.redline import (
    context_features,
    demand_clauses,
    pair_features,
    red_line_content,
)
from coach.evaluation.offline.learned.tactic_context import TacticContext
from coach.evaluation.offline.learned.tactic_context import (
    context_features as tactic_context_features,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = 1234
THRESHOLDS = np.round(np.arange(0.04, 0.8, 0.02), 2)


# ----------------------------------------------------------------------------- data
@dataclass
class TraineeTurn:
    scenario: str
    text: str
    prev: str | None
    history: list[str]
    tone: int
    escalation: int
    breaches: list[str]
    red_lines: list[tuple[str, str]]
    transcript: str = ""


@dataclass
class CounterTurn:
    scenario: str
    text: str
    tactics: list[str]
    weight: float = 1.0
    group: str = ""
    # tactics whose absence is uncertain (phrasebook lines name one tactic only)
    unsure: set[str] = field(default_factory=set)
    # the conversation before the turn (phrasebook lines have none): its transcript, how
    # many counterpart turns came before, the trainee's earlier turns
    transcript: str = ""
    position: int = -1
    trainee_before: list[str] = field(default_factory=list)


def load_set(folder: Path) -> tuple[list[TraineeTurn], list[CounterTurn]]:
    trainee: list[TraineeTurn] = []
    counter: list[CounterTurn] = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        sc = data["scenario"]
        rls = [(r["id"], r["statement"]) for r in sc.get("red_lines", [])]
        prev: str | None = None
        history: list[str] = []
        said: list[str] = []
        position = 0
        for turn in data["turns"]:
            if turn["speaker"] == "counterpart":
                counter.append(
                    CounterTurn(
                        sc["id"],
                        turn["text"],
                        list(turn["tactics"]),
                        group=sc["id"],
                        transcript=str(path),
                        position=position,
                        trainee_before=list(said),
                    )
                )
                prev = turn["text"]
                position += 1
            else:
                lab = turn["labels"]
                trainee.append(
                    TraineeTurn(
                        sc["id"],
                        turn["text"],
                        prev,
                        list(history),
                        int(lab["tone"]),
                        int(lab["escalation"]),
                        list(lab["red_line_breaches"]),
                        rls,
                        str(path),
                    )
                )
                said.append(turn["text"])
            history.append(turn["text"])
    return trainee, counter


_SLOT = re.compile(r"\{([a-z_]+)\}")


def phrasebook_examples(weight: float = 0.5) -> list[CounterTurn]:
    """Phrasebook tactic lines with their {slots} filled from scenario/persona terms."""
    rng = random.Random(SEED)
    out: list[CounterTurn] = []
    scen_dir = ROOT / "personas" / "scenarios"
    for path in sorted((ROOT / "personas").glob("*.yaml")):
        persona = yaml.safe_load(path.read_text(encoding="utf-8"))
        terms: dict[str, str] = {}
        scen_path = scen_dir / f"{persona.get('scenario')}.yaml"
        if scen_path.exists():
            terms.update(
                {
                    k: str(v)
                    for k, v in (yaml.safe_load(scen_path.read_text()) or {})
                    .get("terms", {})
                    .items()
                }
            )
        terms.update({k: str(v) for k, v in (persona.get("terms") or {}).items()})
        demands = [str(d) for d in persona.get("demands") or []] or ["the proposal"]

        def fill(line: str, terms: dict[str, str] = terms, demands: list[str] = demands) -> str:
            i = rng.randrange(len(demands))
            slots = dict(terms, demand=demands[i], previous_demand=demands[i - 1])
            return _SLOT.sub(lambda m: slots.get(m.group(1), "the agreement"), line)

        book = persona.get("phrasebook") or {}
        for tactic, lines in (book.get("tactics") or {}).items():
            if tactic not in TACTICS:
                continue
            for line in lines:
                unsure = set(TACTICS) - {tactic}
                out.append(
                    CounterTurn(
                        "phrasebook", fill(line), [tactic], weight, "pb-" + path.stem, unsure
                    )
                )
        calm = list(book.get("neutral") or [])
        for kind in ("open", "press", "ease", "acknowledge", "engage"):
            calm += list((book.get("openers") or {}).get(kind) or [])
        for line in calm:
            out.append(CounterTurn("phrasebook", fill(line), [], weight * 0.6, "pb-" + path.stem))
    return out


# ----------------------------------------------------------------------------- metrics
def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def tactic_prf(gold: np.ndarray, probs: np.ndarray, thr: np.ndarray) -> tuple[float, ...]:
    pred = probs >= thr[None, :]
    tp = int((pred & gold).sum())
    return prf(tp, int((pred & ~gold).sum()), int((~pred & gold).sum()))


def macro_f1(gold: list[int], pred: list[int]) -> float:
    f = []
    for c in (-1, 0, 1):
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        f.append(prf(tp, fp, fn)[2])
    return float(np.mean(f))


def tone_round(v: np.ndarray) -> list[int]:
    return [int(min(5, max(1, round(float(x))))) for x in v]


# ----------------------------------------------------------------------------- heads
def fit_multi(
    x: np.ndarray,
    y: np.ndarray,
    l2: float,
    sw: np.ndarray | None = None,
    mask: np.ndarray | None = None,
    gd: bool = False,
) -> dict[str, np.ndarray]:
    """One logistic per column of y; rows where mask[:, j] is False get weight 0 for j."""
    st = Standardiser.fit(x)
    xs = st(x)
    if gd:
        w = np.ones(y.shape) if sw is None else np.repeat(sw[:, None], y.shape[1], axis=1)
        if mask is not None:
            w = w * mask
        wm, bm = fit_logreg_gd_multi(xs, y.astype(float), l2=l2, weights=w)
        return {"mean": st.mean, "std": st.std, "w": wm, "b": bm}
    ws, bs = [], []
    for j in range(y.shape[1]):
        wj_s = np.ones(len(x)) if sw is None else sw.copy()
        if mask is not None:
            wj_s = wj_s * mask[:, j]
        wj, bj = fit_logreg(xs, y[:, j].astype(float), l2=l2, weights=wj_s)
        ws.append(wj)
        bs.append(bj)
    return {"mean": st.mean, "std": st.std, "w": np.stack(ws, 1), "b": np.array(bs, np.float32)}


def predict_multi(m: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    return sigmoid(((x - m["mean"]) / m["std"]) @ m["w"] + m["b"])


def loso(
    groups: list[str],
    train_fn: Callable[[np.ndarray], Any],
    pred_fn: Callable[[Any, np.ndarray], np.ndarray],
    n: int,
) -> np.ndarray:
    """Out-of-fold predictions over the dev scenarios (rows with group 'phrasebook' are
    always in training)."""
    g = np.array(groups)
    scen = sorted(set(groups) - {"phrasebook"})
    out: np.ndarray | None = None
    for s in scen:
        test = np.where(g[:n] == s)[0]
        train = np.where(g != s)[0]
        model = train_fn(train)
        p = pred_fn(model, test)
        if out is None:
            out = np.zeros((n, *p.shape[1:]))
        out[test] = p
    assert out is not None
    return out


def best_thresholds(gold: np.ndarray, probs: np.ndarray, shrink: float = 0.5) -> np.ndarray:
    """Per-tactic thresholds maximising micro-F1 contribution, shrunk toward a shared one."""
    shared = max(THRESHOLDS, key=lambda t: tactic_prf(gold, probs, np.full(gold.shape[1], t))[2])
    thr = np.full(gold.shape[1], shared)
    for j in range(gold.shape[1]):
        best, best_f = shared, -1.0
        for t in THRESHOLDS:
            trial = thr.copy()
            trial[j] = t
            f = tactic_prf(gold, probs, trial)[2]
            if f > best_f + 1e-9:
                best, best_f = t, f
        thr[j] = best
    return (shrink * thr + (1 - shrink) * shared).astype(np.float32)


# ----------------------------------------------------------------------------- tactics
def tactic_matrix(turns: list[CounterTurn]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y = np.array([[t in c.tactics for t in TACTICS] for c in turns], dtype=bool)
    mask = np.array([[1.0 if t not in c.unsure else 0.15 for t in TACTICS] for c in turns])
    sw = np.array([c.weight for c in turns])
    return y, mask, sw


# Hyper-parameters, chosen by `--sweep` (LOSO over the 12 training scenarios; see README).
HP: dict[str, float] = {
    "tac_min_groups": 4,  # of 18 groups: 12 scenarios + 6 persona phrasebooks
    "tac_l2": 1.0,
    "tac2_l2": 0.05,  # the second stage; 0.03-0.05 best out of fold (0.2: -0.01, 0.01 diverges)
    "tr_min_groups": 4,  # of 12 scenarios
    "tone_l2": 0.1,
    "esc_l2": 1.0,
    "conc_l2": 1.0,
    "rl_l2": 0.03,
}
SWEEP: dict[str, tuple[float, ...]] = {
    "tac_min_groups": (3, 4, 6, 8),
    "tac_l2": (0.3, 1.0, 3.0),
    "tr_min_groups": (3, 4, 6, 8),
    "tone_l2": (0.03, 0.1, 0.3, 1.0),
    "esc_l2": (0.3, 1.0, 3.0),
    "conc_l2": (0.3, 1.0, 3.0),
    "rl_l2": (0.003, 0.01, 0.03, 0.1),
}


def _index(texts: list[str], groups: list[str], min_groups: float) -> dict[str, int]:
    vocab = build_vocab(texts, groups, int(min_groups))
    return {k: i for i, k in enumerate(vocab)}


def train_tactics(
    emb: Embedder,
    dev: list[CounterTurn],
    gen: list[CounterTurn],
    book: list[CounterTurn],
    hp: dict[str, float] | None = None,
    verbose: bool = True,
) -> tuple[dict[str, Any], dict]:
    """Bag of n-grams that recur across >= `tac_min_groups` groups (scenarios and persona
    phrasebooks) + turn and max-pooled sentence embeddings + surface cues; one L2 logistic
    per tactic. The vocabulary is rebuilt inside every LOSO fold."""
    hp = HP | (hp or {})
    rows = dev + book
    texts = [c.text for c in rows]
    dense = np.stack([tactic_features(emb, t) for t in texts])
    dense_g = np.stack([tactic_features(emb, c.text) for c in gen]) if gen else None
    vgroups = [c.group or c.scenario for c in rows]
    y, mask, sw = tactic_matrix(rows)
    n = len(dev)
    groups = [c.scenario for c in rows]
    l2 = hp["tac_l2"]

    def fit(tr: np.ndarray) -> tuple[dict[str, int], dict[str, np.ndarray]]:
        index = _index([texts[i] for i in tr], [vgroups[i] for i in tr], hp["tac_min_groups"])
        x = np.hstack([bag([texts[i] for i in tr], index), dense[tr]])
        return index, fit_multi(x, y[tr], l2, sw[tr], mask[tr], gd=True)

    def pred(model: tuple[dict[str, int], dict[str, np.ndarray]], te: np.ndarray) -> np.ndarray:
        index, m = model
        return predict_multi(m, np.hstack([bag([texts[i] for i in te], index), dense[te]]))

    oof = loso(groups, fit, pred, n)
    thr = best_thresholds(y[:n], oof)
    index, model = fit(np.arange(len(rows)))
    vocab = sorted(index, key=index.__getitem__)
    res: dict[str, Any] = {"loso": tactic_prf(y[:n], oof, thr)}
    if gen and dense_g is not None:
        yg, _, _ = tactic_matrix(gen)
        pg = predict_multi(model, np.hstack([bag([c.text for c in gen], index), dense_g]))
        res["gen"] = tactic_prf(yg, pg, thr)
    if verbose:
        print(
            f"  tactics: vocab {len(vocab)} n-grams, l2={l2}; thresholds "
            + " ".join(f"{t}={v:.2f}" for t, v in zip(TACTICS, thr.tolist(), strict=True))
        )
        print("  tactics LOSO P/R/F1 {:.3f} {:.3f} {:.3f}".format(*res["loso"]))
        if "gen" in res:
            print("  tactics gen  P/R/F1 {:.3f} {:.3f} {:.3f}".format(*res["gen"]))
    out = {"tac_" + k: v for k, v in model.items()}
    out |= {"tac_thr": thr, "tac_vocab": np.array(vocab)}
    return out, res


TAC2_FOLDS = 8


def _conversation_rows(
    turns: list[CounterTurn], probs: np.ndarray
) -> tuple[np.ndarray, list[CounterTurn]]:
    """Second-stage features (n, 12, N_CONTEXT) of counterpart turns that carry their
    conversation, from the first stage's probabilities `probs` (n, 12) on them."""
    earlier: dict[str, np.ndarray] = {}
    xs, kept = [], []
    for c, p in zip(turns, probs, strict=True):
        if c.position < 0:
            continue
        before = earlier.get(c.transcript) if c.position > 0 else None
        xs.append(tactic_context_features(p, before, c.position, c.trainee_before))
        earlier[c.transcript] = p if before is None else np.maximum(before, p)
        kept.append(c)
    return np.stack(xs), kept


def train_tactic_context(
    emb: Embedder,
    dev: list[CounterTurn],
    gen: list[CounterTurn],
    book: list[CounterTurn],
    first: dict[str, Any],
    hp: dict[str, float] | None = None,
    verbose: bool = True,
) -> tuple[dict[str, Any], dict]:
    """The tactic head's second stage (`learned/tactic_context.py`): per tactic, a logistic
    over the first stage's logits and the conversation. It is fitted on the first stage's
    out-of-fold probabilities (scenarios in TAC2_FOLDS folds, the first stage refitted
    without each fold, as in `train_tactics`); thresholds from its own out-of-fold
    probabilities over the same folds. `first`: the shipped first stage (`tac_*`), used on
    `gen` only."""
    hp = HP | (hp or {})
    scen = sorted({c.scenario for c in dev})
    fold_of = {s: i % TAC2_FOLDS for i, s in enumerate(scen)}
    fold = np.array([fold_of[c.scenario] for c in dev])
    rows = dev + book
    texts = [c.text for c in rows]
    dense = np.stack([tactic_features(emb, t) for t in texts])
    vgroups = [c.group or c.scenario for c in rows]
    y, mask, sw = tactic_matrix(rows)
    n = len(dev)
    oof = np.zeros((n, len(TACTICS)))
    for f in range(TAC2_FOLDS):
        tr = np.concatenate([np.where(fold != f)[0], np.arange(n, len(rows))])
        te = np.where(fold == f)[0]
        index = _index([texts[i] for i in tr], [vgroups[i] for i in tr], hp["tac_min_groups"])
        m = fit_multi(
            np.hstack([bag([texts[i] for i in tr], index), dense[tr]]),
            y[tr],
            hp["tac_l2"],
            sw[tr],
            mask[tr],
            gd=True,
        )
        oof[te] = predict_multi(m, np.hstack([bag([texts[i] for i in te], index), dense[te]]))
    x, kept = _conversation_rows(dev, oof)
    assert len(kept) == n, "every training turn comes from a transcript"
    yk, _, _ = tactic_matrix(kept)
    fk = np.array([fold_of[c.scenario] for c in kept])
    l2 = hp["tac2_l2"]
    oof2 = np.zeros(yk.shape)
    models = []
    for j in range(len(TACTICS)):
        for f in range(TAC2_FOLDS):
            m = fit_multi(x[fk != f, j], yk[fk != f, j : j + 1], l2)
            oof2[fk == f, j] = predict_multi(m, x[fk == f, j])[:, 0]
        models.append(fit_multi(x[:, j], yk[:, j : j + 1], l2))
    thr = best_thresholds(yk, oof2)
    out = {
        "tac2_mean": np.stack([m["mean"] for m in models]),
        "tac2_std": np.stack([m["std"] for m in models]),
        "tac2_w": np.stack([m["w"][:, 0] for m in models]),
        "tac2_b": np.array([m["b"][0] for m in models], dtype=np.float32),
        "tac2_thr": thr,
    }
    res: dict[str, Any] = {
        "first_oof": tactic_prf(yk, oof, first["tac_thr"]),
        "oof": tactic_prf(yk, oof2, thr),
    }
    if gen:
        index = {str(k): i for i, k in enumerate(first["tac_vocab"])}
        m1 = {k[4:]: v for k, v in first.items() if k in ("tac_mean", "tac_std", "tac_w", "tac_b")}
        dense_g = np.stack([tactic_features(emb, c.text) for c in gen])
        p1 = predict_multi(m1, np.hstack([bag([c.text for c in gen], index), dense_g]))
        xg, kept_g = _conversation_rows(gen, p1)
        yg, _, _ = tactic_matrix(kept_g)
        second = TacticContext(out)
        p2 = np.stack([second(row) for row in xg])
        res["first_gen"] = tactic_prf(yg, p1, first["tac_thr"])
        res["gen"] = tactic_prf(yg, p2, thr)
    if verbose:
        print(
            f"  tactics, second stage (l2={l2}): thresholds "
            + " ".join(f"{t}={v:.2f}" for t, v in zip(TACTICS, thr.tolist(), strict=True))
        )
        for key in ("first_oof", "oof", "first_gen", "gen"):
            if key in res:
                print(f"  tactics {key:9s} P/R/F1 " + " ".join(f"{v:.3f}" for v in res[key]))
    return out, res


# ----------------------------------------------------------------------------- trainee heads
TONE_STRETCH = (1.0, 1.2, 1.4, 1.6)
ESC_SCALE = (0.6, 0.8, 1.0, 1.25, 1.6)


def _fit_predict_trainee(
    texts: list[str],
    dense: np.ndarray,
    groups: list[str],
    y: np.ndarray,
    l2: float,
    min_groups: float,
    sw: np.ndarray | None,
    xg_texts: list[str],
    dense_g: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray | None, dict[str, np.ndarray], dict[str, int]]:
    sw = np.ones(len(texts)) if sw is None else sw

    def fit(tr: np.ndarray) -> tuple[dict[str, int], dict[str, np.ndarray]]:
        index = _index([texts[i] for i in tr], [groups[i] for i in tr], min_groups)
        x = np.hstack([bag([texts[i] for i in tr], index), dense[tr]])
        return index, fit_multi(x, y[tr], l2, sw[tr], gd=True)

    def pred(model: tuple[dict[str, int], dict[str, np.ndarray]], te: np.ndarray) -> np.ndarray:
        index, m = model
        return predict_multi(m, np.hstack([bag([texts[i] for i in te], index), dense[te]]))

    oof = loso(groups, fit, pred, len(texts))
    index, m = fit(np.arange(len(texts)))
    pg = None
    if dense_g is not None:
        pg = predict_multi(m, np.hstack([bag(xg_texts, index), dense_g]))
    return oof, pg, m, index


def tone_value(p: np.ndarray) -> np.ndarray:
    return 1.0 + np.sort(p, axis=1)[:, ::-1].sum(axis=1)


def esc_class(p: np.ndarray, scale: np.ndarray | None = None) -> list[int]:
    q = p if scale is None else p * scale[None, :]
    return [(-1, 0, 1)[int(i)] for i in np.argmax(q, axis=1)]


def train_trainee(
    emb: Embedder,
    dev: list[TraineeTurn],
    gen: list[TraineeTurn],
    hp: dict[str, float] | None = None,
    verbose: bool = True,
    heads: tuple[str, ...] = ("tone", "esc", "conc"),
) -> tuple[dict[str, Any], dict]:
    """Tone (cumulative logits), escalation (one-vs-rest, class-balanced, per-class scales
    chosen LOSO) and concession (turn has a breach): n-grams recurring in >= `tr_min_groups`
    scenarios + turn, pooled sentences, previous counterpart turn and their relation."""
    hp = HP | (hp or {})
    groups = [t.scenario for t in dev]
    texts = [t.text for t in dev]
    dense = np.stack([trainee_features(emb, t.text, t.prev) for t in dev])
    dense_g = np.stack([trainee_features(emb, t.text, t.prev) for t in gen]) if gen else None
    gtexts = [t.text for t in gen]
    mg = hp["tr_min_groups"]
    out: dict[str, Any] = {}
    res: dict[str, Any] = {}
    index: dict[str, int] = {}

    def run(
        y: np.ndarray, l2: float, sw: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray | None, dict[str, np.ndarray]]:
        nonlocal index
        oof, pg, m, index = _fit_predict_trainee(
            texts, dense, groups, y, l2, mg, sw, gtexts, dense_g
        )
        return oof, pg, m

    if "tone" in heads:
        yt = np.array([[t.tone >= k for k in (2, 3, 4, 5)] for t in dev], dtype=float)
        oof, pg, m = run(yt, hp["tone_l2"])
        gt = [t.tone for t in dev]
        vo = tone_value(oof)
        centre = float(vo.mean())
        stretch = max(TONE_STRETCH, key=lambda k: qwk(gt, tone_round(centre + (vo - centre) * k)))
        res["tone"] = (qwk(gt, tone_round(centre + (vo - centre) * stretch)),)
        res["tone_oof"] = centre + (vo - centre) * stretch
        if pg is not None:
            vg = tone_value(pg)
            res["tone"] += (
                qwk([t.tone for t in gen], tone_round(centre + (vg - centre) * stretch)),
            )
        out |= {"tone_" + k: v for k, v in m.items()}
        out |= {
            "tone_centre": np.array(centre, np.float32),
            "tone_stretch": np.array(stretch, np.float32),
        }
        if verbose:
            print(f"  tone: stretch {stretch} about {centre:.2f}")
            print("  tone QWK  LOSO " + "  ".join(f"{v:.3f}" for v in res["tone"]))
    if "esc" in heads:
        ye = np.array([[t.escalation == c for c in (-1, 0, 1)] for t in dev], dtype=float)
        freq = ye.mean(axis=0)
        sw = (ye / freq).sum(axis=1) / 3.0
        oof, pg, m = run(ye, hp["esc_l2"], sw)
        ge = [t.escalation for t in dev]
        oofn = oof / oof.sum(axis=1, keepdims=True)
        scale = max(
            (np.array([a, 1.0, b]) for a in ESC_SCALE for b in ESC_SCALE),
            key=lambda sc: macro_f1(ge, esc_class(oofn, sc)),
        )
        res["esc"] = (macro_f1(ge, esc_class(oofn, scale)),)
        res["esc_oof"] = oofn
        if pg is not None:
            res["esc"] += (macro_f1([t.escalation for t in gen], esc_class(pg, scale)),)
        out |= {"esc_" + k: v for k, v in m.items()}
        out["esc_scale"] = scale.astype(np.float32)
        if verbose:
            print(f"  escalation: class scales {scale.tolist()}")
            print("  escalation macro-F1 LOSO " + "  ".join(f"{v:.3f}" for v in res["esc"]))
    if "conc" in heads:
        yc = np.array([[bool(t.breaches)] for t in dev], dtype=float)
        oof_c, pg_c, m = run(yc, hp["conc_l2"])
        out |= {"conc_" + k: v for k, v in m.items()}
        res["conc_oof"] = oof_c[:, 0]
        res["conc_gen"] = pg_c[:, 0] if pg_c is not None else np.zeros(0)
        g = yc[:, 0].astype(bool)
        pr = oof_c[:, 0]
        res["conc"] = max(
            prf(
                int((g & (pr >= th)).sum()),
                int((~g & (pr >= th)).sum()),
                int((g & (pr < th)).sum()),
            )[2]
            for th in THRESHOLDS
        )
        if verbose:
            print(f"  concession (turn has a breach) LOSO: best F1 {res['conc']:.3f}")
    out["tr_vocab"] = np.array(sorted(index, key=index.__getitem__))
    return out, res


def pair_rows(
    emb: Embedder, turns: list[TraineeTurn], conc: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    xs, ys, owner = [], [], []
    for i, t in enumerate(turns):
        stmts = [s for _, s in t.red_lines]
        if not stmts:
            continue
        xs.append(pair_features(emb, t.text, t.prev, stmts, float(conc[i])))
        ys += [rid in t.breaches for rid, _ in t.red_lines]
        owner += [i] * len(stmts)
    return np.vstack(xs), np.array(ys, dtype=float), owner


def rl_prf(y: np.ndarray, p: np.ndarray, thr: float) -> tuple[float, float, float]:
    g = y.astype(bool)
    pr = p >= thr
    return prf(int((g & pr).sum()), int((~g & pr).sum()), int((g & ~pr).sum()))


def context_rows(
    emb: Embedder, turns: list[TraineeTurn], x: np.ndarray, p1: np.ndarray, conc: np.ndarray
) -> np.ndarray:
    """Second-stage rows: `x` (pair_rows of `turns`) + the conversation features, reading
    the first-stage probabilities `p1` of the earlier trainee turns of each transcript."""
    # a transcript's turns are contiguous (load_set); `first[i]` is turn i's first row
    first = np.cumsum([0] + [len(t.red_lines) for t in turns])
    rows = []
    for i, t in enumerate(turns):
        k = len(t.red_lines)
        earlier = []
        for j in range(i - 1, -1, -1):
            if turns[j].transcript != t.transcript:
                break
            earlier.append((turns[j].text, p1[first[j] : first[j] + k]))
        stmts = [s for _, s in t.red_lines]
        base = x[first[i] : first[i] + k]
        rows.append(context_features(emb, base, t.text, t.prev, stmts, float(conc[i]), earlier))
    return np.hstack([x, np.vstack(rows)])


def embed_pair_texts(turns: list[TraineeTurn]) -> Embedder:
    """The MiniLM embedder, with every text the red-line features read already embedded
    (one call lets the encoder batch by length)."""
    emb = get_pair_embedder()
    texts = [
        x
        for t in turns
        for x in [
            t.text,
            t.prev or "",
            *split_sentences(t.text),
            *split_sentences(t.prev or ""),
            *demand_clauses(t.prev),
        ]
    ]
    texts += [x for t in turns for _, s in t.red_lines for x in (s, red_line_content(s))]
    emb.embed(texts)
    return emb


def train_redlines(
    emb: Embedder,
    dev: list[TraineeTurn],
    gen: list[TraineeTurn],
    conc_oof: np.ndarray,
    conc_gen: np.ndarray,
    hp: dict[str, float] | None = None,
    verbose: bool = True,
) -> tuple[dict[str, Any], dict]:
    """Two stacked logistic heads: the first reads the turn and the counterpart's last turn
    (pair_features); the second adds what the trainee conceded earlier, read from the first
    stage's out-of-fold probabilities (context_features). The threshold is the second's."""
    hp = HP | (hp or {})
    # the pair features read MiniLM embeddings (`emb`, wordllama, feeds the other heads)
    emb = embed_pair_texts(dev + gen)
    x, y, owner = pair_rows(emb, dev, conc_oof)
    groups = [dev[i].scenario for i in owner]
    l2 = hp["rl_l2"]

    def oof_of(z: np.ndarray) -> np.ndarray:
        return loso(
            groups,
            lambda tr: fit_multi(z[tr], y[tr, None], l2),
            lambda m, te: predict_multi(m, z[te]),
            len(z),
        )[:, 0]

    def best(p: np.ndarray) -> float:
        return float(max(THRESHOLDS, key=lambda t: rl_prf(y, p, t)[2]))

    oof1 = oof_of(x)
    first = fit_multi(x, y[:, None], l2)
    z = context_rows(emb, dev, x, oof1, conc_oof)
    oof2 = oof_of(z)
    thr = best(oof2)
    second = fit_multi(z, y[:, None], l2)
    res: dict[str, Any] = {
        "loso_first": rl_prf(y, oof1, best(oof1)),
        "loso": rl_prf(y, oof2, thr),
        "thr": thr,
    }
    if gen:
        xg, yg, _ = pair_rows(emb, gen, conc_gen)
        zg = context_rows(emb, gen, xg, predict_multi(first, xg)[:, 0], conc_gen)
        res["gen"] = rl_prf(yg, predict_multi(second, zg)[:, 0], thr)
    if verbose:
        print(f"  red lines: threshold {thr:.2f}")
        print("  red-line LOSO, first stage P/R/F1 {:.3f} {:.3f} {:.3f}".format(*res["loso_first"]))
        print("  red-line LOSO P/R/F1 {:.3f} {:.3f} {:.3f}".format(*res["loso"]))
        if "gen" in res:
            print("  red-line gen  P/R/F1 {:.3f} {:.3f} {:.3f}".format(*res["gen"]))
    out = (
        {"rl_" + k: v for k, v in first.items()}
        | {"rl2_" + k: v for k, v in second.items()}
        | {
            "rl_thr": np.array(thr, np.float32),
            "rl1_thr": np.array(best(oof1), np.float32),
            "rl_embedder": np.array("minilm"),
        }
    )
    return out, res


def fit_all(
    emb: Embedder,
    dev_tr: list[TraineeTurn],
    dev_ct: list[CounterTurn],
    gen_tr: list[TraineeTurn],
    gen_ct: list[CounterTurn],
    book: list[CounterTurn],
    hp: dict[str, float] | None = None,
    verbose: bool = True,
    keep_tactics: bool = False,
    only_red_lines: bool = False,
    only_tactic_context: bool = False,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Fit every head on `dev_*` (the training turns, + phrasebook); report on `gen_*`
    (never fitted on; may be empty). `keep_tactics` reuses the shipped tactic head (its
    leave-one-scenario-out fit takes most of the ~25 minutes); `only_red_lines` reuses
    every shipped head but the red-line stages (the concession head's out-of-fold
    probabilities, which they read, are recomputed); `only_tactic_context` reuses every
    shipped head but the tactic head's second stage."""
    weights: dict[str, Any] = {}
    report: dict[str, Any] = {}
    if only_tactic_context:
        with np.load(WEIGHTS_PATH, allow_pickle=False) as data:
            weights.update({k: data[k] for k in data.files if not k.startswith("tac2_")})
        w, report["tactic_context"] = train_tactic_context(
            emb, dev_ct, gen_ct, book, weights, hp, verbose
        )
        weights.update(w)
        return {k: np.asarray(v) for k, v in weights.items()}, report
    if only_red_lines:
        with np.load(WEIGHTS_PATH, allow_pickle=False) as data:
            weights.update({k: data[k] for k in data.files if not k.startswith("rl")})
        _, res = train_trainee(emb, dev_tr, gen_tr, hp, verbose, heads=("conc",))
        w, report["red_line"] = train_redlines(
            emb, dev_tr, gen_tr, res["conc_oof"], res["conc_gen"], hp, verbose
        )
        weights.update(w)
        return {k: np.asarray(v) for k, v in weights.items()}, report
    if keep_tactics:
        with np.load(WEIGHTS_PATH, allow_pickle=False) as data:
            weights.update({k: data[k] for k in data.files if k.startswith("tac_")})
        report["tactics"] = None
        if verbose:
            print("  tactics: kept from the current weights (--keep-tactics)")
    else:
        w, report["tactics"] = train_tactics(emb, dev_ct, gen_ct, book, hp, verbose)
        weights.update(w)
    w, report["tactic_context"] = train_tactic_context(
        emb, dev_ct, gen_ct, book, weights, hp, verbose
    )
    weights.update(w)
    w, res = train_trainee(emb, dev_tr, gen_tr, hp, verbose)
    weights.update(w)
    report["tone"], report["esc"] = res["tone"], res["esc"]
    w, report["red_line"] = train_redlines(
        emb, dev_tr, gen_tr, res["conc_oof"], res["conc_gen"], hp, verbose
    )
    weights.update(w)
    return {k: np.asarray(v) for k, v in weights.items()}, report


def load_training() -> tuple[list[TraineeTurn], list[CounterTurn]]:
    """evals/dev + evals/train (12 scenarios)."""
    tr, ct = load_set(ROOT / "evals" / "dev")
    tr2, ct2 = load_set(ROOT / "evals" / "train")
    return tr + tr2, ct + ct2


def sweep(
    emb: Embedder, tr: list[TraineeTurn], ct: list[CounterTurn], book: list[CounterTurn]
) -> None:
    """One hyper-parameter at a time around HP; LOSO figures only (gen is not looked at)."""
    for key, values in SWEEP.items():
        for v in values:
            hp = {key: v}
            if key.startswith("tac"):
                _, r = train_tactics(emb, ct, [], book, hp, verbose=False)
                fig = f"tactic F1 {r['loso'][2]:.3f}"
            elif key == "rl_l2":
                _, rc = train_trainee(emb, tr, [], hp, verbose=False, heads=("conc",))
                _, r = train_redlines(emb, tr, [], rc["conc_oof"], rc["conc_gen"], hp, False)
                fig = f"red-line F1 {r['loso'][2]:.3f}"
            else:
                _, r = train_trainee(emb, tr, [], hp, verbose=False)
                _, rr = train_redlines(emb, tr, [], r["conc_oof"], r["conc_gen"], hp, False)
                fig = (
                    f"tone QWK {r['tone'][0]:.3f}  esc mF1 {r['esc'][0]:.3f}  "
                    f"conc F1 {r['conc']:.3f}  red-line F1 {rr['loso'][2]:.3f}"
                )
            mark = " *" if HP[key] == v else ""
            print(f"  {key}={v}: {fig}{mark}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--sweep", action="store_true")
    ap.add_argument(
        "--keep-tactics",
        action="store_true",
        help="retrain the trainee and red-line heads only; keep the shipped tactic head",
    )
    ap.add_argument(
        "--only-red-lines",
        action="store_true",
        help="retrain the two red-line stages only; keep every other shipped head",
    )
    ap.add_argument(
        "--only-tactic-context",
        action="store_true",
        help="retrain the tactic head's second stage only; keep every other shipped head",
    )
    args = ap.parse_args()
    np.random.seed(SEED)
    t0 = time.perf_counter()
    emb = get_embedder()
    tr, ct = load_training()
    book = phrasebook_examples()
    if args.sweep:
        sweep(emb, tr, ct, book)
        return
    gen_tr, gen_ct = load_set(ROOT / "evals" / "generalisation")
    print(
        f"training {len(tr)}+{len(ct)} turns over {len({t.scenario for t in tr})} scenarios, "
        f"gen {len(gen_tr)}+{len(gen_ct)}, phrasebook {len(book)} lines"
    )
    weights, _ = fit_all(
        emb,
        tr,
        ct,
        gen_tr,
        gen_ct,
        book,
        keep_tactics=args.keep_tactics,
        only_red_lines=args.only_red_lines,
        only_tactic_context=args.only_tactic_context,
    )
    print(f"trained in {time.perf_counter() - t0:.1f}s")
    if not args.no_write:
        np.savez_compressed(WEIGHTS_PATH, **weights)  # type: ignore[arg-type]
        print(f"wrote {WEIGHTS_PATH} ({WEIGHTS_PATH.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
