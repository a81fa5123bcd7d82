"""Compare the rules judge, the learned heads and simple ensembles on dev and gen sets.

Usage: python evals/compare_offline.py

- dev figures of anything learned are leave-one-scenario-out: for each dev scenario the
  heads are re-fitted (evals/train_offline_models.fit_all) on the other three scenarios
  plus the phrasebooks, and label the held-out one.
- gen figures use the shipped weights (trained on dev + phrasebooks only).
Metrics: coach.evaluation.metrics (same as evals/score.py).
"""

from __future__ import annotations

import copy
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_offline_models as T
from run_offline_dev import _RUBRIC

from coach.domain.transcript import Turn, load_transcript
from coach.evaluation.base import TurnContext
from coach.evaluation.metrics import score_dirs
from coach.evaluation.offline import OfflineJudge
from coach.evaluation.offline.learned import TACTICS, LearnedModels
from coach.evaluation.offline.learned.embed import get_embedder

ROOT = T.ROOT
Doc = dict[str, Any]


def rules_labels(folder: Path) -> dict[str, Doc]:
    """Label every file with the rules judge (gold stripped first)."""
    judge = OfflineJudge()
    out: dict[str, Doc] = {}
    for path in sorted(folder.glob("*.json")):
        tr = load_transcript(path)
        stripped = [Turn(speaker=t.speaker, text=t.text) for t in tr.turns]
        doc = json.loads(path.read_text(encoding="utf-8"))
        for i, turn in enumerate(stripped):
            ctx = TurnContext(scenario=tr.scenario, history=stripped[:i], turn=turn, turn_index=i)
            if turn.speaker == "trainee":
                lab = judge.assess(ctx, _RUBRIC).labels
                doc["turns"][i]["labels"] = lab.model_dump() if lab is not None else {}
            else:
                doc["turns"][i]["tactics"] = list(judge.tag(ctx))
        out[path.name] = doc
    return out


def learned_raw(models: LearnedModels, doc: Doc) -> list[dict[str, Any]]:
    """Per-turn learned outputs (probabilities) for one transcript."""
    rls = [(r["id"], r["statement"]) for r in doc["scenario"].get("red_lines", [])]
    prev: str | None = None
    history: list[str] = []
    raw: list[dict[str, Any]] = []
    for turn in doc["turns"]:
        text = turn["text"]
        if turn["speaker"] == "counterpart":
            raw.append({"tac": models.tactic_probs(text)})
            prev = text
        else:
            raw.append(
                {
                    "tone": models.tone(text, prev),
                    "esc": models.escalation_probs(text, prev),
                    "breach": models.breach_probs(text, rls, prev, history),
                }
            )
        history.append(text)
    return raw


Combiner = Callable[[dict[str, Any], dict[str, Any] | None, str], Any]


def build(
    gold: dict[str, Doc],
    rules: dict[str, Doc],
    raw: dict[str, list[dict[str, Any]]],
    models: LearnedModels,
    cfg: dict[str, Any],
) -> dict[str, Doc]:
    """Prediction documents for one configuration (see CONFIGS)."""
    out: dict[str, Doc] = {}
    for name, g in gold.items():
        doc = copy.deepcopy(g)
        for i, turn in enumerate(doc["turns"]):
            rt = rules[name]["turns"][i]
            lr = raw[name][i]
            if turn["speaker"] == "counterpart":
                turn["tactics"] = combine_tactics(rt.get("tactics") or [], lr["tac"], models, cfg)
            else:
                turn["labels"] = combine_trainee(rt.get("labels") or {}, lr, models, cfg)
        out[name] = doc
    return out


def combine_tactics(
    rules: list[str], probs: dict[str, float], models: LearnedModels, cfg: dict[str, Any]
) -> list[str]:
    mode = cfg["tac"]
    k = cfg.get("tac_k", 1.0)
    learned = {t for t in TACTICS if probs[t] >= models.tactic_thresholds[t] * k}
    if mode == "rules":
        return sorted(rules)
    if mode == "learned":
        return sorted(learned)
    return sorted(set(rules) | learned)  # union


def combine_trainee(
    rules: dict[str, Any], lr: dict[str, Any], models: LearnedModels, cfg: dict[str, Any]
) -> dict[str, Any]:
    r_tone = float(rules.get("tone", 3))
    r_esc = int(rules.get("escalation", 0))
    r_br = set(rules.get("red_line_breaches") or [])
    esc_probs: dict[int, float] = lr["esc"]
    l_esc = max(esc_probs, key=lambda c: esc_probs[c])
    l_br = {
        rid
        for rid, p in lr["breach"].items()
        if p >= models.breach_threshold * cfg.get("rl_k", 1.0)
    }
    tone = {"rules": r_tone, "learned": lr["tone"], "avg": (r_tone + lr["tone"]) / 2}[cfg["tone"]]
    if cfg["esc"] == "rules":
        esc = r_esc
    elif cfg["esc"] == "learned":
        esc = l_esc
    else:  # rules when they flag escalation/de-escalation and learned gives it some mass
        esc = r_esc if r_esc != 0 and esc_probs[r_esc] >= cfg.get("esc_min", 0.2) else l_esc
    br = {"rules": r_br, "learned": l_br, "or": r_br | l_br}[cfg["rl"]]
    return {
        "tone": int(min(5, max(1, round(tone)))),
        "escalation": esc,
        "red_line_breaches": sorted(br),
    }


CONFIGS: dict[str, dict[str, Any]] = {
    "rules": {"tac": "rules", "tone": "rules", "esc": "rules", "rl": "rules"},
    "learned": {"tac": "learned", "tone": "learned", "esc": "learned", "rl": "learned"},
    "ens-A (union, avg, rules-if-flagged, or)": {
        "tac": "union",
        "tone": "avg",
        "esc": "mix",
        "rl": "or",
    },
    "ens-B (union k1.5, avg, learned, or k1.5)": {
        "tac": "union",
        "tac_k": 1.5,
        "tone": "avg",
        "esc": "learned",
        "rl": "or",
        "rl_k": 1.5,
    },
    "ens-C (union k2, avg, mix, or k2)": {
        "tac": "union",
        "tac_k": 2.0,
        "tone": "avg",
        "esc": "mix",
        "rl": "or",
        "rl_k": 2.0,
    },
}


def summary(m: dict[str, Any]) -> str:
    return (
        f"red_line F1 {m['red_line']['f1']:.3f}  esc macro-F1 "
        f"{m['escalation']['macro_f1']:.3f}  tone QWK {m['tone']['qwk']:.3f}  "
        f"tactics F1 {m['tactics']['f1']:.3f} (P {m['tactics']['precision']:.2f} "
        f"R {m['tactics']['recall']:.2f})"
    )


def load_gold(folder: Path) -> dict[str, Doc]:
    return {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))
    }


def main() -> None:
    emb = get_embedder()
    dev_dir, gen_dir = ROOT / "evals" / "dev", ROOT / "evals" / "generalisation"
    gold_dev, gold_gen = load_gold(dev_dir), load_gold(gen_dir)
    t0 = time.perf_counter()
    rules_dev, rules_gen = rules_labels(dev_dir), rules_labels(gen_dir)
    print(f"rules judge labelled dev+gen in {time.perf_counter() - t0:.1f}s")
    shipped = LearnedModels.load()
    t0 = time.perf_counter()
    raw_gen = {n: learned_raw(shipped, d) for n, d in gold_gen.items()}
    raw_dev_insample = {n: learned_raw(shipped, d) for n, d in gold_dev.items()}
    print(f"learned heads labelled dev+gen in {time.perf_counter() - t0:.2f}s")
    # LOSO on dev: refit without the held-out scenario, label it
    dev_tr, dev_ct = T.load_set(dev_dir)
    book = T.phrasebook_examples()
    raw_dev: dict[str, list[dict[str, Any]]] = {}
    fold_models: dict[str, LearnedModels] = {}
    import contextlib
    import io

    for scen in sorted({t.scenario for t in dev_tr}):
        with contextlib.redirect_stdout(io.StringIO()):
            w, _ = T.fit_all(
                emb,
                [t for t in dev_tr if t.scenario != scen],
                [c for c in dev_ct if c.scenario != scen],
                [t for t in dev_tr if t.scenario == scen],
                [c for c in dev_ct if c.scenario == scen],
                book,
            )
        fold_models[scen] = LearnedModels(w)
        for n, d in gold_dev.items():
            if d["scenario"]["id"] == scen:
                raw_dev[n] = learned_raw(fold_models[scen], d)
    print()
    for name, cfg in CONFIGS.items():
        dev_pred: dict[str, Doc] = {}
        for scen, m in fold_models.items():
            part = {n: d for n, d in gold_dev.items() if d["scenario"]["id"] == scen}
            dev_pred |= build(part, rules_dev, raw_dev, m, cfg)
        gen_pred = build(gold_gen, rules_gen, raw_gen, shipped, cfg)
        print(f"== {name}")
        print(f"   dev (LOSO for learned parts): {summary(score_dirs(gold_dev, dev_pred))}")
        print(f"   gen:                          {summary(score_dirs(gold_gen, gen_pred))}")
    ins = build(gold_dev, rules_dev, raw_dev_insample, shipped, CONFIGS["learned"])
    print(f"\n(learned, in-sample on dev, for reference: {summary(score_dirs(gold_dev, ins))})")


if __name__ == "__main__":
    main()
