"""Loader check for the trainer-written library: personas, scenarios and rubrics.

Every YAML file is loaded with ``yaml.safe_load`` and validated against its pydantic model,
then checked for the cross-file rules the models cannot see on their own (a persona's scenario
exists, its ladder only uses its repertoire, every phrasebook slot can be filled, ...).
These tests guard the data, not the loader: a failing test names the file and what to fix.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml

from coach.domain import Measure, Persona, Reaction, Rubric, Scenario
from coach.library.checks import BUILTIN_SLOTS
from coach.library.loader import SCHEMA_LINES

ROOT = Path(__file__).resolve().parents[2]
PERSONA_DIR = ROOT / "personas"
SCENARIO_DIR = PERSONA_DIR / "scenarios"
RUBRIC_DIR = ROOT / "rubrics"

MIN_TACTIC_LINES = 5
MIN_OPENER_LINES = 3
MIN_NEUTRAL_LINES = 4

PERSONA_FILES = sorted(PERSONA_DIR.glob("*.yaml"))
SCENARIO_FILES = sorted(SCENARIO_DIR.glob("*.yaml"))
RUBRIC_FILES = sorted(RUBRIC_DIR.glob("*.yaml"))


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict), f"{path.name}: the top level must be a mapping"
    return data


def _scenarios() -> dict[str, Scenario]:
    return {p.stem: Scenario.model_validate(_load(p)) for p in SCENARIO_FILES}


def _personas() -> dict[str, Persona]:
    return {p.stem: Persona.model_validate(_load(p)) for p in PERSONA_FILES}


def _slots(line: str) -> set[str]:
    """The {slot} names in a phrasebook line (format-string syntax)."""
    return {field for _, field, _, _ in string.Formatter().parse(line) if field is not None}


def _all_lines(persona: Persona) -> list[tuple[str, str]]:
    book = persona.phrasebook
    lines = [(f"openers.{r.value}", line) for r, ls in book.openers.items() for line in ls]
    lines += [(f"tactics.{t}", line) for t, ls in book.tactics.items() for line in ls]
    lines += [("neutral", line) for line in book.neutral]
    return lines


def test_library_is_not_empty() -> None:
    assert len(SCENARIO_FILES) >= 4, "expected at least four scenarios"
    assert len(PERSONA_FILES) >= 6, "expected at least six personas"
    assert {p.stem for p in RUBRIC_FILES} >= {"default", "exam"}


@pytest.mark.parametrize(
    ("path", "kind"),
    [(p, "scenario") for p in SCENARIO_FILES]
    + [(p, "persona") for p in PERSONA_FILES]
    + [(p, "rubric") for p in RUBRIC_FILES],
    ids=lambda v: v.name if isinstance(v, Path) else v,
)
def test_file_validates_and_is_named_after_its_id(path: Path, kind: str) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == SCHEMA_LINES[kind], f"{path.name}: first line must be the $schema line"
    model = {"scenario": Scenario, "persona": Persona, "rubric": Rubric}[kind]
    item = model.model_validate(_load(path))
    assert item.id == path.stem, f"{path.name}: id {item.id!r} must equal the file name"


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_scenario_brief_is_complete(path: Path) -> None:
    scenario = Scenario.model_validate(_load(path))
    assert 3 <= len(scenario.brief.objectives) <= 4
    assert 2 <= len(scenario.brief.red_lines) <= 3
    assert 2 <= len(scenario.brief.may_concede) <= 4
    assert 5 <= len(scenario.facts) <= 8
    assert len(scenario.terms) >= 8
    country = scenario.terms.get("trainee_country", "")
    for red_line in scenario.red_lines:
        assert f"{country} will not" in red_line.statement, (
            f"{path.name}: red line {red_line.id} should read '{country} will not ...'"
        )


@pytest.mark.parametrize("path", PERSONA_FILES, ids=lambda p: p.name)
def test_persona_plays_an_existing_scenario(path: Path) -> None:
    persona = Persona.model_validate(_load(path))
    assert persona.scenario in _scenarios(), (
        f"{path.name}: scenario {persona.scenario!r} has no personas/scenarios/ file"
    )


@pytest.mark.parametrize("path", PERSONA_FILES, ids=lambda p: p.name)
def test_ladder_moves_are_in_the_repertoire(path: Path) -> None:
    persona = Persona.model_validate(_load(path))
    repertoire = set(persona.tactics)
    assert 3 <= len(persona.ladder.levels) <= 5
    for index, level in enumerate(persona.ladder.levels):
        stray = set(level.moves) - repertoire
        assert not stray, f"{path.name}: ladder level {index} uses {sorted(stray)} not in tactics"
    for signal, response in persona.ladder.responses.items():
        stray = set(response.prefer) - repertoire
        assert not stray, f"{path.name}: responses.{signal.value} prefers {sorted(stray)}"
    used = {move for level in persona.ladder.levels for move in level.moves}
    assert used == repertoire, f"{path.name}: never on the ladder: {sorted(repertoire - used)}"
    for name, difficulty in persona.difficulties.items():
        assert difficulty.start < len(persona.ladder.levels), f"{path.name}: {name} start"
        if difficulty.ceiling is not None:
            assert difficulty.start <= difficulty.ceiling < len(persona.ladder.levels)


@pytest.mark.parametrize("path", PERSONA_FILES, ids=lambda p: p.name)
def test_phrasebook_covers_the_repertoire(path: Path) -> None:
    persona = Persona.model_validate(_load(path))
    book = persona.phrasebook
    assert 5 <= len(persona.tactics) <= 8
    assert 4 <= len(persona.demands) <= 6
    for tactic in persona.tactics:
        lines = book.tactics.get(tactic, [])
        assert len(set(lines)) >= MIN_TACTIC_LINES, (
            f"{path.name}: tactic {tactic} has {len(set(lines))} distinct lines, "
            f"needs {MIN_TACTIC_LINES}"
        )
    stray = set(book.tactics) - set(persona.tactics)
    assert not stray, f"{path.name}: phrasebook lines for tactics outside the repertoire {stray}"
    for reaction in Reaction:
        lines = book.openers.get(reaction, [])
        assert len(set(lines)) >= MIN_OPENER_LINES, f"{path.name}: openers.{reaction.value}"
    assert len(set(book.neutral)) >= MIN_NEUTRAL_LINES, f"{path.name}: neutral lines"
    texts = [line for _, line in _all_lines(persona)]
    dupes = {t for t in texts if texts.count(t) > 1}
    assert not dupes, f"{path.name}: repeated lines {sorted(dupes)[:3]}"


@pytest.mark.parametrize("path", PERSONA_FILES, ids=lambda p: p.name)
def test_every_phrasebook_slot_can_be_filled(path: Path) -> None:
    persona = Persona.model_validate(_load(path))
    scenario = _scenarios()[persona.scenario]
    known = set(BUILTIN_SLOTS) | set(scenario.terms) | set(persona.terms)
    for where, line in _all_lines(persona):
        unknown = _slots(line) - known
        assert not unknown, f"{path.name}: {where}: unknown slot(s) {sorted(unknown)} in {line!r}"


def test_personas_cover_every_scenario_with_distinct_styles() -> None:
    personas = _personas()
    used = {p.scenario for p in personas.values()}
    assert set(_scenarios()) <= used, f"scenarios without a persona: {set(_scenarios()) - used}"
    temperaments = {p.temperament for p in personas.values()}
    assert len(temperaments) >= 5, f"only {len(temperaments)} distinct temperaments"
    repertoires = [frozenset(p.tactics) for p in personas.values()]
    assert len(set(repertoires)) == len(repertoires), "two personas share the same repertoire"


@pytest.mark.parametrize("path", RUBRIC_FILES, ids=lambda p: p.name)
def test_rubric_levels_and_measures(path: Path) -> None:
    rubric = Rubric.model_validate(_load(path))
    for criterion in rubric.criteria:
        assert sorted(criterion.levels) == [1, 2, 3, 4, 5], f"{path.name}: {criterion.id}"
    measures = {c.measure.value for c in rubric.criteria if c.measure is not None}
    expected = {
        "tone",
        "red_lines",
        "escalation",
        "tactic_recognition",
        "listening",
        "alternatives",
        "tempo",
    }
    assert measures >= expected, f"{path.name}: no criterion measures {expected - measures}"
    red_lines = [c for c in rubric.criteria if c.measure == Measure.RED_LINES]
    assert all(c.blocker for c in red_lines), f"{path.name}: red-line discipline must be a blocker"


def test_exam_is_stricter_than_practice() -> None:
    rubrics = {p.stem: Rubric.model_validate(_load(p)) for p in RUBRIC_FILES}
    assert rubrics["exam"].pass_mark > rubrics["default"].pass_mark


@pytest.mark.parametrize("path", PERSONA_FILES, ids=lambda p: p.name)
def test_filled_lines_never_start_a_sentence_in_lower_case(path: Path) -> None:
    """Guards against slots like {treaty} = 'the 1961 ...' opening a sentence mid-reply.

    The offline speaker joins an opener and one or two lines, and only capitalises the very
    first letter of the reply, so no filled line may begin a sentence with a lower-case word.
    """
    from coach.engine.phrasebook import quoted

    persona = Persona.model_validate(_load(path))
    scenario = _scenarios()[persona.scenario]
    demands = persona.demands
    values = {
        "counterpart_name": persona.name,
        "counterpart_title": persona.title,
        "trainee_role": scenario.trainee_role,
        "counterpart_role": scenario.counterpart_role,
        "first_demand": demands[0],
        "previous_demand": demands[1],
        "conceded": quoted("We could consider it."),
        "demand": demands[2],
        "next_demand": demands[3],
        **scenario.terms,
        **persona.terms,
    }
    for where, line in _all_lines(persona):
        text = line.format(**values)
        lower_start = re.search(r"(?:^|[.?!]\s+)[a-z]", text)
        assert not lower_start, f"{path.name}: {where}: a sentence starts in lower case: {text!r}"
