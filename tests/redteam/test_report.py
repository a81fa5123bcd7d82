"""Aggregation, the discrimination check, and the files a trainer reads."""

from __future__ import annotations

import json
from pathlib import Path

from coach.redteam.metrics import Contradiction
from coach.redteam.report import build_report, summary_lines, write_report
from coach.redteam.results import ExchangeTurn, RunResult

SETTINGS = {
    "runs": 2,
    "turns": 2,
    "seed": 0,
    "trainee_backend": "offline templates",
    "counterpart_backend": "offline phrasebook",
}


def result(style: str, run: int, overall: float | None, passed: bool, **extra) -> RunResult:  # type: ignore[no-untyped-def]
    turns = [
        ExchangeTurn(
            speaker="counterpart", text="Sign by noon.", tactics=["deadline_pressure"], level=0
        ),
        ExchangeTurn(
            speaker="trainee",
            text=f"{style} says something {run}.",
            tone=4,
            signals=["holds_calmly"],
            breaches=extra.pop("turn_breaches", []),
        ),
        ExchangeTurn(speaker="counterpart", text="Then hear this.", tactics=["threat"], level=1),
    ]
    return RunResult(
        style=style,
        run=run,
        session_id=f"s-{style}-{run}",
        trainee_backend="offline",
        counterpart_backend="offline",
        turns=turns,
        tactics=[["deadline_pressure"], ["threat"]],
        ladder_path=[0, 1],
        overall=overall,
        passed=passed,
        criteria={"tone": overall},
        **extra,
    )


def report(*runs: RunResult):  # type: ignore[no-untyped-def]
    return build_report(runs, persona="p", scenario="s", rubric="default", settings=SETTINGS)


def separated() -> list[RunResult]:
    return [
        result("firm", 0, 4.5, True),
        result("firm", 1, 4.3, True),
        result("conceding", 0, 2.9, False, breaches=[{"red_line": "no-x", "turn_index": 1}]),
        result("conceding", 1, 3.1, False),
        result("hothead", 0, 3.2, False),
        result("hothead", 1, 3.0, False),
    ]


def test_styles_are_aggregated() -> None:
    rep = report(*separated())
    firm, conceding = rep.styles["firm"], rep.styles["conceding"]
    assert (firm.overall_mean, firm.overall_min, firm.overall_max) == (4.4, 4.3, 4.5)
    assert (firm.passed, firm.pass_rate) == (2, 1.0)
    assert conceding.breaches == 1 and conceding.breaches_by_line == {"no-x": 1}
    assert firm.tactic_counts == {"deadline_pressure": 2, "threat": 2}
    assert firm.ladder_paths == [[0, 1], [0, 1]] and firm.peak_level_mean == 1
    assert list(rep.styles) == ["firm", "conceding", "hothead"]


def test_no_flag_when_scores_separate() -> None:
    rep = report(*separated())
    assert rep.flags == []
    assert any("No discrimination flags" in line for line in summary_lines(rep))


def test_flags_when_scores_do_not_separate() -> None:
    rep = report(
        result("firm", 0, 4.0, True),
        result("conceding", 0, 3.8, True),
        result("hothead", 0, 4.1, True),
    )
    codes = [f.code for f in rep.flags]
    assert codes == ["conceding-passed", "conceding-not-below-firm", "hothead-not-below-firm"]
    assert "3.8 is not at least 0.5 below firm mean 4.0" in rep.flags[1].message


def test_a_conceding_pass_is_flagged_even_when_the_means_separate() -> None:
    runs = separated()
    runs[3] = result("conceding", 1, 3.1, True)
    assert [f.code for f in report(*runs).flags] == ["conceding-passed"]


def test_unscored_styles_cannot_be_compared() -> None:
    rep = report(result("firm", 0, None, False), result("conceding", 0, 2.0, False))
    assert [f.code for f in rep.flags] == ["unscored"]


def test_comparisons_need_both_styles() -> None:
    assert report(result("firm", 0, 4.0, True), result("evasive", 0, 4.5, True)).flags == []


def test_warnings_name_what_the_persona_did() -> None:
    odd = Contradiction(kind="demand_retreat", turn=2, earlier=1, detail="went back")
    rep = report(
        result("firm", 0, 4.5, False, leaks=[2], contradictions=[odd]),
        result("evasive", 0, 3.5, True),
    )
    codes = [w.code for w in rep.warnings]
    assert codes == ["firm-failed", "weak-play-passed", "bottom-line-leak", "contradictions"]


def test_files_for_the_trainer(tmp_path: Path) -> None:
    runs = separated()
    runs[1] = result(
        "firm",
        1,
        4.3,
        True,
        contradictions=[
            Contradiction(kind="final_offer_moved", turn=2, earlier=1, detail="moved the offer")
        ],
    )
    rep = report(*runs[:2], result("conceding", 0, 4.2, True))
    json_path, md_path = write_report(rep, tmp_path / "out")
    data = json.loads(json_path.read_text())
    assert data["persona"] == "p" and len(data["runs"]) == 3
    assert data["flags"][0]["code"] == "conceding-passed"
    md = md_path.read_text()
    assert md.index("## Flags") < md.index("conceding-passed") < md.index("## Styles")
    assert "| firm | 4.40 | 4.30 | 4.50 | 2/2 | 0 |" in md
    assert md.count("Sample exchange") == 2
    assert "> **Trainee**: firm says something 0." in md
    assert "contradiction (turn 2): moved the offer" in md
