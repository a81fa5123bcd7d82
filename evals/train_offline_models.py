"""Train the learned heads of the offline judge (numpy only) and write their weights.

Usage: python evals/train_offline_models.py [--no-write]

Training data: the dev transcripts (evals/dev) for every head, plus the shipped personas'
phrasebook lines (personas/*.yaml, `phrasebook.tactics.<id>`) as extra labelled tactic
examples. evals/generalisation is used ONLY to report figures (never for fitting or
threshold/penalty selection). Leave-one-scenario-out (LOSO) figures on dev are printed for
each head; thresholds are tuned on the pooled LOSO out-of-fold predictions.
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
from coach.evaluation.offline.learned.embed import Embedder, get_embedder
from coach.evaluation.offline.learned.features import (
    bag,
    build_vocab,
    tactic_features,
    trainee_features,
)
from coach.evaluation.offline.learned.linear import (
    Standardiser,
    fit_logreg,
    fit_logreg_gd,
    sigmoid,
)
from coach.evaluation.offline.learned.redline import pair_features

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


@dataclass
class CounterTurn:
    scenario: str
    text: str
    tactics: list[str]
    weight: float = 1.0
    # tactics whose absence is uncertain (phrasebook lines name one tactic only)
    unsure: set[str] = field(default_factory=set)


def load_set(folder: Path) -> tuple[list[TraineeTurn], list[CounterTurn]]:
    trainee: list[TraineeTurn] = []
    counter: list[CounterTurn] = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        sc = data["scenario"]
        rls = [(r["id"], r["statement"]) for r in sc.get("red_lines", [])]
        prev: str | None = None
        history: list[str] = []
        for turn in data["turns"]:
            if turn["speaker"] == "counterpart":
                counter.append(CounterTurn(sc["id"], turn["text"], list(turn["tactics"])))
                prev = turn["text"]
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
                    )
                )
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
                out.append(CounterTurn("phrasebook", fill(line), [tactic], weight, unsure))
        calm = list(book.get("neutral") or [])
        for kind in ("open", "press", "ease", "acknowledge", "engage"):
            calm += list((book.get("openers") or {}).get(kind) or [])
        for line in calm:
            out.append(CounterTurn("phrasebook", fill(line), [], weight * 0.6))
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
    ws, bs = [], []
    for j in range(y.shape[1]):
        w = np.ones(len(x)) if sw is None else sw.copy()
        if mask is not None:
            w = w * mask[:, j]
        fit = fit_logreg_gd if gd else fit_logreg
        wj, bj = fit(xs, y[:, j].astype(float), l2=l2, weights=w)
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


TAC_MIN_GROUPS = 4
TAC_L2 = 1.0


def tactic_design(emb: Embedder, texts: list[str], index: dict[str, int]) -> np.ndarray:
    return np.hstack([bag(texts, index), np.stack([tactic_features(emb, t) for t in texts])])


def train_tactics(
    emb: Embedder, dev: list[CounterTurn], gen: list[CounterTurn], book: list[CounterTurn]
) -> tuple[dict[str, Any], dict]:
    """Bag of n-grams that recur across >= 4 of the 10 groups (4 dev scenarios, 6 personas)
    + pooled sentence embeddings + surface cues; one L2 logistic per tactic."""
    rows = dev + book
    vgroups = [
        c.scenario if c.scenario != "phrasebook" else f"pb{i % 6}" for i, c in enumerate(rows)
    ]
    vocab = build_vocab([c.text for c in rows], vgroups, TAC_MIN_GROUPS)
    index = {k: i for i, k in enumerate(vocab)}
    x = tactic_design(emb, [c.text for c in rows], index)
    xg = tactic_design(emb, [c.text for c in gen], index)
    y, mask, sw = tactic_matrix(rows)
    yg, _, _ = tactic_matrix(gen)
    n = len(dev)
    groups = [c.scenario for c in rows]
    l2 = TAC_L2
    oof = loso(
        groups,
        lambda tr: fit_multi(x[tr], y[tr], l2, sw[tr], mask[tr], gd=True),
        lambda m, te: predict_multi(m, x[te]),
        n,
    )
    thr = best_thresholds(y[:n], oof)
    model = fit_multi(x, y, l2, sw, mask, gd=True)
    pg = predict_multi(model, xg)
    res = {"loso": tactic_prf(y[:n], oof, thr), "gen": tactic_prf(yg, pg, thr)}
    print(
        f"  tactics: vocab {len(vocab)} n-grams, l2={l2}; thresholds "
        + " ".join(f"{t}={v:.2f}" for t, v in zip(TACTICS, thr.tolist(), strict=True))
    )
    print("  tactics LOSO dev P/R/F1 {:.3f} {:.3f} {:.3f}".format(*res["loso"]))
    print("  tactics gen      P/R/F1 {:.3f} {:.3f} {:.3f}".format(*res["gen"]))
    for j, t in enumerate(TACTICS):
        pr = pg[:, j] >= thr[j]
        tp = int((pr & yg[:, j]).sum())
        print(f"    gen {t:<18} gold {int(yg[:, j].sum()):>2} pred {int(pr.sum()):>2} tp {tp:>2}")
    out = {"tac_" + k: v for k, v in model.items()}
    out |= {"tac_thr": thr, "tac_vocab": np.array(vocab)}
    return out, res


# ----------------------------------------------------------------------------- trainee heads
TR_MIN_GROUPS = 3
TR_L2 = {"tone": 0.1, "esc": 1.0, "conc": 1.0}
TONE_STRETCH = (1.0, 1.2, 1.4)
RL_L2 = 0.01


def trainee_design(emb: Embedder, turns: list[TraineeTurn], index: dict[str, int]) -> np.ndarray:
    feats = np.stack([trainee_features(emb, t.text, t.prev) for t in turns])
    if not index:
        return feats
    return np.hstack([bag([t.text for t in turns], index), feats])


def _oof_and_full(
    x: np.ndarray,
    y: np.ndarray,
    xg: np.ndarray,
    groups: list[str],
    l2: float,
    sw: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, dict]:
    sw = np.ones(len(x)) if sw is None else sw
    oof = loso(
        groups,
        lambda tr: fit_multi(x[tr], y[tr], l2, sw[tr], gd=True),
        lambda m, te: predict_multi(m, x[te]),
        len(x),
    )
    model = fit_multi(x, y, l2, sw, gd=True)
    return oof, predict_multi(model, xg), model


def tone_value(p: np.ndarray) -> np.ndarray:
    return 1.0 + np.sort(p, axis=1)[:, ::-1].sum(axis=1)


def esc_class(p: np.ndarray) -> list[int]:
    return [(-1, 0, 1)[int(i)] for i in np.argmax(p, axis=1)]


def train_trainee(
    emb: Embedder, dev: list[TraineeTurn], gen: list[TraineeTurn], use_ngrams: bool = True
) -> tuple[dict[str, Any], dict]:
    groups = [t.scenario for t in dev]
    index: dict[str, int] = {}
    if use_ngrams:
        vocab = build_vocab([t.text for t in dev], groups, TR_MIN_GROUPS)
        index = {k: i for i, k in enumerate(vocab)}
    x = trainee_design(emb, dev, index)
    xg = trainee_design(emb, gen, index)
    out: dict[str, Any] = {"tr_vocab": np.array(sorted(index, key=index.__getitem__))}
    res: dict[str, Any] = {}
    # tone: cumulative logits P(tone >= k), k = 2..5
    yt = np.array([[t.tone >= k for k in (2, 3, 4, 5)] for t in dev], dtype=float)
    oof, pg, m = _oof_and_full(x, yt, xg, groups, TR_L2["tone"])
    gt, gg = [t.tone for t in dev], [t.tone for t in gen]
    vo, vg = tone_value(oof), tone_value(pg)
    centre = float(vo.mean())
    # the expected value is pulled toward the middle; stretch it about its mean (chosen LOSO)
    stretch = max(TONE_STRETCH, key=lambda k: qwk(gt, tone_round(centre + (vo - centre) * k)))
    res["tone"] = (
        qwk(gt, tone_round(centre + (vo - centre) * stretch)),
        qwk(gg, tone_round(centre + (vg - centre) * stretch)),
    )
    out |= {"tone_" + k: v for k, v in m.items()}
    out |= {
        "tone_centre": np.array(centre, np.float32),
        "tone_stretch": np.array(stretch, np.float32),
    }
    print(f"  tone: stretch {stretch} about {centre:.2f}")
    print("  tone QWK  LOSO dev {:.3f}  gen {:.3f}".format(*res["tone"]))
    # escalation: one-vs-rest, class-balanced
    ye = np.array([[t.escalation == c for c in (-1, 0, 1)] for t in dev], dtype=float)
    freq = ye.mean(axis=0)
    sw = (ye / freq).sum(axis=1) / 3.0
    oof, pg, m = _oof_and_full(x, ye, xg, groups, TR_L2["esc"], sw)
    res["esc"] = (
        macro_f1([t.escalation for t in dev], esc_class(oof)),
        macro_f1([t.escalation for t in gen], esc_class(pg)),
    )
    out |= {"esc_" + k: v for k, v in m.items()}
    print("  escalation macro-F1  LOSO dev {:.3f}  gen {:.3f}".format(*res["esc"]))
    # concession: does the turn give up anything on a red line?
    yc = np.array([[bool(t.breaches)] for t in dev], dtype=float)
    oof_c, pg_c, m = _oof_and_full(x, yc, xg, groups, TR_L2["conc"])
    out |= {"conc_" + k: v for k, v in m.items()}
    res["conc_oof"], res["conc_gen"] = oof_c[:, 0], pg_c[:, 0]
    for name, gold, pr in (
        ("LOSO dev", yc[:, 0], oof_c[:, 0]),
        ("gen", [bool(t.breaches) for t in gen], pg_c[:, 0]),
    ):
        g = np.array(gold, dtype=bool)
        best = max(
            prf(
                int((g & (pr >= th)).sum()),
                int((~g & (pr >= th)).sum()),
                int((g & (pr < th)).sum()),
            )[2]
            for th in THRESHOLDS
        )
        print(f"  concession (turn has a breach) {name}: best F1 {best:.3f}")
    return out, res


def pair_rows(
    emb: Embedder, turns: list[TraineeTurn], conc: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    xs, ys, owner = [], [], []
    for i, t in enumerate(turns):
        stmts = [s for _, s in t.red_lines]
        xs.append(pair_features(emb, t.text, t.prev, stmts, float(conc[i])))
        ys += [rid in t.breaches for rid, _ in t.red_lines]
        owner += [i] * len(stmts)
    return np.vstack(xs), np.array(ys, dtype=float), owner


def rl_prf(y: np.ndarray, p: np.ndarray, thr: float) -> tuple[float, float, float]:
    g = y.astype(bool)
    pr = p >= thr
    return prf(int((g & pr).sum()), int((~g & pr).sum()), int((g & ~pr).sum()))


def train_redlines(
    emb: Embedder,
    dev: list[TraineeTurn],
    gen: list[TraineeTurn],
    conc_oof: np.ndarray,
    conc_gen: np.ndarray,
) -> tuple[dict[str, Any], dict]:
    x, y, owner = pair_rows(emb, dev, conc_oof)
    xg, yg, _ = pair_rows(emb, gen, conc_gen)
    groups = [dev[i].scenario for i in owner]
    oof = loso(
        groups,
        lambda tr: fit_multi(x[tr], y[tr, None], RL_L2),
        lambda m, te: predict_multi(m, x[te]),
        len(x),
    )[:, 0]
    thr = float(max(THRESHOLDS, key=lambda t: rl_prf(y, oof, t)[2]))
    model = fit_multi(x, y[:, None], RL_L2)
    pg = predict_multi(model, xg)[:, 0]
    res: dict[str, Any] = {"loso": rl_prf(y, oof, thr), "gen": rl_prf(yg, pg, thr), "thr": thr}
    print(f"  red lines: threshold {thr:.2f}")
    print("  red-line LOSO dev P/R/F1 {:.3f} {:.3f} {:.3f}".format(*res["loso"]))
    print("  red-line gen      P/R/F1 {:.3f} {:.3f} {:.3f}".format(*res["gen"]))
    out = {"rl_" + k: v for k, v in model.items()} | {"rl_thr": np.array(thr, np.float32)}
    return out, res


def fit_all(
    emb: Embedder,
    dev_tr: list[TraineeTurn],
    dev_ct: list[CounterTurn],
    gen_tr: list[TraineeTurn],
    gen_ct: list[CounterTurn],
    book: list[CounterTurn],
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Fit every head on `dev_*` (+ phrasebook); report on `gen_*` (never fitted on)."""
    weights: dict[str, Any] = {}
    report: dict[str, Any] = {}
    w, report["tactics"] = train_tactics(emb, dev_ct, gen_ct, book)
    weights.update(w)
    w, res = train_trainee(emb, dev_tr, gen_tr)
    weights.update(w)
    report["tone"], report["esc"] = res["tone"], res["esc"]
    w, report["red_line"] = train_redlines(emb, dev_tr, gen_tr, res["conc_oof"], res["conc_gen"])
    weights.update(w)
    return {k: np.asarray(v) for k, v in weights.items()}, report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    np.random.seed(SEED)
    t0 = time.perf_counter()
    emb = get_embedder()
    dev_tr, dev_ct = load_set(ROOT / "evals" / "dev")
    gen_tr, gen_ct = load_set(ROOT / "evals" / "generalisation")
    book = phrasebook_examples()
    print(
        f"dev {len(dev_tr)}+{len(dev_ct)} turns, gen {len(gen_tr)}+{len(gen_ct)}, "
        f"phrasebook {len(book)} lines"
    )
    weights, _ = fit_all(emb, dev_tr, dev_ct, gen_tr, gen_ct, book)
    print(f"trained in {time.perf_counter() - t0:.1f}s")
    if not args.no_write:
        np.savez_compressed(WEIGHTS_PATH, **weights)  # type: ignore[arg-type]
        print(f"wrote {WEIGHTS_PATH} ({WEIGHTS_PATH.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
