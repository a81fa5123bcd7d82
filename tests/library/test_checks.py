"""Cross-file checks and warnings, run through a whole library in a temporary folder."""

from __future__ import annotations

from pathlib import Path

from coach.library import Library
from tests.library.fixtures import PERSONA, SCENARIO, make_library, write

PERSONA_FILE = "personas/envoy.yaml"


def errors_and_warnings(root: Path) -> tuple[list[str], list[str]]:
    lib = Library(root)
    return [str(p) for p in lib.errors], [str(p) for p in lib.warnings]


def with_persona(tmp_path: Path, old: str, new: str) -> tuple[list[str], list[str]]:
    make_library(tmp_path)
    assert old in PERSONA
    write(tmp_path, PERSONA_FILE, PERSONA.replace(old, new, 1))
    return errors_and_warnings(tmp_path)


def test_file_name_must_equal_id(tmp_path: Path) -> None:
    make_library(tmp_path)
    (tmp_path / PERSONA_FILE).rename(tmp_path / "personas/viktor.yaml")
    errors, _ = errors_and_warnings(tmp_path)
    assert errors == [
        "personas/viktor.yaml:2: id: id 'envoy' does not match the file name 'viktor.yaml'; "
        "rename the file to 'envoy.yaml' or change the id"
    ]
    assert Library(tmp_path).personas == {}


def test_duplicate_ids_name_both_files(tmp_path: Path) -> None:
    make_library(tmp_path)
    write(tmp_path, "personas/envoy-copy.yaml", PERSONA)
    errors, _ = errors_and_warnings(tmp_path)
    assert errors == [
        "personas/envoy-copy.yaml:2: id: id 'envoy' does not match the file name "
        "'envoy-copy.yaml'; rename the file to 'envoy.yaml' or change the id",
        "personas/envoy-copy.yaml:2: id: persona id 'envoy' is also used by "
        "personas/envoy.yaml; ids must be unique",
        "personas/envoy.yaml:2: id: persona id 'envoy' is also used by "
        "personas/envoy-copy.yaml; ids must be unique",
    ]


def test_unknown_scenario_suggests_the_close_one(tmp_path: Path) -> None:
    errors, _ = with_persona(tmp_path, "scenario: border-talks", "scenario: boarder-talks")
    assert errors == [
        "personas/envoy.yaml:5: scenario: unknown scenario 'boarder-talks'; "
        "did you mean 'border-talks'?"
    ]


def test_unknown_scenario_without_a_close_one_lists_them(tmp_path: Path) -> None:
    errors, _ = with_persona(tmp_path, "scenario: border-talks", "scenario: trade-war")
    assert errors == [
        "personas/envoy.yaml:5: scenario: unknown scenario 'trade-war'; "
        "known scenarios: border-talks"
    ]


def test_ladder_move_outside_the_repertoire(tmp_path: Path) -> None:
    errors, _ = with_persona(
        tmp_path, "        - threat\nphrasebook", "        - linkage\nphrasebook"
    )
    assert errors == [
        "personas/envoy.yaml:29: ladder.levels[1].moves[1]: tactic 'linkage' is not in this "
        "persona's repertoire; add it to 'tactics' or remove it from this level"
    ]


def test_unknown_slot_with_suggestion(tmp_path: Path) -> None:
    errors, _ = with_persona(tmp_path, "Decide before {deadline}.", "Decide before {dedline}.")
    assert errors == [
        "personas/envoy.yaml:41: phrasebook.tactics.deadline_pressure[2]: unknown slot "
        "{dedline}; did you mean {deadline}?"
    ]


def test_unknown_slot_lists_the_available_ones(tmp_path: Path) -> None:
    errors, _ = with_persona(tmp_path, '["Go on."]', '["Go on, {xyz}."]')
    assert errors == [
        "personas/envoy.yaml:36: phrasebook.openers.engage[0]: unknown slot {xyz}; available: "
        "{conceded}, {counterpart_name}, {counterpart_role}, {counterpart_title}, {deadline}, "
        "{demand}, {first_demand}, {next_demand}, {previous_demand}, {trainee_role}"
    ]


def test_persona_terms_are_slots_too(tmp_path: Path) -> None:
    errors, _ = with_persona(
        tmp_path,
        '    - "Tell me more."\n',
        '    - "Tell me more about {capital}."\nterms:\n  capital: Vell\n',
    )
    assert errors == []


def test_difficulty_past_the_ladder(tmp_path: Path) -> None:
    errors, _ = with_persona(
        tmp_path, "phrasebook:\n", "difficulties:\n  hard:\n    start: 3\nphrasebook:\n"
    )
    assert errors == [
        "personas/envoy.yaml:32: difficulties.hard.start: start 3 is past the last ladder level (1)"
    ]


def test_yml_files_are_ignored_with_a_warning(tmp_path: Path) -> None:
    make_library(tmp_path)
    write(tmp_path, "rubrics/extra.yml", "id: extra\n")
    _, warnings = errors_and_warnings(tmp_path)
    assert warnings == [
        "rubrics/extra.yml: ignored: rubric files must end in .yaml; rename it to 'extra.yaml'"
    ]


# --- warnings: reported, never fatal ------------------------------------------------------


def test_ladder_without_a_way_down(tmp_path: Path) -> None:
    errors, warnings = with_persona(tmp_path, "temperament: patient", "temperament: hothead")
    assert errors == []
    assert (
        "personas/envoy.yaml:19: ladder: the ladder has no way down: no trainee move makes "
        "this persona de-escalate; give one response under ladder.responses a negative climb"
    ) in warnings
    assert "envoy" in Library(tmp_path).personas


def test_response_prefers_a_tactic_outside_the_repertoire(tmp_path: Path) -> None:
    _, warnings = with_persona(
        tmp_path,
        "ladder:\n",
        "ladder:\n  responses:\n    stalls: {climb: 0, reaction: press, prefer: [linkage]}\n",
    )
    assert warnings == [
        "personas/envoy.yaml:21: ladder.responses.stalls.prefer[0]: tactic 'linkage' is not "
        "in the repertoire, so it is never used"
    ]


def test_tactic_without_lines_and_tactic_with_few_lines(tmp_path: Path) -> None:
    cut = PERSONA.index("    threat:\n")
    end = PERSONA.index("  neutral:")
    text = PERSONA[:cut] + PERSONA[end:]
    text = text.replace('      - "Decide before {deadline}."\n', "")
    make_library(tmp_path)
    write(tmp_path, PERSONA_FILE, text)
    _, warnings = errors_and_warnings(tmp_path)
    assert warnings == [
        "personas/envoy.yaml:15: tactics[2]: tactic 'threat' has no phrasebook lines; the "
        "offline counterpart cannot use it (add phrasebook.tactics.threat)",
        "personas/envoy.yaml:38: phrasebook.tactics.deadline_pressure: only 2 line(s) for "
        "tactic 'deadline_pressure'; write at least 3 so replies do not repeat",
    ]


def test_lines_for_a_tactic_outside_the_repertoire(tmp_path: Path) -> None:
    _, warnings = with_persona(tmp_path, "    threat:\n", "    linkage: [a, b, c]\n    threat:\n")
    assert warnings == [
        "personas/envoy.yaml:46: phrasebook.tactics.linkage: tactic 'linkage' is not in the "
        "repertoire, so these lines are never used"
    ]


def test_missing_openers_for_a_used_reaction(tmp_path: Path) -> None:
    _, warnings = with_persona(tmp_path, '    warn: ["Careful."]\n', "")
    assert warnings == [
        "personas/envoy.yaml:31: phrasebook.openers: no openers for reaction 'warn', which "
        "this persona uses when the trainee escalates"
    ]


def test_scenario_no_persona_plays(tmp_path: Path) -> None:
    make_library(tmp_path)
    write(
        tmp_path,
        "personas/scenarios/quiet-talks.yaml",
        SCENARIO.replace("id: border-talks", "id: quiet-talks"),
    )
    errors, warnings = errors_and_warnings(tmp_path)
    assert errors == []
    assert warnings == [
        "personas/scenarios/quiet-talks.yaml:2: id: no persona plays scenario 'quiet-talks'; "
        "set `scenario: quiet-talks` in a persona"
    ]


def test_missing_schema_line(tmp_path: Path) -> None:
    make_library(tmp_path)
    write(tmp_path, PERSONA_FILE, PERSONA.split("\n", 1)[1])
    _, warnings = errors_and_warnings(tmp_path)
    assert warnings == [
        "personas/envoy.yaml:1: the first line should be '# yaml-language-server: "
        "$schema=../schemas/persona.schema.json' so editors check the file as you type"
    ]
