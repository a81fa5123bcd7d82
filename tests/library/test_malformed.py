"""Malformed data files: each one must say exactly what is wrong, where, and how to fix it.

Every case writes a broken variant of a small valid file (tests/library/fixtures.py) and
asserts the exact `FILE:LINE: FIELD: message` lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.library import LibraryFileError, load_item
from coach.library.loader import Kind
from tests.library.fixtures import PERSONA, RUBRIC, SCENARIO

TACTICS = (
    "'ultimatum', 'deadline_pressure', 'threat', 'salami_slicing', 'extreme_anchor', "
    "'linkage', 'divide_and_rule', 'disinformation', 'good_cop_bad_cop', 'fait_accompli', "
    "'public_pressure', 'inducement'"
)
BASE = {"persona": PERSONA, "scenario": SCENARIO, "rubric": RUBRIC}
FILES = {"persona": "envoy.yaml", "scenario": "border-talks.yaml", "rubric": "default.yaml"}


def edit(kind: Kind, old: str, new: str) -> str:
    """The valid file of `kind` with one exact piece of text replaced."""
    text = BASE[kind]
    assert old in text, f"fixture does not contain {old!r}"
    return text.replace(old, new, 1)


P: Kind = "persona"
S: Kind = "scenario"
R: Kind = "rubric"

CASES: dict[str, tuple[Kind, str | bytes, list[str]]] = {
    # --- YAML syntax ---------------------------------------------------------------------
    "syntax_colon_in_value": (
        P,
        edit(P, "name: Viktor Hale", "name: Viktor: Hale"),
        ["F:3: YAML syntax error at column 13: mapping values are not allowed here"],
    ),
    "syntax_tab_indent": (
        P,
        edit(P, "  - Secure the corridor", "\t- Secure the corridor"),
        ["F:10: YAML syntax error at column 1: a tab character; indent with spaces only"],
    ),
    "syntax_unclosed_flow_list": (
        P,
        edit(P, "moves: [salami_slicing]", "moves: [salami_slicing"),
        [
            "F:25: YAML syntax error at column 11: expected ',' or ']', but got ':' "
            "(while parsing a flow sequence started on line 24)"
        ],
    ),
    "syntax_two_documents": (
        S,
        SCENARIO + "---\nid: other\n",
        [
            "F:18: YAML syntax error at column 1: only one YAML document per file; "
            "remove the '---' line"
        ],
    ),
    # --- wrong types -----------------------------------------------------------------------
    "type_number_for_list": (
        P,
        edit(P, "goals:\n  - Secure the corridor", "goals: 3"),
        ["F:9: goals: expected a list, got a number (3)"],
    ),
    "type_list_for_text": (
        P,
        edit(P, "name: Viktor Hale", "name: [Viktor, Hale]"),
        ["F:3: name: expected text, got a list"],
    ),
    "type_number_for_text_suggests_quotes": (
        S,
        edit(S, "deadline: Friday noon", "deadline: 500"),
        ['F:17: terms.deadline: expected text, got a number (500); put it in quotes: "500"'],
    ),
    "type_empty_value_for_mapping": (
        P,
        edit(P, "ladder:\n  start: 0\n", "ladder:\nladder_old:\n  start: 0\n").split("ladder_old:")[
            0
        ]
        + "phrasebook_x: 1\n",
        [
            "F:19: ladder: expected a mapping (key: value lines), got nothing (the value is empty)",
            "F:20: phrasebook_x: unknown field 'phrasebook_x'; did you mean 'phrasebook'?",
        ],
    ),
    "type_text_for_number": (
        R,
        edit(R, "weight: 1", "weight: heavy"),
        ["F:8: criteria[0].weight: expected a number, got text ('heavy')"],
    ),
    "type_criteria_not_a_list": (
        R,
        RUBRIC.split("criteria:")[0] + "criteria: tone\n",
        ["F:4: criteria: expected a list, got text ('tone')"],
    ),
    # --- unknown keys --------------------------------------------------------------------
    "unknown_key_with_suggestion": (
        P,
        edit(P, "tactics:\n  - dead", "tactcs:\n  - dead"),
        ["F:12: tactcs: unknown field 'tactcs'; did you mean 'tactics'?"],
    ),
    "unknown_nested_key_with_suggestion": (
        P,
        edit(P, "posture: Deadlines", "postur: Deadlines"),
        ["F:26: ladder.levels[1].postur: unknown field 'postur'; did you mean 'posture'?"],
    ),
    "unknown_key_lists_allowed_fields": (
        R,
        edit(R, "title: Core rubric", "title: Core rubric\ncolour: red"),
        [
            "F:4: colour: unknown field 'colour'; allowed fields: id, title, description, "
            "pass_mark, criteria"
        ],
    ),
    # --- missing fields ------------------------------------------------------------------
    "missing_top_level_field": (
        P,
        edit(P, "title: Special Envoy\n", ""),
        ["F:2: title: missing required field 'title'"],
    ),
    "missing_nested_field": (
        P,
        edit(P, "      posture: Deadlines and warnings.\n", ""),
        ["F:25: ladder.levels[1].posture: missing required field 'posture'"],
    ),
    "missing_brief": (
        S,
        SCENARIO.split("brief:")[0] + "facts: []\n",
        ["F:2: brief: missing required field 'brief'"],
    ),
    # --- unknown choices -------------------------------------------------------------------
    "unknown_tactic_with_suggestion": (
        P,
        edit(P, "  - threat\ndemands", "  - ultimatem\ndemands"),
        ["F:15: tactics[2]: unknown tactic 'ultimatem'; did you mean 'ultimatum'?"],
    ),
    "unknown_tactic_without_suggestion": (
        P,
        edit(P, "  - threat\ndemands", "  - bribery\ndemands"),
        [f"F:15: tactics[2]: unknown tactic 'bribery'; expected one of {TACTICS}"],
    ),
    "unknown_move_in_flow_list": (
        P,
        edit(P, "moves: [salami_slicing]", "moves: [salami_slice]"),
        [
            "F:24: ladder.levels[0].moves[0]: unknown tactic 'salami_slice'; "
            "did you mean 'salami_slicing'?"
        ],
    ),
    "bad_enum_temperament": (
        P,
        edit(P, "temperament: patient", "temperament: pateint"),
        ["F:8: temperament: unknown temperament 'pateint'; did you mean 'patient'?"],
    ),
    "bad_enum_signal_key": (
        P,
        edit(P, "ladder:\n", "ladder:\n  responses:\n    stals: {climb: 1, reaction: press}\n"),
        ["F:21: ladder.responses.stals: unknown signal 'stals'; did you mean 'stalls'?"],
    ),
    "bad_enum_reaction": (
        P,
        edit(P, "ladder:\n", "ladder:\n  responses:\n    stalls: {climb: 1, reaction: hurri}\n"),
        ["F:21: ladder.responses.stalls.reaction: unknown reaction 'hurri'; did you mean 'hurry'?"],
    ),
    "bad_literal_applies_to": (
        R,
        edit(R, "weight: 1", "weight: 1\n    applies_to: turns"),
        [
            "F:9: criteria[0].applies_to: unknown value 'turns'; "
            "expected one of 'trainee_turn', 'session'"
        ],
    ),
    # --- values out of range -------------------------------------------------------------
    "ladder_start_out_of_range": (
        P,
        edit(P, "  start: 0", "  start: 5"),
        ["F:20: ladder.start: start 5 is past the last level (1)"],
    ),
    "ladder_start_negative": (
        P,
        edit(P, "  start: 0", "  start: -1"),
        ["F:20: ladder.start: must be at least 0, got -1"],
    ),
    "climb_too_high": (
        P,
        edit(P, "ladder:\n", "ladder:\n  responses:\n    stalls: {climb: 5, reaction: hurry}\n"),
        ["F:21: ladder.responses.stalls.climb: must be at most 2, got 5"],
    ),
    "ladder_with_one_level": (
        P,
        PERSONA.split("    - name: Pressure")[0] + "phrasebook: {}\n",
        ["F:21: ladder.levels: needs at least 2 item(s), has 1"],
    ),
    "id_not_a_slug": (
        P,
        edit(P, "id: envoy", "id: Envoy One"),
        [
            "F:2: id: 'Envoy One' is not a valid id: use lowercase letters, digits and hyphens "
            "(e.g. 'border-crisis')"
        ],
    ),
    "empty_text": (
        P,
        edit(P, "name: Viktor Hale", 'name: ""'),
        ["F:3: name: must not be empty"],
    ),
    "text_too_short": (
        P,
        edit(P, "summary: A patient envoy who slices concessions thin.", "summary: Short"),
        ["F:6: summary: too short: write at least 10 characters"],
    ),
    # --- rubric levels -------------------------------------------------------------------
    "levels_missing_a_descriptor": (
        R,
        edit(R, "      4: Calm and firm.\n", ""),
        ["F:9: criteria[0].levels: levels must be exactly 1 to 5 (missing 4)"],
    ),
    "session_measure_on_a_turn_criterion": (
        R,
        edit(R, "weight: 1", "weight: 1\n    measure: legitimacy"),
        [
            "F:9: criteria[0].measure: measure 'legitimacy' reads a whole session: set "
            "applies_to: session"
        ],
    ),
    "levels_with_a_sixth": (
        R,
        RUBRIC + "      6: Perfect.\n",
        ["F:9: criteria[0].levels: levels must be exactly 1 to 5 (unexpected 6)"],
    ),
    "level_descriptor_too_short": (
        R,
        edit(R, "3: Mostly calm.", "3: ok"),
        ["F:9: criteria[0].levels: level 3 needs a descriptor a trainer can apply"],
    ),
    "levels_key_not_a_number": (
        R,
        edit(R, "5: Calm, firm and warm.", "five: Calm, firm and warm."),
        ["F:14: criteria[0].levels.five: expected a whole number as the key, got text ('five')"],
    ),
    "criterion_id_used_twice": (
        R,
        RUBRIC + RUBRIC[RUBRIC.index("  - id: tone") :],
        ["F:15: criteria[1].id: criterion id 'tone' is used twice"],
    ),
    # --- scenario validators ---------------------------------------------------------------
    "term_name_not_a_word": (
        S,
        edit(S, "  deadline: Friday noon", "  deadline: Friday noon\n  due-date: Monday"),
        ["F:18: terms.due-date: term name 'due-date' must be letters, digits and underscores"],
    ),
    "red_line_id_used_twice": (
        S,
        edit(
            S,
            "  fallback:",
            "    - id: no-troops\n      statement: Said twice, on purpose.\n  fallback:",
        ),
        ["F:13: brief.red_lines[1].id: red line id 'no-troops' is used twice"],
    ),
    # --- the file as a whole -------------------------------------------------------------
    "duplicate_keys": (
        P,
        edit(P, "name: Viktor Hale", "name: Viktor Hale\nname: Viktor Other"),
        ["F:4: name: duplicate key 'name' (first at line 3); keep only one"],
    ),
    "duplicate_nested_keys": (
        P,
        edit(P, '    ease: ["I hear you."]', '    ease: ["I hear you."]\n    ease: []'),
        ["F:34: phrasebook.openers.ease: duplicate key 'ease' (first at line 33); keep only one"],
    ),
    "list_at_top_level": (
        P,
        "- id: envoy\n- name: Viktor\n",
        ["F:1: expected a mapping of fields at the top level (key: value lines), got a list"],
    ),
    "text_at_top_level": (
        P,
        "# a comment\njust some words\n",
        [
            "F:2: expected a mapping of fields at the top level (key: value lines), "
            "got text ('just some words')"
        ],
    ),
    "empty_file": (P, "", ["F:1: the file is empty; it needs the fields of its kind"]),
    "only_comments": (
        P,
        "# yaml-language-server: $schema=../schemas/persona.schema.json\n# todo\n",
        ["F:1: the file is empty; it needs the fields of its kind"],
    ),
    "not_utf8": (
        P,
        edit(P, "Viktor Hale", "Viktor Hal\u00e9").encode("latin-1"),
        ["F:3: not UTF-8 text (byte 0xe9 at offset 89); save the file as UTF-8"],
    ),
    "huge_file": (
        P,
        PERSONA + "# padding\n" * 110_000,
        ["F: the file is too large (1,101,328 bytes; the limit is 1 MB)"],
    ),
    "python_tag_is_never_run": (
        P,
        edit(P, "name: Viktor Hale", "name: !!python/object/apply:os.system ['echo hi']"),
        ["F:3: name: YAML tag '!!python/object/apply:os.system' is not allowed here; remove it"],
    ),
    "custom_tag_on_text": (
        P,
        edit(P, "name: Viktor Hale", "name: !include other.yaml"),
        [
            "F:3: name: cannot read this value: could not determine a constructor for the "
            "tag '!include'"
        ],
    ),
    "recursive_alias": (
        P,
        edit(P, "goals:\n  - Secure the corridor", "goals: &g\n  - *g"),
        ["F:9: goals[0]: an alias refers to itself; YAML anchors cannot be recursive"],
    ),
    "control_character": (
        P,
        edit(P, "name: Viktor Hale", "name: Viktor\x07Hale"),
        ["F:3: special character '\\x07' (#x0007) is not allowed in YAML"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_file_reports_exact_message_and_line(tmp_path: Path, case: str) -> None:
    kind, content, expected = CASES[case]
    path = tmp_path / FILES[kind]
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(LibraryFileError) as caught:
        load_item(kind, path, "F")
    assert caught.value.problems == expected


def test_there_are_at_least_thirty_malformed_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("kind", ["persona", "scenario", "rubric"])
def test_the_valid_fixtures_are_valid(tmp_path: Path, kind: Kind) -> None:
    path = tmp_path / FILES[kind]
    path.write_text(BASE[kind], encoding="utf-8")
    assert load_item(kind, path).id == FILES[kind].removesuffix(".yaml")


def test_merge_keys_and_anchors_are_allowed(tmp_path: Path) -> None:
    text = edit("persona", "phrasebook:\n", "x_lines: &lines [Careful.]\nphrasebook:\n").replace(
        'warn: ["Careful."]', "warn: *lines"
    )
    path = tmp_path / "envoy.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LibraryFileError) as caught:  # the helper key is still unknown
        load_item("persona", path, "F")
    assert caught.value.problems == [
        "F:30: x_lines: unknown field 'x_lines'; allowed fields: id, name, title, scenario, "
        "summary, voice, temperament, goals, hidden_bottom_line, tactics, demands, ladder, "
        "phrasebook, terms, difficulties"
    ]


def test_a_date_in_a_text_field_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "border-talks.yaml"
    path.write_text(edit(S, "Friday noon", "2025-05-01"), encoding="utf-8")
    scenario = load_item("scenario", path).model
    assert scenario.terms == {"deadline": "2025-05-01"}  # type: ignore[attr-defined]
