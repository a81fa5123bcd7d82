"""Compare the rules judge, the learned heads and ensembles; choose the ensemble by LOSO.

Usage: python evals/compare_offline.py [--jobs 2] [--json OUT.json]

- LOSO figures: for each of the 12 training scenarios (evals/dev: 4, evals/train: 8) the
  heads are re-fitted (train_offline_models.fit_all, including its inner LOSO for
  thresholds and vocabularies) on the other 11 scenarios plus the phrasebooks and label the
  held-out one. The rules are not refitted: they were written against evals/dev, so their
  dev part is in-sample (the "train8" column shows the 8 scenarios they never saw).
- gen figures use the shipped weights (trained on all 12 scenarios + phrasebooks); gen is
  reported for every candidate but never used to choose.
- Candidates combine rules and heads with coach.evaluation.offline.ensemble (the same code
  the OfflineJudge runs). Each label's combiner is chosen by its LOSO metric.
Metrics: coach.evaluation.metrics (same as evals/score.py).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import io
import itertools
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_offline_models as T
from run_offline_dev import _RUBRIC

from coach.domain.transcript import Turn, load_transcript
from coach.evaluation.base import TurnContext
from coach.evaluation.metrics import score_dirs
from coach.evaluation.offline import OfflineJudge
from coach.evaluation.offline.ensemble import (
    RULES_ONLY,
    SHIPPED,
    EnsembleConfig,
    combine_tactics,
    combine_trainee,
    offers_something,
)
from coach.evaluation.offline.escalation import is_hostile
from coach.evaluation.offline.learned import LearnedModels
from coach.evaluation.offline.learned.embed import get_embedder
from coach.evaluation.offline.signals import stalls_or_holds

ROOT = T.ROOT
Doc = dict[str, Any]
CACHE = Path("/tmp/coach-compare-offline-cache")
SETS = {"dev": ROOT / "evals" / "dev", "train": ROOT / "evals" / "train"}
GEN = ROOT / "evals" / "generalisation"
UNSEEN = ROOT / "evals" / "unseen"


def gold_of(folder: Path) -> dict[str, Doc]:
    """The transcripts of a folder as read from disk, by file name."""
    return {p.name: json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))}


def rules_labels(folder: Path, judge: OfflineJudge | None = None) -> dict[str, Doc]:
    """Label every file with the rules alone, or `judge` (gold stripped first)."""
    judge = judge or OfflineJudge(learned=False)
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
    history: list[tuple[str, str]] = []
    raw: list[dict[str, Any]] = []
    for turn in doc["turns"]:
        text = turn["text"]
        if turn["speaker"] == "counterpart":
            raw.append({"tac": models.tactic_probs(text, history)})
            prev = text
        else:
            raw.append(
                {
                    "tone": models.tone(text, prev),
                    "esc": models.escalation_probs(text, prev),
                    "breach": models.breach_probs(text, rls, prev, history),
                    # carried as the shipped judge reads them (its `rl_carry_min`)
                    "carried": sorted(
                        models.carried(rls, history, text, prev, SHIPPED.rl_carry_min)
                    ),
                    "offers": offers_something(text, prev),
                    "holding": stalls_or_holds(text),
                    "short": len(text.split()) <= 20,
                    "hostile": is_hostile(text),
                }
            )
        history.append((turn["speaker"], text))
    return raw


def build(
    gold: dict[str, Doc],
    rules: dict[str, Doc],
    raw: dict[str, list[dict[str, Any]]],
    models: dict[str, LearnedModels],
    cfg: EnsembleConfig,
) -> dict[str, Doc]:
    """Prediction documents for one configuration; `models` maps scenario -> heads."""
    out: dict[str, Doc] = {}
    for name, g in gold.items():
        m = models[g["scenario"]["id"]]
        doc = copy.deepcopy(g)
        for i, turn in enumerate(doc["turns"]):
            rt = rules[name]["turns"][i]
            lr = raw[name][i]
            if turn["speaker"] == "counterpart":
                turn["tactics"] = combine_tactics(
                    rt.get("tactics") or [], lr["tac"], m.tactic_thresholds, cfg
                )
            else:
                lab = rt.get("labels") or {}
                tone, esc, br = combine_trainee(
                    (
                        int(lab.get("tone", 3)),
                        int(lab.get("escalation", 0)),
                        list(lab.get("red_line_breaches") or []),
                    ),
                    lr["tone"],
                    lr["esc"],
                    lr["breach"],
                    m.breach_threshold,
                    cfg,
                    lr["offers"],
                    short=lr["short"],
                    hostile=lr["hostile"],
                    carried=lr.get("carried", ()),
                    holding=not lr["offers"] and lr.get("holding", False),
                )
                turn["labels"] = {"tone": tone, "escalation": esc, "red_line_breaches": br}
        out[name] = doc
    return out


def candidates() -> dict[str, EnsembleConfig]:
    """Per-label options (the other labels are irrelevant to a label's metric)."""
    c: dict[str, EnsembleConfig] = {"rules": RULES_ONLY}
    c["learned"] = EnsembleConfig(tac="learned", tone="learned", esc="learned", rl="learned")
    c["ens-A (previous)"] = EnsembleConfig()
    for k in (1.0, 1.25, 1.5, 2.0, 2.5):
        c[f"tac union k{k}"] = EnsembleConfig(tac="union", tac_k=k)
        c[f"tac learned k{k}"] = EnsembleConfig(tac="learned", tac_k=k)
        c[f"tac gated k{k} g0.5"] = EnsembleConfig(tac="gated", tac_k=k, tac_gate=0.5)
        for mode in ("or", "learned", "gated"):
            for top1 in (False, True):
                carries = (False, True) if top1 else (False,)
                for offer, carry in itertools.product((False, True), carries):
                    for fill in (False, True) if mode == "or" else (False,):
                        name = f"rl {mode} k{k}" + " top1" * top1 + " carry" * carry
                        c[name + " offer" * offer + " fill" * fill] = EnsembleConfig(
                            rl=mode,
                            rl_k=k,
                            rl_gate=0.3,
                            rl_top1=top1,
                            rl_carry=carry,
                            rl_need_offer=offer,
                            rl_fill=fill,
                        )
    for w in (0.25, 0.5, 0.75):
        for keep in ((), (1, 5), (1, 2), (1, 2, 5)):
            kept = f" keep{''.join(map(str, keep))}" if keep else ""
            c[f"tone avg w{w}{kept}"] = EnsembleConfig(tone="avg", tone_w=w, tone_keep=keep)
    for e in (0.1, 0.2, 0.3):
        for over in (0.0, 0.4, 0.5, 0.6):
            c[f"esc mix {e} over{over}"] = EnsembleConfig(esc="mix", esc_min=e, esc_over=over)
    return c


METRIC = {
    "rl": ("red_line", "f1"),
    "esc": ("escalation", "macro_f1"),
    "tone": ("tone", "qwk"),
    "tac": ("tactics", "f1"),
}


def figures(m: dict[str, Any]) -> dict[str, float]:
    return {k: round(float(m[a][b]), 3) for k, (a, b) in METRIC.items()}


def _key() -> str:
    h = hashlib.sha256()
    for f in sorted((ROOT / "coach" / "evaluation" / "offline" / "learned").glob("*.py")):
        h.update(f.read_bytes())
    h.update((ROOT / "evals" / "train_offline_models.py").read_bytes())
    for folder in SETS.values():
        for f in sorted(folder.glob("*.json")):
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _fold(scen: str) -> str:
    """Fit every head without `scen`; cache the weights (keyed on code + data)."""
    path = CACHE / _key() / f"{scen}.npz"
    if not path.exists():
        emb = get_embedder()
        tr, ct = T.load_training()
        book = T.phrasebook_examples()
        with contextlib.redirect_stdout(io.StringIO()):
            w, _ = T.fit_all(
                emb,
                [t for t in tr if t.scenario != scen],
                [c for c in ct if c.scenario != scen],
                [],
                [],
                book,
                verbose=False,
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, **w)  # type: ignore[arg-type]
    return str(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, help="write every candidate's figures here")
    ap.add_argument(
        "--calibration",
        type=Path,
        help="write the shipped judge's record here (dev and gen labelled end to end by "
        "OfflineJudge(); LOSO of ensemble.SHIPPED)",
    )
    ap.add_argument(
        "--no-loso",
        action="store_true",
        help="skip the (slow, ~20 min on 2 cores) nested LOSO; with --calibration, record "
        "dev/train/gen of the shipped judge only",
    )
    args = ap.parse_args()
    gold: dict[str, Doc] = {}
    for folder in SETS.values():
        gold |= gold_of(folder)
    gold_gen = gold_of(GEN)
    t0 = time.perf_counter()
    rules: dict[str, Doc] = {}
    for folder in SETS.values():
        rules |= rules_labels(folder)
    rules_gen = rules_labels(GEN)
    print(f"rules labelled training + gen sets in {time.perf_counter() - t0:.1f}s")
    scens = sorted({d["scenario"]["id"] for d in gold.values()})
    if args.no_loso:
        if args.calibration:
            dev_names = {n for n in gold if n.startswith("dev-")}
            write_calibration(args.calibration, gold, rules, None, None, gold_gen, dev_names)
        return
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        paths = dict(zip(scens, pool.map(_fold, scens), strict=True))
    print(f"LOSO folds fitted (or cached) in {time.perf_counter() - t0:.0f}s")
    folds = {s: LearnedModels._read(Path(p)) for s, p in paths.items()}
    raw = {n: learned_raw(folds[d["scenario"]["id"]], d) for n, d in gold.items()}
    shipped = LearnedModels.load()
    raw_gen = {n: learned_raw(shipped, d) for n, d in gold_gen.items()}
    gen_models = {d["scenario"]["id"]: shipped for d in gold_gen.values()}
    dev_names = {n for n in gold if n.startswith("dev-")}

    def record(cfg: EnsembleConfig) -> dict[str, Any]:
        pred = build(gold, rules, raw, folds, cfg)
        gp = build(gold_gen, rules_gen, raw_gen, gen_models, cfg)
        return {
            "config": asdict(cfg),
            "loso": figures(score_dirs(gold, pred)),
            "loso_train8": figures(
                score_dirs(
                    {n: g for n, g in gold.items() if n not in dev_names},
                    {n: p for n, p in pred.items() if n not in dev_names},
                )
            ),
            "gen": figures(score_dirs(gold_gen, gp)),
        }

    results: dict[str, Any] = {name: record(cfg) for name, cfg in candidates().items()}
    # choose each label's combiner by LOSO (12 scenarios); ties -> earlier candidate
    best: dict[str, str] = {}
    for label in METRIC:
        best[label] = max(results, key=lambda n: results[n]["loso"][label])
    chosen = replace(
        SHIPPED,
        **{
            f: results[best[label]]["config"][f]
            for label, fields in (
                ("tac", ("tac", "tac_k", "tac_gate")),
                ("tone", ("tone", "tone_w", "tone_keep")),
                ("esc", ("esc", "esc_min", "esc_over")),
                (
                    "rl",
                    ("rl", "rl_k", "rl_gate", "rl_top1", "rl_carry", "rl_need_offer", "rl_fill"),
                ),
            )
            for f in fields
        },
    )
    results["chosen by LOSO"] = record(chosen)
    hdr = (
        "| system | LOSO RL | esc | tone | tac | train8 RL | esc | tone | tac "
        "| gen RL | esc | tone | tac |"
    )
    print(hdr)
    print("|" + " --- |" * 13)
    for name, r in results.items():
        cells = [f"{r[s][k]:.3f}" for s in ("loso", "loso_train8", "gen") for k in METRIC]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("\nbest per label by LOSO:", best)
    print("chosen config:", asdict(chosen))
    print(
        "shipped config (ensemble.SHIPPED):",
        asdict(SHIPPED),
        "same" if chosen == SHIPPED else "DIFFERENT",
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    if args.calibration:
        write_calibration(args.calibration, gold, rules, raw, folds, gold_gen, dev_names)


def write_calibration(
    out: Path,
    gold: dict[str, Doc],
    rules: dict[str, Doc],
    raw: dict[str, list[dict[str, Any]]] | None,
    folds: dict[str, LearnedModels] | None,
    gold_gen: dict[str, Doc],
    dev_names: set[str],
) -> None:
    import datetime
    import subprocess

    judge = OfflineJudge()
    t0 = time.perf_counter()
    dev_pred = rules_labels(SETS["dev"], judge)
    train_pred = rules_labels(SETS["train"], judge)
    gen_pred = rules_labels(GEN, judge)
    secs = time.perf_counter() - t0
    unseen_pred = rules_labels(UNSEEN, judge)
    gold_unseen = gold_of(UNSEEN)
    gold_dev = {n: g for n, g in gold.items() if n in dev_names}
    gold_train = {n: g for n, g in gold.items() if n not in dev_names}
    loso = build(gold, rules, raw, folds, SHIPPED) if raw and folds else None
    rules_only = {n: d for n, d in rules.items()}
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    record: dict[str, Any] = {
        "date": datetime.date.today().isoformat(),
        "git_commit": commit,
        "judge": "offline (rules + learned heads, coach.evaluation.offline.ensemble.SHIPPED)",
        "config": asdict(SHIPPED),
        "note": "dev and train are in-sample for the shipped heads (and dev for the rules); "
        "loso = 12 training scenarios held out one at a time (heads refitted); gen = "
        "evals/generalisation, never trained or tuned on; unseen = evals/unseen (24 scenarios "
        "written after the heads were fitted and never trained on; some rules were written from "
        "its misses, each listed in evals/unseen/README.md, so it is partly in sample for them).",
        "dev_in_sample": score_dirs(gold_dev, dev_pred),
        "train_in_sample": score_dirs(gold_train, train_pred),
        "loso_12_scenarios": score_dirs(gold, loso) if loso else None,
        "rules_alone_train8_out_of_sample": score_dirs(
            gold_train, {n: d for n, d in rules_only.items() if n not in dev_names}
        ),
        "gen": score_dirs(gold_gen, gen_pred),
        "unseen": score_dirs(gold_unseen, unseen_pred),
        "seconds_to_label_dev_train_gen": round(secs, 2),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}: gen {figures(record['gen'])}, unseen {figures(record['unseen'])}")


if __name__ == "__main__":
    main()
