"""`coach schema [--out DIR]`: write the JSON Schemas editors use to check the data files."""

from __future__ import annotations

import argparse
from pathlib import Path

from coach.library.schema import DEFAULT_OUT, write_schemas


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `schema` command."""
    parser = subparsers.add_parser(
        "schema",
        help="write the JSON Schemas of personas, scenarios and rubrics",
        description="Write persona, scenario and rubric JSON Schemas (generated from the models).",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="folder to write to (default: schemas/)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the schemas and list them."""
    for path in write_schemas(args.out):
        print(f"wrote {path}")
    return 0
