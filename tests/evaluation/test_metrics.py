"""coach.evaluation.metrics gives exactly what the evalset's score.py gives."""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path
from types import ModuleType

import pytest

from coach.evaluation import metrics

ROOT = Path(__file__).resolve().parents[2]
SCORE_PY = [Path("/work/shared/evalsets/score.py"), ROOT / "evals" / "score.py"]
DEV = [Path("/work/shared/evalsets/dev"), ROOT / "evals" / "dev"]
OWN = ROOT / "evals" / "transcripts"
TACTICS = ["ultimatum", "threat", "deadline_pressure", "linkage", "inducement"]


def _first(paths: list[Path]) -> Path:
    for p in paths:
        if p.exists():
            return p
    pytest.skip(f"none of {paths} exists")


@pytest.fixture(scope="module")
def score_py() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evalset_score", _first(SCORE_PY))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold_dir() -> Path:
    return _first(DEV)


def _load(folder: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))}


def _perturb(gold: dict[str, dict], seed: int, drop: int = 0) -> dict[str, dict]:
    """Noisy predictions: random labels and tactics, some files missing, odd values."""
    rng = random.Random(seed)
    out = {}
    for name, data in list(gold.items())[drop:]:
        pred = json.loads(json.dumps(data))
        red_lines = [r["id"] for r in data["scenario"].get("red_lines", [])]
        for turn in pred["turns"]:
            if turn["speaker"] == "trainee":
                roll = rng.random()
                if roll < 0.1:
                    turn.pop("labels", None)
                    continue
                turn["labels"] = {
                    "tone": rng.choice([1, 2, 3, 4, 5, 4.6, "x"])
                    if roll < 0.2
                    else rng.randint(1, 5),
                    "escalation": rng.choice([-1, 0, 1, 7]),
                    "red_line_breaches": rng.sample(red_lines, k=rng.randint(0, len(red_lines))),
                }
            else:
                turn["tactics"] = rng.sample(TACTICS, k=rng.randint(0, 3))
        out[name] = pred
    return out


def _write(folder: Path, data: dict[str, dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, d in data.items():
        (folder / name).write_text(json.dumps(d), encoding="utf-8")
    return folder


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_equals_score_py_on_noisy_predictions(score_py: ModuleType, tmp_path: Path, seed: int):
    gold_dir = _gold_dir()
    gold = _load(gold_dir)
    pred = _perturb(gold, seed, drop=seed)
    expected = score_py.score(gold_dir, _write(tmp_path / "pred", pred))
    assert metrics.score_dirs(gold, pred) == expected


def test_equals_score_py_on_perfect_and_empty(score_py: ModuleType, tmp_path: Path) -> None:
    gold_dir = _gold_dir()
    gold = _load(gold_dir)
    assert metrics.score_dirs(gold, gold) == score_py.score(gold_dir, gold_dir)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert metrics.score_dirs(gold, {}) == score_py.score(gold_dir, empty)


def test_equals_score_py_on_own_transcripts(score_py: ModuleType, tmp_path: Path) -> None:
    gold = {k: v for k, v in _load(OWN).items() if metrics.has_gold(v)}
    gold_dir = _write(tmp_path / "gold", gold)
    pred = _perturb(gold, 7)
    assert metrics.score_dirs(gold, pred) == score_py.score(
        gold_dir, _write(tmp_path / "pred", pred)
    )


def test_perfect_agreement_figures() -> None:
    gold = {k: v for k, v in _load(OWN).items() if metrics.has_gold(v)}
    result = metrics.score_dirs(gold, gold)
    assert result["red_line"]["f1"] == 1.0 and result["tactics"]["f1"] == 1.0
    assert result["tone"] == {"mae": 0.0, "within_1": 1.0, "qwk": 1.0}
    assert result["escalation"]["accuracy"] == 1.0


def test_has_gold_needs_labels_on_every_turn() -> None:
    data = _load(OWN)
    assert metrics.has_gold(data["river-dam-01.json"])
    assert not metrics.has_gold(data["orbital-station-unlabelled.json"])
    assert metrics.qwk([], []) == 0.0
    assert metrics.prf(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
