"""Choose how the offline judge decides red lines: three out-of-sample measures per option.

Usage: python evals/compare_red_lines.py [--json OUT.json]      (about 5 minutes on 2 cores)

The two red-line stages (train_offline_models.train_redlines) are fitted leave one scenario
out over the 96 training scenarios; the concession probabilities they read are out of fold
too. Each option is the judge's own combination code (ensemble.combine_trainee, then the
rules' numeric verdicts, as in OfflineJudge.assess) over
- dev-LOSO: the 4 evals/dev scenarios, each held out (the only sample of the held-out set's
  authors; 40 breaches, so a breach is worth about 0.01-0.02 of F1);
- all-LOSO: all 96 scenarios, each held out (713 breaches; mostly our own labelled batches);
- gen: evals/generalisation with heads fitted on all 96 (31 breaches); unseen: evals/unseen
  likewise (263 breaches), shown but not used to sort.
The rules are the shipped rules: they were written against dev, so dev-LOSO flatters any
option that leans on them.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_offline_models as T

from coach.domain.transcript import ScenarioSummary, Turn, load_transcript
from coach.evaluation.offline.ensemble import SHIPPED, EnsembleConfig, combine_trainee
from coach.evaluation.offline.ensemble import offers_something as offers
from coach.evaluation.offline.injection import strip_injections
from coach.evaluation.offline.learned.embed import get_embedder, get_pair_embedder
from coach.evaluation.offline.learned.redline import pressed_lines
from coach.evaluation.offline.offers import is_bare_acceptance
from coach.evaluation.offline.red_lines import (
    compile_red_lines,
    demand_within_limit,
    find_breaches,
    held_lines,
    numeric_breaches,
    numeric_verdict,
)
from coach.evaluation.offline.signals import stalls_or_holds

ROOT = T.ROOT


def rules_of(folder: Path) -> list[dict[str, Any]]:
    """Per trainee turn (in load_set order): the rules' breaches, offer, numeric verdicts."""
    out = []
    for path in sorted(folder.glob("*.json")):
        tr = load_transcript(path)
        profiles = compile_red_lines(tr.scenario)
        history: list[Turn] = []
        for turn in tr.turns:
            if turn.speaker == "trainee":
                text = strip_injections(turn.text) or turn.text
                prev = next((h.text for h in reversed(history) if h.speaker == "counterpart"), "")
                breaches = find_breaches(tr.scenario, text, history)
                out.append(
                    {
                        "rules": [b.red_line for b in breaches],
                        "numeric_rules": numeric_breaches(profiles, breaches, prev),
                        "offers": offers(text, prev or None),
                        "holding": stalls_or_holds(text),
                        "accepted": pressed(tr.scenario, text, prev),
                        "held": held_lines(profiles, text),
                        "numeric": {p.id: numeric_verdict(p, text, prev) for p in profiles},
                        "demand_inside": [
                            p.id for p in profiles if demand_within_limit(p, text, prev)
                        ],
                    }
                )
            history.append(Turn(speaker=turn.speaker, text=turn.text))
    return out


def pressed(scenario: ScenarioSummary, text: str, prev: str) -> list[str]:
    """The red lines a bare acceptance takes from the demand (LearnedModels.pressed)."""
    if not (prev and is_bare_acceptance(text)):
        return []
    red_lines = [(r.id, r.statement) for r in scenario.red_lines]
    return pressed_lines(get_pair_embedder(), red_lines, prev)


def heads(turns: list[T.TraineeTurn], gen: list[T.TraineeTurn]) -> tuple[np.ndarray, ...]:
    """Out-of-fold (training) and fitted-on-all (gen) probabilities of both stages."""
    emb = get_embedder()
    _, res = T.train_trainee(emb, turns, gen, verbose=False, heads=("conc",))
    pair = T.embed_pair_texts(turns + gen)
    x, y, owner = T.pair_rows(pair, turns, res["conc_oof"])
    xg, _, owner_g = T.pair_rows(pair, gen, res["conc_gen"])
    groups = [turns[i].scenario for i in owner]
    l2 = T.HP["rl_l2"]

    def oof(z: np.ndarray) -> np.ndarray:
        return T.loso(
            groups,
            lambda tr: T.fit_multi(z[tr], y[tr, None], l2),
            lambda m, te: T.predict_multi(m, z[te]),
            len(z),
        )[:, 0]

    p1 = oof(x)
    first = T.fit_multi(x, y[:, None], l2)
    p1g = T.predict_multi(first, xg)[:, 0]
    z = T.context_rows(pair, turns, x, p1, res["conc_oof"])
    zg = T.context_rows(pair, gen, xg, p1g, res["conc_gen"])
    p2 = oof(z)
    p2g = T.predict_multi(T.fit_multi(z, y[:, None], l2), zg)[:, 0]
    return p1, p2, p1g, p2g, np.array(owner), np.array(owner_g)


def best_thr(turns: list[T.TraineeTurn], owner: np.ndarray, p: np.ndarray) -> float:
    y = np.array([rid in turns[o].breaches for o, rid in zip(owner, _rids(turns), strict=True)])
    return float(max(T.THRESHOLDS, key=lambda t: T.rl_prf(y, p, t)[2]))


def _rids(turns: list[T.TraineeTurn]) -> list[str]:
    return [rid for t in turns for rid, _ in t.red_lines]


def f1(
    turns: list[T.TraineeTurn],
    rules: list[dict[str, Any]],
    owner: np.ndarray,
    p: np.ndarray,
    p1: np.ndarray,
    thr: float,
    thr1: float,
    cfg: EnsembleConfig,
    keep: set[str] | None = None,
) -> float:
    """Red-line F1 of `cfg` over `turns` (only scenarios in `keep`, if given)."""
    probs: dict[int, dict[str, float]] = {}
    first: dict[int, dict[str, float]] = {}
    for k, (o, rid) in enumerate(zip(owner, _rids(turns), strict=True)):
        probs.setdefault(int(o), {})[rid] = float(p[k])
        first.setdefault(int(o), {})[rid] = float(p1[k])
    tp = fp = fn = 0
    given: dict[str, set[str]] = {}
    for o, t in enumerate(turns):
        before = given.setdefault(t.transcript, set())
        now = first.get(o, {})
        flagged = {rid for rid, v in now.items() if v >= thr1}
        touched = {rid for rid in before if now.get(rid, 0.0) >= thr1 * cfg.rl_carry_min}
        if keep is None or t.scenario in keep:
            r = rules[o]
            _, _, br = combine_trainee(
                (3, 0, r["rules"]),
                3.0,
                {},
                probs.get(o, {}),
                thr,
                cfg,
                r["offers"],
                carried=touched,
                holding=not r["offers"] and r["holding"],
                accepted=r["accepted"],
                held=r["held"],
                numeric=r["numeric_rules"],
            )
            chosen = {x for x in br if x in r["rules"] or r["numeric"].get(x) is not False}
            if cfg.rl_demand_amounts:
                chosen = {x for x in chosen if x in r["rules"] or x not in r["demand_inside"]}
            gold = set(t.breaches)
            tp += len(gold & chosen)
            fp += len(chosen - gold)
            fn += len(gold - chosen)
        before |= flagged
    return T.prf(tp, fp, fn)[2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", type=Path, help="write every option's figures here")
    args = ap.parse_args()
    t0 = time.perf_counter()
    turns, _ = T.load_training()
    gen, _ = T.load_set(ROOT / "evals" / "generalisation")
    unseen, _ = T.load_set(ROOT / "evals" / "unseen")
    gen_ids, unseen_ids = {t.scenario for t in gen}, {t.scenario for t in unseen}
    rules = rules_of(ROOT / "evals" / "dev") + rules_of(ROOT / "evals" / "train")
    rules_g = rules_of(ROOT / "evals" / "generalisation") + rules_of(ROOT / "evals" / "unseen")
    gen = gen + unseen  # both held out: the heads are fitted on all 96 training scenarios
    assert len(rules) == len(turns) and len(rules_g) == len(gen)
    dev = {json.loads(p.read_text())["scenario"]["id"] for p in (ROOT / "evals/dev").glob("*.json")}
    p1, p2, p1g, p2g, owner, owner_g = heads(turns, gen)
    thr1, thr2 = best_thr(turns, owner, p1), best_thr(turns, owner, p2)
    rows = []
    base = replace(SHIPPED, rl="gated", rl_k=1.0)
    for stage, top, gate_kind, gate, k in itertools.product(
        (1, 2),
        ("all", "top1", "top1+carried", "top1+carried touched"),
        ("none", "offer", "holding"),
        (0.2, 0.3, 0.4, 0.6, 1.0),
        (0.9, 1.0, 1.1),
    ):
        cfg = replace(
            base,
            rl_k=k,
            rl_gate=gate / k,  # the rules' gate stays a fraction of the unscaled threshold
            rl_top1=top != "all",
            rl_carry=top.startswith("top1+carried"),
            rl_carry_min=0.75 if top.endswith("touched") else 0.0,
            rl_need_offer=gate_kind == "offer",
            rl_veto_holding=gate_kind == "holding",
        )
        p, pg, thr = (p1, p1g, thr1) if stage == 1 else (p2, p2g, thr2)
        figs = {
            "dev_loso": f1(turns, rules, owner, p, p1, thr, thr1, cfg, dev),
            "all_loso": f1(turns, rules, owner, p, p1, thr, thr1, cfg),
            "gen": f1(gen, rules_g, owner_g, pg, p1g, thr, thr1, cfg, gen_ids),
            "unseen": f1(gen, rules_g, owner_g, pg, p1g, thr, thr1, cfg, unseen_ids),
        }
        name = f"stage {stage}, {top}, head gated by {gate_kind}, rules at {gate:.0%}, thr x{k}"
        rows.append({"option": name, "config": asdict(cfg)} | figs)
    rows.sort(key=lambda r: -(r["dev_loso"] + r["all_loso"]))
    print(f"thresholds: first stage {thr1:.2f}, second {thr2:.2f}")
    print(f"{'dev-LOSO':>8} {'all-LOSO':>8} {'gen':>6} {'unseen':>6}  option (sorted by dev + all)")
    for r in rows[:25]:
        print(
            f"{r['dev_loso']:8.3f} {r['all_loso']:8.3f} {r['gen']:6.3f} {r['unseen']:6.3f}  "
            f"{r['option']}"
        )
    print(f"({len(rows)} options, {time.perf_counter() - t0:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
