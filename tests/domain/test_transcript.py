"""The interchange format is read and written back losslessly, extra fields included."""

import json
from pathlib import Path

import pytest

from coach.domain import DataFileError, load_transcript, parse_transcript

EVALS = Path(__file__).resolve().parents[2] / "evals"
FILES = sorted(
    p
    for folder in ("dev", "generalisation", "train", "transcripts", "unseen")
    for p in (EVALS / folder).glob("*.json")
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_shipped_transcript_round_trips(path: Path) -> None:
    original = json.loads(path.read_text(encoding="utf-8"))
    assert json.loads(load_transcript(path).to_json()) == original


def test_extra_fields_anywhere_are_kept() -> None:
    data = {
        "id": "t1",
        "note": "kept",
        "scenario": {"id": "s", "red_lines": [{"id": "r", "statement": "No.", "x": 1}], "y": 2},
        "turns": [
            {"speaker": "counterpart", "text": "Sign.", "tactics": [], "level": 2},
            {"speaker": "trainee", "text": "No.", "timestamp": "2026-01-01T00:00:00Z",
             "labels": {"tone": 5, "escalation": 0, "red_line_breaches": [], "judge": "gold"}},
        ],
    }  # fmt: skip
    assert parse_transcript(data).to_dict() == data


def test_a_malformed_transcript_names_the_file_and_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "t", "scenario": {"id": "s"},
                               "turns": [{"speaker": "mediator", "text": "hi"}]}))  # fmt: skip
    with pytest.raises(DataFileError) as err:
        load_transcript(bad)
    assert str(bad) in str(err.value) and "turns[0].speaker" in str(err.value)


def test_invalid_json_gives_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{\n  "id": "t",\n  "turns": [\n}')
    with pytest.raises(DataFileError, match=r"broken.json:4: invalid JSON"):
        load_transcript(bad)
