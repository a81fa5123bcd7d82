"""`coach validate`, `coach schema` and `coach personas`: whole-output comparisons."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.cli import main
from tests.library.fixtures import PERSONA, make_library, write

REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid library in the current folder."""
    make_library(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COACH_LIBRARY_DIR", raising=False)
    return tmp_path


def test_validate_clean_library(capsys: pytest.CaptureFixture[str], library: Path) -> None:
    assert run(capsys, "validate") == (0, "ok: 3 files checked, no problems\n", "")


def test_validate_whole_output_with_errors_and_warnings(
    capsys: pytest.CaptureFixture[str], library: Path
) -> None:
    write(
        library,
        "personas/envoy.yaml",
        PERSONA.replace("  - threat\ndemands", "  - ultimatem\ndemands"),
    )
    write(library, "personas/bully.yaml", "- a list\n")
    write(
        library,
        "personas/hot.yaml",
        PERSONA.replace("id: envoy", "id: hot").replace(
            "temperament: patient", "temperament: hothead"
        ),
    )
    code, out, err = run(capsys, "validate")
    assert (code, err) == (1, "")
    assert out == (
        "personas/bully.yaml:1: expected a mapping of fields at the top level "
        "(key: value lines), got a list\n"
        "personas/envoy.yaml:15: tactics[2]: unknown tactic 'ultimatem'; "
        "did you mean 'ultimatum'?\n"
        "warning: personas/hot.yaml:19: ladder: the ladder has no way down: no trainee move "
        "makes this persona de-escalate; give one response under ladder.responses a negative "
        "climb\n"
        "warning: personas/hot.yaml:31: phrasebook.openers: no openers for reaction 'counter', "
        "which this persona uses when the trainee escalates\n"
        "warning: personas/hot.yaml:31: phrasebook.openers: no openers for reaction 'deny', "
        "which this persona uses when the trainee names a tactic\n"
        "warning: personas/hot.yaml:31: phrasebook.openers: no openers for reaction 'hurry', "
        "which this persona uses when the trainee stalls\n"
        "warning: personas/hot.yaml:31: phrasebook.openers: no openers for reaction 'switch', "
        "which this persona uses when the trainee holds calmly\n"
        "2 errors, 5 warnings in 5 files\n"
    )


def test_validate_one_file_in_its_library(
    capsys: pytest.CaptureFixture[str], library: Path
) -> None:
    write(
        library,
        "personas/envoy.yaml",
        PERSONA.replace("scenario: border-talks", "scenario: border-talk"),
    )
    code, out, _ = run(capsys, "validate", "personas/envoy.yaml")
    assert code == 1
    assert out == (
        "personas/envoy.yaml:5: scenario: unknown scenario 'border-talk'; "
        "did you mean 'border-talks'?\n"
        "1 error, 0 warnings in 1 file\n"
    )


def test_validate_a_folder_and_a_missing_path(
    capsys: pytest.CaptureFixture[str], library: Path
) -> None:
    code, out, _ = run(capsys, "validate", "rubrics", "nowhere.yaml")
    assert code == 1
    assert out == "nowhere.yaml: no such file or folder\n1 error, 0 warnings in 1 file\n"


def test_validate_a_file_outside_any_library(
    capsys: pytest.CaptureFixture[str], library: Path
) -> None:
    write(
        library,
        "drafts/new.yaml",
        "# yaml-language-server: $schema=rubric.schema.json\nid: new\ntitle: New\ncriteria: []\n",
    )
    code, out, _ = run(capsys, "validate", "drafts")
    assert code == 1
    assert out == (
        "drafts/new.yaml:4: criteria: needs at least 1 item(s), has 0\n"
        "1 error, 0 warnings in 1 file\n"
    )


def test_personas_table_lists_good_ones_and_reports_bad_ones(
    capsys: pytest.CaptureFixture[str], library: Path
) -> None:
    write(library, "personas/bully.yaml", "")
    code, out, err = run(capsys, "personas")
    assert code == 0
    assert out == (
        "ID     NAME         SCENARIO      TEMPERAMENT  TACTICS\n"
        "envoy  Viktor Hale  border-talks  patient      "
        "deadline_pressure, salami_slicing, threat\n"
    )
    assert err == "personas/bully.yaml:1: the file is empty; it needs the fields of its kind\n"


def test_schema_command_writes_the_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_dir = tmp_path / "s"
    code, out, _ = run(capsys, "schema", "--out", str(out_dir))
    assert code == 0
    assert out == "".join(
        f"wrote {out_dir / name}\n"
        for name in ("persona.schema.json", "scenario.schema.json", "rubric.schema.json")
    )
    committed = REPO / "schemas" / "persona.schema.json"
    assert (out_dir / "persona.schema.json").read_text() == committed.read_text()


@pytest.mark.skipif(
    not any((REPO / "personas").glob("*.yaml")), reason="the shipped library is not written yet"
)
def test_shipped_library_validates(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_LIBRARY_DIR", str(REPO))
    code, out, _ = run(capsys, "validate")
    assert code == 0, out
