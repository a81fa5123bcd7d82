"""Label a folder of transcripts with the offline judge (gold labels stripped first).

Usage: python evals/run_offline_dev.py [--gold evals/dev] [--out OUTDIR] [--score]
       [--loso]   leave-one-scenario-out: report the metrics per held-out scenario too.
The offline judge has no trained parameters; --loso reports per-scenario figures so that a
rule tuned on three scenarios can be seen on the fourth.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coach.domain.rubric import Criterion, Rubric
from coach.domain.transcript import Turn, load_transcript
from coach.evaluation.base import TurnContext
from coach.evaluation.offline import OfflineJudge

HERE = Path(__file__).resolve().parent
_RUBRIC = Rubric(
    id="dev",
    title="dev rubric",
    criteria=[
        Criterion(
            id="composure",
            name="Composure",
            description="Calm and firm under pressure.",
            weight=1,
            measure="tone",  # type: ignore[arg-type]
            levels={i: f"level {i} descriptor" for i in range(1, 6)},
        )
    ],
)


def label_dir(gold: Path, out: Path) -> tuple[int, float]:
    """Write one labelled prediction per gold transcript; return (turns, seconds)."""
    judge = OfflineJudge()
    out.mkdir(parents=True, exist_ok=True)
    turns = 0
    start = time.perf_counter()
    for path in sorted(gold.glob("*.json")):
        transcript = load_transcript(path)
        stripped = [Turn(speaker=t.speaker, text=t.text) for t in transcript.turns]
        labelled = []
        for i, turn in enumerate(stripped):
            ctx = TurnContext(
                scenario=transcript.scenario, history=stripped[:i], turn=turn, turn_index=i
            )
            if turn.speaker == "trainee":
                labels = judge.assess(ctx, _RUBRIC).labels
                labelled.append(Turn(speaker="trainee", text=turn.text, labels=labels))
            else:
                labelled.append(Turn(speaker=turn.speaker, text=turn.text, tactics=judge.tag(ctx)))
            turns += 1
        pred = transcript.model_copy(update={"turns": labelled})
        (out / path.name).write_text(pred.to_json(), encoding="utf-8")
    return turns, time.perf_counter() - start


def score(gold: Path, pred: Path) -> dict[str, object]:
    """Run evals/score.py and return its metrics."""
    res = subprocess.run(
        [sys.executable, str(HERE / "score.py"), "--gold", str(gold), "--pred", str(pred)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(res.stdout)


def _summary(m: dict[str, object]) -> str:
    rl, esc, tone, tac = (m[k] for k in ("red_line", "escalation", "tone", "tactics"))
    return (
        f"red_line F1 {rl['f1']:.3f} (P {rl['precision']:.2f} R {rl['recall']:.2f})  "  # type: ignore[index]
        f"escalation mF1 {esc['macro_f1']:.3f}  tone QWK {tone['qwk']:.3f} "  # type: ignore[index]
        f"within1 {tone['within_1']:.2f}  tactics F1 {tac['f1']:.3f}"  # type: ignore[index]
    )


def main() -> int:
    """Label, optionally score, optionally per held-out scenario."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gold", type=Path, default=HERE / "dev")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--score", action="store_true")
    ap.add_argument("--loso", action="store_true")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="offline-pred-"))
    turns, seconds = label_dir(args.gold, out)
    print(f"labelled {turns} turns in {seconds:.2f}s ({turns / seconds:.0f} turns/s) -> {out}")
    if args.score or args.loso:
        print("all      " + _summary(score(args.gold, out)))
    if args.loso:
        scenarios = sorted({p.stem.rsplit("-", 1)[0] for p in args.gold.glob("*.json")})
        for scen in scenarios:
            with tempfile.TemporaryDirectory() as g, tempfile.TemporaryDirectory() as p:
                for f in args.gold.glob(f"{scen}-*.json"):
                    (Path(g) / f.name).write_text(f.read_text())
                    (Path(p) / f.name).write_text((out / f.name).read_text())
                print(f"{scen[4:]:<18} " + _summary(score(Path(g), Path(p))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
