"""Session scores: weighted means, a blocker's worst turn, and the blockers that fail it."""

from __future__ import annotations

from coach.domain.rubric import Rubric
from coach.domain.transcript import CriterionScore, TurnLabels
from coach.evaluation.scoring import aggregate

LEVELS = {i: f"level {i} descriptor" for i in range(1, 6)}
ABOUT = "What the criterion looks at."
RUBRIC = Rubric.model_validate({
    "id": "scoring", "title": "Scoring test", "pass_mark": 3.0,
    "criteria": [
        {"id": "tone", "name": "Tone", "description": ABOUT, "weight": 1, "measure": "tone",
         "levels": LEVELS},
        {"id": "lines", "name": "Red lines", "description": ABOUT, "weight": 2,
         "measure": "red_lines", "blocker": True, "levels": LEVELS},
    ],
})  # fmt: skip


def turn(tone: int, lines: int, breaches: list[str] | None = None) -> TurnLabels:
    return TurnLabels(
        tone=tone,
        escalation=0,
        red_line_breaches=breaches or [],
        criteria=[
            CriterionScore(criterion="tone", score=tone),
            CriterionScore(criterion="lines", score=lines),
        ],
    )


def test_a_blocker_criterion_takes_its_worst_turn_and_fails_the_session() -> None:
    scores = aggregate(RUBRIC, [(1, turn(5, 5)), (3, turn(4, 1, ["no-x"])), (5, turn(5, 5))])
    by_id = {c.criterion: c.score for c in scores.criteria}
    assert by_id == {"tone": 4.67, "lines": 1.0}  # not the 3.67 a mean would show
    assert scores.overall == round((4.67 + 2 * 1.0) / 3, 2)
    assert not scores.passed and scores.blockers == ["red line no-x breached at turn 4"]


def test_without_a_breach_the_weighted_mean_decides() -> None:
    scores = aggregate(RUBRIC, [(1, turn(3, 5)), (3, turn(4, 5))])
    assert {c.criterion: c.score for c in scores.criteria} == {"tone": 3.5, "lines": 5.0}
    assert scores.overall == 4.5 and scores.passed and scores.blockers == []
