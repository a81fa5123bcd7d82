"""Checks that need more than one file, or more than the model can say on its own."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

from coach.domain.persona import Persona, Signal
from coach.domain.scenario import Scenario
from coach.library.loader import SCHEMA_LINES, LoadedItem
from coach.library.problems import Problem, did_you_mean

BUILTIN_SLOTS = (
    "counterpart_name",
    "counterpart_title",
    "trainee_role",
    "counterpart_role",
    "demand",
    "next_demand",
    "first_demand",
    "previous_demand",
    "conceded",
)
"""Slots every phrasebook line may use (docs/CONTRACTS.md)."""
MIN_LINES_PER_TACTIC = 3
_SIGNAL_WORDS = {
    Signal.CONCEDES: "concedes",
    Signal.HOLDS_CALMLY: "holds calmly",
    Signal.ESCALATES: "escalates",
    Signal.NAMES_TACTIC: "names a tactic",
    Signal.STALLS: "stalls",
    Signal.PROPOSES_STEPS: "proposes steps",
}
_SLOT = re.compile(r"\{([^{}]*)\}")

AnyItem = LoadedItem


def _error(item: AnyItem, line: int | None, field: str, message: str) -> Problem:
    return Problem(item.display, line, field, message)


def _warn(item: AnyItem, line: int | None, field: str, message: str) -> Problem:
    return Problem(item.display, line, field, message, "warning")


def check_file_basics(item: AnyItem) -> list[Problem]:
    """File name equals id; the first line names the JSON Schema (a warning)."""
    out = []
    if item.path.stem != item.id:
        out.append(
            _error(
                item,
                item.line_of("id"),
                "id",
                f"id {item.id!r} does not match the file name {item.path.name!r}; "
                f"rename the file to '{item.id}.yaml' or change the id",
            )
        )
    first = item.path.read_text("utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0]
    if first.strip() != SCHEMA_LINES[item.kind]:
        out.append(
            _warn(
                item,
                1,
                "",
                f"the first line should be '{SCHEMA_LINES[item.kind]}' so editors check the file "
                "as you type",
            )
        )
    return out


def check_duplicates(items: Sequence[AnyItem]) -> list[Problem]:
    """Ids must be unique per kind; each file of a clash is named."""
    out = []
    by_id: dict[str, list[AnyItem]] = {}
    for item in items:
        by_id.setdefault(item.id, []).append(item)
    for same in by_id.values():
        for item in same:
            others = ", ".join(o.display for o in same if o is not item)
            if others:
                out.append(
                    _error(
                        item,
                        item.line_of("id"),
                        "id",
                        f"{item.kind} id {item.id!r} is also used by {others}; ids must be unique",
                    )
                )
    return out


def check_persona(item: AnyItem, scenarios: dict[str, Scenario]) -> list[Problem]:
    """Everything a persona must agree with: its scenario, its repertoire, its slots."""
    persona = item.model
    assert isinstance(persona, Persona)
    out: list[Problem] = []
    scenario = scenarios.get(persona.scenario)
    if scenario is None:
        hint = did_you_mean(persona.scenario, scenarios) or (
            "; known scenarios: " + (", ".join(sorted(scenarios)) or "none")
        )
        out.append(
            _error(
                item,
                item.line_of("scenario"),
                "scenario",
                f"unknown scenario {persona.scenario!r}{hint}",
            )
        )
    out += _check_ladder(item, persona)
    out += _check_phrasebook(item, persona)
    if scenario is not None:
        out += _check_slots(item, persona, scenario)
    return out


def _check_ladder(item: AnyItem, persona: Persona) -> list[Problem]:
    out = []
    repertoire = set(persona.tactics)
    for i, level in enumerate(persona.ladder.levels):
        for j, move in enumerate(level.moves):
            if move not in repertoire:
                path = ("ladder", "levels", i, "moves", j)
                out.append(
                    _error(
                        item,
                        item.line_of(*path),
                        f"ladder.levels[{i}].moves[{j}]",
                        f"tactic {move!r} is not in this persona's repertoire; add it to "
                        "'tactics' or remove it from this level",
                    )
                )
    for signal, response in persona.ladder.responses.items():
        for j, tactic in enumerate(response.prefer):
            if tactic not in repertoire:
                rpath = ("ladder", "responses", signal.value, "prefer", j)
                out.append(
                    _warn(
                        item,
                        item.line_of(*rpath),
                        f"ladder.responses.{signal.value}.prefer[{j}]",
                        f"tactic {tactic!r} is not in the repertoire, so it is never used",
                    )
                )
    if all(persona.response_to(s).climb >= 0 for s in Signal):
        out.append(
            _warn(
                item,
                item.line_of("ladder", key=True),
                "ladder",
                "the ladder has no way down: no trainee move makes this persona de-escalate; "
                "give one response under ladder.responses a negative climb",
            )
        )
    last = len(persona.ladder.levels) - 1
    for name, difficulty in persona.difficulties.items():
        for attr in ("start", "ceiling"):
            value = getattr(difficulty, attr)
            if value is not None and value > last:
                out.append(
                    _error(
                        item,
                        item.line_of("difficulties", name, attr),
                        f"difficulties.{name}.{attr}",
                        f"{attr} {value} is past the last ladder level ({last})",
                    )
                )
        if difficulty.ceiling is not None and difficulty.ceiling < difficulty.start:
            out.append(
                _error(
                    item,
                    item.line_of("difficulties", name, "ceiling"),
                    f"difficulties.{name}.ceiling",
                    f"ceiling {difficulty.ceiling} is below start {difficulty.start}",
                )
            )
    return out


def _check_phrasebook(item: AnyItem, persona: Persona) -> list[Problem]:
    out = []
    book = persona.phrasebook
    for i, tactic in enumerate(persona.tactics):
        lines = book.tactics.get(tactic, [])
        if not lines:
            out.append(
                _warn(
                    item,
                    item.line_of("tactics", i),
                    f"tactics[{i}]",
                    f"tactic {tactic!r} has no phrasebook lines; the offline counterpart cannot "
                    "use it (add phrasebook.tactics." + tactic + ")",
                )
            )
        elif len(lines) < MIN_LINES_PER_TACTIC:
            out.append(
                _warn(
                    item,
                    item.line_of("phrasebook", "tactics", tactic, key=True),
                    f"phrasebook.tactics.{tactic}",
                    f"only {len(lines)} line(s) for tactic {tactic!r}; write at least "
                    f"{MIN_LINES_PER_TACTIC} so replies do not repeat",
                )
            )
    for tactic in book.tactics:
        if tactic not in persona.tactics:
            out.append(
                _warn(
                    item,
                    item.line_of("phrasebook", "tactics", tactic, key=True),
                    f"phrasebook.tactics.{tactic}",
                    f"tactic {tactic!r} is not in the repertoire, so these lines are never used",
                )
            )
    used = {persona.response_to(s).reaction: s for s in Signal}
    for reaction, signal in used.items():
        if not book.openers.get(reaction):
            out.append(
                _warn(
                    item,
                    item.line_of("phrasebook", "openers", key=True)
                    or item.line_of("phrasebook", key=True),
                    "phrasebook.openers",
                    f"no openers for reaction {reaction.value!r}, which this persona uses when "
                    f"the trainee {_SIGNAL_WORDS.get(signal, signal.value)}",
                )
            )
    return out


def _phrasebook_lines(persona: Persona) -> Iterable[tuple[tuple[str | int, ...], str]]:
    book = persona.phrasebook
    for reaction, lines in book.openers.items():
        for i, text in enumerate(lines):
            yield ("phrasebook", "openers", reaction.value, i), text
    for tactic, lines in book.tactics.items():
        for i, text in enumerate(lines):
            yield ("phrasebook", "tactics", tactic, i), text
    for i, text in enumerate(book.neutral):
        yield ("phrasebook", "neutral", i), text


def available_slots(persona: Persona, scenario: Scenario) -> list[str]:
    """Every slot a phrasebook line of this persona may use."""
    return sorted({*BUILTIN_SLOTS, *scenario.terms, *persona.terms})


def _check_slots(item: AnyItem, persona: Persona, scenario: Scenario) -> list[Problem]:
    out = []
    slots = available_slots(persona, scenario)
    for path, text in _phrasebook_lines(persona):
        for name in _SLOT.findall(text):
            if name in slots:
                continue
            close = difflib.get_close_matches(name, slots, n=1)
            hint = (
                f"; did you mean {{{close[0]}}}?"
                if close
                else ("; available: " + ", ".join("{" + s + "}" for s in slots))
            )
            field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)[1:]
            out.append(_error(item, item.line_of(*path), field, f"unknown slot {{{name}}}{hint}"))
    return out


def check_unused_scenarios(
    scenarios: Sequence[AnyItem], personas: Iterable[Persona]
) -> list[Problem]:
    """A scenario no persona plays is a warning."""
    used = {p.scenario for p in personas}
    return [
        _warn(
            item,
            item.line_of("id"),
            "id",
            f"no persona plays scenario {item.id!r}; set `scenario: {item.id}` in a persona",
        )
        for item in scenarios
        if item.id not in used
    ]
