"""`coach eval`: label transcripts with a judge and write a report (plus agreement with gold)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from coach.domain.errors import UserError

if TYPE_CHECKING:
    from coach.config import Settings
    from coach.evaluation.base import Judge
    from coach.evaluation.batch import BatchResult


def register(subparsers: Any) -> None:
    """Add the `eval` subcommand."""
    parser = subparsers.add_parser(
        "eval",
        help="evaluate transcripts (interchange JSON) and write a report",
        description="Label every turn of the transcripts with a judge, score them against a "
        "rubric, and write DIR/transcripts/, summary.json, scores.csv and report.html. Gold "
        "labels in the inputs are hidden from the judge and used to report agreement.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="transcript files or folders")
    parser.add_argument("--rubric", default="default", metavar="ID", help="rubric id (default)")
    parser.add_argument(
        "--judge",
        choices=["offline", "llm"],
        default="offline",
        help="offline: rule-based (default); llm: the configured evaluator model",
    )
    parser.add_argument("--out", type=Path, metavar="DIR", help="report folder")
    parser.add_argument(
        "--concurrency", type=int, default=4, metavar="N", help="judge calls in flight (4)"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="ignore the LLM judge's verdict cache"
    )
    parser.add_argument(
        "--min",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        help="fail (exit 1) when an agreement metric is below VALUE, e.g. red_line.f1=0.8 "
        "(needs gold labels in the inputs; repeatable)",
    )
    parser.set_defaults(run=run)


def below_minimum(agreement: dict[str, Any] | None, minimums: list[str]) -> list[str]:
    """The `--min` conditions that the agreement figures miss, as readable lines."""
    misses = []
    for item in minimums:
        key, sep, value = item.partition("=")
        try:
            wanted = float(value)
        except ValueError:
            raise UserError(f"--min {item!r}: expected METRIC=NUMBER, e.g. tone.qwk=0.6") from None
        if not sep:
            raise UserError(f"--min {item!r}: expected METRIC=NUMBER, e.g. tone.qwk=0.6")
        if agreement is None:
            raise UserError("--min needs gold labels in the inputs to compare against")
        got: Any = agreement
        for part in key.split("."):
            if not isinstance(got, dict) or part not in got:
                raise UserError(
                    f"--min: no metric {key!r} (e.g. red_line.f1, escalation."
                    "macro_f1, tone.qwk, tactics.f1)"
                )
            got = got[part]
        if float(got) < wanted:
            misses.append(f"{key} = {got} < {wanted}")
    return misses


def build_judge(kind: str, settings: Settings) -> Judge:
    """The offline judge, or the LLM judge with the offline judge as its fallback."""
    from coach.evaluation.offline import OfflineJudge

    offline = OfflineJudge()
    if kind == "offline":
        return offline
    if not settings.llm_configured:
        raise UserError(
            "--judge llm needs a model endpoint, and none is configured: set OPENAI_BASE_URL "
            "(a local OpenAI-compatible server) and/or OPENAI_API_KEY, or use --judge offline."
        )
    from coach.evaluation.llm_judge import LLMJudge
    from coach.llm.factory import build_models

    _, evaluator = build_models(settings)
    if evaluator is None:  # pragma: no cover - llm_configured guarantees a model
        raise UserError("no evaluator model could be built from the settings")
    return LLMJudge(evaluator, fallback=offline)


class ProgressBar:
    """A one-line text bar on a TTY; silent otherwise."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream, self.width = stream, width
        self.enabled = stream.isatty()
        self._last = -1.0

    def __call__(self, done: int, total: int) -> None:
        """Redraw (at most every 50 ms, and always at the end)."""
        now = time.monotonic()
        if not self.enabled or (done < total and now - self._last < 0.05):
            return
        self._last = now
        filled = self.width * done // max(total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} turns")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _default_out(settings: Settings) -> Path:
    return settings.data_dir / "reports" / time.strftime("eval-%Y%m%d-%H%M%S")


def print_summary(result: BatchResult, summary: dict[str, Any], out: Path) -> None:
    """The short account printed when the run ends."""
    files = summary["files"]
    total = files["evaluated"] + files["failed"]
    print(
        f"Evaluated {files['evaluated']} of {total} file(s) with judge {result.judge} "
        f"(rubric {result.rubric.id})."
    )
    if result.failures:
        print(f"{len(result.failures)} file(s) failed to load and were skipped:")
        for failure in result.failures:
            for problem in failure.problems:
                print(f"  {problem}")
    turns = summary["turns"]
    print(
        f"Turns judged: {turns['judged']}, from cache: {turns['from_cache']}, "
        f"unscored by the judge (fallback labels): {turns['unscored']}."
    )
    stood_in = sum(
        any("(fallback:" in (r.judge or "") for r in e.session) for e in result.evaluated
    )
    if stood_in:
        print(
            f"Session criteria: the judge could not score {stood_in} transcript(s); their "
            "offline measures stood in (summary.json says why)."
        )
    passed = sum(t["passed"] for t in summary["transcripts"])
    print(f"Sessions passed: {passed}/{len(summary['transcripts'])}.")
    a = summary["agreement"]
    if a:
        print(
            f"Agreement with gold ({a['transcripts']} transcripts): "
            f"red lines P/R/F1 {a['red_line']['precision']}/{a['red_line']['recall']}/"
            f"{a['red_line']['f1']}; escalation acc {a['escalation']['accuracy']}, "
            f"macro-F1 {a['escalation']['macro_f1']}; tone MAE {a['tone']['mae']}, "
            f"within-1 {a['tone']['within_1']}, QWK {a['tone']['qwk']}; tactics P/R/F1 "
            f"{a['tactics']['precision']}/{a['tactics']['recall']}/{a['tactics']['f1']}."
        )
    print(f"Report: {out / 'report.html'} (labelled transcripts in {out / 'transcripts'})")


def run(args: argparse.Namespace) -> int:
    """Evaluate; 0 when at least one transcript was evaluated, 1 when none was."""
    from coach.config import load_settings
    from coach.evaluation.batch import evaluate_files, load_rubric
    from coach.evaluation.cache import JudgeCache
    from coach.evaluation.report import write_report

    if args.concurrency < 1:
        raise UserError("--concurrency must be 1 or more")
    settings = load_settings()
    rubric = load_rubric(args.rubric, settings.library_dir)
    judge = build_judge(args.judge, settings)
    cache = (
        None if args.judge == "offline" or args.no_cache else JudgeCache.under(settings.data_dir)
    )
    out = args.out or _default_out(settings)
    result = asyncio.run(
        evaluate_files(
            args.paths,
            judge,
            rubric,
            concurrency=args.concurrency,
            cache=cache,
            progress=ProgressBar(sys.stderr),
        )
    )
    if not result.evaluated:
        for failure in result.failures:
            for problem in failure.problems:
                print(f"coach eval: {problem}", file=sys.stderr)
        print("coach eval: no transcript could be evaluated", file=sys.stderr)
        return 1
    summary = write_report(result, out)
    print_summary(result, summary, out)
    misses = below_minimum(summary["agreement"], args.min)
    if misses:
        print("Below the minimum: " + "; ".join(misses), file=sys.stderr)
        return 1
    return 0
