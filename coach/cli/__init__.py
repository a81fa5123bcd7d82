"""The `coach` command: one module per subcommand, each with `register(subparsers)`."""

from __future__ import annotations

import argparse
import importlib
import sys

from coach.domain.errors import CoachError

COMMANDS = ["chat", "personas", "eval", "validate", "schema", "bench", "ui", "users", "redteam"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand that is installed."""
    parser = argparse.ArgumentParser(
        prog="coach",
        description="Practise negotiating against a coercive counterpart. "
        "Arguments can be kept in a file, one per line: coach @evals/configs/dev-offline.args",
        fromfile_prefix_chars="@",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"coach.cli.{name}")
        except ModuleNotFoundError as err:
            if err.name == f"coach.cli.{name}":
                continue  # not built yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `coach` console script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except CoachError as err:
        print(f"coach: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
