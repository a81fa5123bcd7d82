"""`coach validate [PATH...]`: check personas, scenarios and rubrics; one line per problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coach.library.validation import Report, validate_library, validate_paths


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `validate` command."""
    parser = subparsers.add_parser(
        "validate",
        help="check the data files and report problems as FILE:LINE: FIELD: message",
        description="Check personas, scenarios and rubrics. With no PATH, the whole library "
        "under COACH_LIBRARY_DIR (or the current folder). Exit status 1 on any error.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    parser.set_defaults(run=run)


def summary(report: Report) -> str:
    """The final count line."""
    errors, warnings = len(report.errors), len(report.warnings)
    files = f"{report.files} file{'s' if report.files != 1 else ''}"
    if not errors and not warnings:
        return f"ok: {files} checked, no problems"
    return (
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''} in {files}"
    )


def run(args: argparse.Namespace) -> int:
    """Validate and print; 1 when any error was found."""
    report = validate_paths(args.paths) if args.paths else validate_library()
    out = sys.stdout
    for problem in report.problems:
        print(problem.render(), file=out)
    print(summary(report), file=out)
    return 1 if report.errors else 0
