"""`coach redteam`: simulated trainees of several styles play a persona; the report shows how
the persona behaved and whether the rubric tells good play from bad (exit 1 when it does not)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from coach.domain.errors import UserError
from coach.redteam.styles import STYLES


def register(subparsers: Any) -> None:
    """Add the `redteam` subcommand."""
    parser = subparsers.add_parser(
        "redteam",
        help="play simulated trainees against a persona and report how it behaved",
        description="Simulated trainees (firm, conceding, hothead, evasive, tactic-namer) play "
        "the persona for N turns, K runs each. Writes DIR/redteam.json and DIR/redteam.md: "
        "tactics, ladder paths, repeats, contradictions, bottom-line leaks and rubric scores "
        "per style. Exits 1 when conceding or hot-headed play does not score below firm play.",
    )
    parser.add_argument("--persona", required=True, metavar="ID", help="persona id")
    parser.add_argument(
        "--trainee-style",
        dest="styles",
        nargs="+",
        choices=STYLES,
        metavar="STYLE",
        help=f"styles to play (default: all of {', '.join(STYLES)})",
    )
    parser.add_argument("--turns", type=int, default=8, metavar="N", help="trainee turns (8)")
    parser.add_argument("--runs", type=int, default=3, metavar="K", help="runs per style (3)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the trainees' lines (0)")
    parser.add_argument("--difficulty", help="a difficulty the persona defines")
    parser.add_argument("--rubric", metavar="ID", help="rubric id (default)")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="report folder (default: <data_dir>/redteam/<persona>-<timestamp>)",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="use the offline trainees, counterpart and judge even when a model is configured",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Play, write the report, print the summary; 1 when a discrimination flag is raised."""
    if args.turns < 1 or args.runs < 1:
        raise UserError("--turns and --runs must be 1 or more")
    report, paths = asyncio.run(_redteam(args))
    from coach.redteam.report import summary_lines

    print("\n".join(summary_lines(report)))
    print(f"Report: {paths[1]} (data: {paths[0]})")
    return 1 if report.flags else 0


async def _redteam(args: argparse.Namespace) -> tuple[Any, tuple[Path, Path]]:
    from coach.config import load_settings
    from coach.engine.session import SessionService
    from coach.library import Library
    from coach.llm.factory import build_models
    from coach.redteam.report import build_report, write_report
    from coach.redteam.runner import run_redteam

    settings = load_settings()
    library = Library(settings.library_dir)
    if args.persona not in library.personas:
        known = ", ".join(sorted(library.personas)) or "none"
        raise UserError(f"unknown persona {args.persona!r}: known personas are {known}")
    counterpart, evaluator = (None, None) if args.offline else build_models(settings)
    service = await SessionService.open(
        settings,
        library,
        database_url="memory://",
        counterpart_model=counterpart,
        evaluator_model=evaluator,
    )
    styles = args.styles or list(STYLES)
    try:
        results = await run_redteam(
            service,
            args.persona,
            styles=styles,
            turns=args.turns,
            runs=args.runs,
            seed=args.seed,
            trainee_model=counterpart,
            difficulty=args.difficulty,
            rubric_id=args.rubric,
            progress=_progress(args.runs),
        )
    finally:
        await service.aclose()
    persona = library.personas[args.persona]
    report = build_report(
        results,
        persona=persona.id,
        scenario=persona.scenario,
        rubric=args.rubric or "default",
        settings={
            "styles": styles,
            "turns": args.turns,
            "runs": args.runs,
            "seed": args.seed,
            "difficulty": args.difficulty,
            "trainee_backend": counterpart.name if counterpart else "offline templates",
            "counterpart_backend": service.backend,
            "judge": f"LLM {evaluator.name}" if evaluator else "offline",
            "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        },
    )
    out = args.out or settings.data_dir / "redteam" / (
        f"{persona.id}-{time.strftime('%Y%m%d-%H%M%S')}"
    )
    return report, write_report(report, out)


def _progress(runs: int) -> Any:
    def show(style: str, run: int) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\rplaying {style} run {run + 1}/{runs}   ")
            sys.stderr.flush()

    return show
