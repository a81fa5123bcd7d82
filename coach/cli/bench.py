"""`coach bench`: print the engine's, the evaluator's and the judges' speed figures."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    """Add `coach bench`."""
    p = sub.add_parser(
        "bench", help="print speed figures (no real LLM is called)", description=__doc__
    )
    p.add_argument("--persona", default="minister-tesk")
    p.add_argument("--turns", type=int, default=60, help="trainee turns per engine run")
    p.add_argument("--latency", type=float, default=0.5, help="stub LLM latency per call, seconds")
    p.add_argument("--json", action="store_true", help="also print the figures as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the benchmarks."""
    from coach.bench import run_all

    figures = run_all(args.persona, args.turns, args.latency)
    if args.json:
        print(json.dumps(figures, indent=2, default=str))
    return 0
