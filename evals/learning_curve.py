"""Does more of our own labelled data help the learned heads out of sample?

Usage: python evals/learning_curve.py [--jobs 2] [--json OUT.json]   (about 100 min on 2 cores)

Every head is fitted (train_offline_models.fit_all) on the 96 training scenarios
(evals/dev + evals/train), with and without evals/unseen's other labeller batches:
- "base": the 96 scenarios only, labelling all of evals/unseen and evals/generalisation;
- three folds over evals/unseen's six labeller batches, two held out at a time: the 96
  scenarios plus the other four batches (16 scenarios), labelling the two held out;
- "all": the 96 scenarios plus all of evals/unseen, labelling evals/generalisation.
The held-out labels come from the shipped judge (OfflineJudge(): rules + heads, ensemble.SHIPPED)
with the fold's weights. To fit within the time, the inner out-of-fold loops (thresholds,
stacked stages) use 12 groups of scenarios instead of one scenario per fold, for every fit
alike (base reproduces the shipped figures within 0.002). Figures: evals/score.py's.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_offline_models as T
from compare_offline import figures, gold_of, rules_labels

from coach.evaluation.metrics import score_dirs
from coach.evaluation.offline import OfflineJudge
from coach.evaluation.offline import learned as L
from coach.evaluation.offline.learned.embed import get_embedder

ROOT = T.ROOT
UNSEEN = ROOT / "evals" / "unseen"
GEN = ROOT / "evals" / "generalisation"
OUT = Path("/tmp/coach-learning-curve")
INNER_GROUPS = 12
BATCHES = ("train6t", "train6v", "train6w", "train6x", "train6y", "train6z")
FOLDS = {"base": (), "tv": BATCHES[0:2], "wx": BATCHES[2:4], "yz": BATCHES[4:6], "all": ()}


def _coarse_loso(groups: list[str], train_fn: Any, pred_fn: Any, n: int) -> np.ndarray:
    scen = sorted(set(groups) - {"phrasebook"})
    fold = {s: f"g{i % INNER_GROUPS}" for i, s in enumerate(scen)} | {"phrasebook": "phrasebook"}
    return _LOSO([fold[g] for g in groups], train_fn, pred_fn, n)


_LOSO = T.loso


def _batch_dir(batches: tuple[str, ...]) -> Path:
    folder = OUT / ("unseen-" + "-".join(batches))
    folder.mkdir(parents=True, exist_ok=True)
    for path in UNSEEN.glob("*.json"):
        if path.name.split("-")[0] in batches:
            (folder / path.name).write_bytes(path.read_bytes())
    return folder


def fit(name: str) -> str:
    """Fit every head for fold `name`; return the weights' path."""
    path = OUT / f"weights-{name}.npz"
    if path.exists():
        return str(path)
    T.loso = _coarse_loso
    held = FOLDS[name]
    added = () if name == "base" else tuple(b for b in BATCHES if b not in held)
    tr, ct = T.load_training()
    if added:
        more_tr, more_ct = T.load_set(_batch_dir(added))
        tr, ct = tr + more_tr, ct + more_ct
    np.random.seed(T.SEED)
    with contextlib.redirect_stdout(io.StringIO()):
        book = T.phrasebook_examples()
        weights, _ = T.fit_all(get_embedder(), tr, ct, [], [], book, verbose=False)
    np.savez_compressed(path, **weights)  # type: ignore[arg-type]
    return str(path)


def label(weights: str, folder: Path) -> dict[str, Any]:
    """The shipped judge's labels of `folder` with `weights`, gold stripped first."""
    L._INSTANCE = L.LearnedModels._read(Path(weights))
    return rules_labels(folder, OfflineJudge())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        paths = dict(zip(FOLDS, pool.map(fit, FOLDS), strict=True))
    unseen, gen = gold_of(UNSEEN), gold_of(GEN)
    cross: dict[str, Any] = {}
    for name in ("tv", "wx", "yz"):
        cross |= label(paths[name], _batch_dir(FOLDS[name]))
    result = {
        "unseen, 96 scenarios": figures(score_dirs(unseen, label(paths["base"], UNSEEN))),
        "unseen, 96 + the other four batches (3 folds)": figures(score_dirs(unseen, cross)),
        "gen, 96 scenarios": figures(score_dirs(gen, label(paths["base"], GEN))),
        "gen, 96 + all of unseen": figures(score_dirs(gen, label(paths["all"], GEN))),
    }
    for row, figs in result.items():
        print(f"{row:48s} " + "  ".join(f"{k} {v:.3f}" for k, v in figs.items()))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
