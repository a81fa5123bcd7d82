"""`coach redteam` end to end on a shipped persona, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.cli import main
from tests.redteam.support import ROOT


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No endpoint, the repo's library, a private data dir."""
    monkeypatch.setenv("COACH_LIBRARY_DIR", str(ROOT))
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))


def test_whole_run_writes_both_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report"
    code = main(
        ["redteam", "--persona", "minister-tesk", "--runs", "1", "--turns", "4", "--out", str(out)]
    )
    data = json.loads((out / "redteam.json").read_text())
    assert code == (1 if data["flags"] else 0)
    assert [s for s in data["styles"]] == [
        "firm",
        "conceding",
        "hothead",
        "evasive",
        "tactic-namer",
    ]
    assert all(len(r["tactics"]) == 5 for r in data["runs"])
    assert data["settings"]["turns"] == 4 and data["settings"]["judge"] == "offline"
    md = (out / "redteam.md").read_text()
    assert md.startswith("# Red-team report: minister-tesk")
    printed = capsys.readouterr().out
    assert printed.startswith("Red team: minister-tesk (kessa-dam), rubric default")
    assert f"Report: {out / 'redteam.md'}" in printed


def test_default_folder_and_chosen_styles(tmp_path: Path) -> None:
    main(
        [
            "redteam",
            "--persona",
            "chairman-solay",
            "--runs",
            "1",
            "--turns",
            "2",
            "--trainee-style",
            "firm",
            "evasive",
            "--seed",
            "3",
        ]
    )
    (folder,) = (tmp_path / "data" / "redteam").iterdir()
    assert folder.name.startswith("chairman-solay-")
    data = json.loads((folder / "redteam.json").read_text())
    assert list(data["styles"]) == ["firm", "evasive"] and data["settings"]["seed"] == 3


def test_unknown_persona_and_bad_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["redteam", "--persona", "minister-tusk"]) == 2
    assert "unknown persona 'minister-tusk'" in capsys.readouterr().err
    assert main(["redteam", "--persona", "minister-tesk", "--turns", "0"]) == 2


def test_exit_1_when_a_discrimination_flag_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("coach.redteam.report.MARGIN", 10.0)  # no persona can separate by 10
    code = main(
        [
            "redteam",
            "--persona",
            "minister-tesk",
            "--runs",
            "1",
            "--turns",
            "2",
            "--trainee-style",
            "firm",
            "conceding",
            "--out",
            str(tmp_path / "r"),
        ]
    )
    assert code == 1
    assert "FLAG conceding-not-below-firm" in capsys.readouterr().out
