"""`coach personas`: the personas in the library, as a table."""

from __future__ import annotations

import argparse
import sys

from coach.library.registry import Library


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `personas` command."""
    parser = subparsers.add_parser(
        "personas",
        help="list the personas you can practise against",
        description="List the personas of the library (COACH_LIBRARY_DIR or the current folder). "
        "Problems in bad files go to stderr; the good personas are still listed.",
    )
    parser.set_defaults(run=run)


def table(rows: list[list[str]]) -> str:
    """Rows as left-aligned columns separated by two spaces."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def run(args: argparse.Namespace) -> int:
    """Print the table; report library errors on stderr."""
    lib = Library()
    for problem in lib.errors:
        print(problem.render(), file=sys.stderr)
    rows = [["ID", "NAME", "SCENARIO", "TEMPERAMENT", "TACTICS"]]
    for persona in lib.personas.values():
        rows.append(
            [
                persona.id,
                persona.name,
                persona.scenario,
                persona.temperament.value,
                ", ".join(persona.tactics),
            ]
        )
    if len(rows) == 1:
        print(f"no personas in {lib.root / 'personas'}", file=sys.stderr)
        return 1
    print(table(rows))
    return 0
