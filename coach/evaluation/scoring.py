"""Session scores: per-criterion means over trainee turns (a blocker's worst turn), weighted
by the rubric.

A red-line breach (any failure of a `blocker` criterion) fails the session whatever the
other scores. Shared by the session review and by batch evaluation reports.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from coach.domain.assessment import CriterionResult
from coach.domain.rubric import Criterion, Measure, Rubric
from coach.domain.transcript import TurnLabels
from coach.evaluation.offline.legitimacy import read_legitimacy


class SessionScores(BaseModel):
    """A session's scores against a rubric."""

    criteria: list[CriterionResult]
    overall: float | None
    passed: bool
    blockers: list[str]
    """Why the session failed on a compliance blocker ('red line X breached at turn N')."""


OFFLINE_MEASURE = "offline measure"
NO_MEASURE = (
    "no offline measure reads this criterion; an LLM judge scores it at the end of the session"
)


def session_result(criterion: Criterion, trainee_turns: Sequence[str]) -> CriterionResult:
    """A session criterion scored by its offline measure over the trainee's turns (unscored,
    with the reason, when it has none)."""
    score: float | None = None
    quotes: list[str] = []
    judge, reason = None, NO_MEASURE
    if criterion.measure == Measure.LEGITIMACY:
        judge, reason = OFFLINE_MEASURE, ""
        if trainee_turns:
            read = read_legitimacy(trainee_turns)
            score, quotes = float(read.score), read.quotes
    return CriterionResult(
        criterion=criterion.id,
        name=criterion.name,
        weight=criterion.weight,
        score=score,
        quotes=quotes,
        judge=judge,
        reason=reason,
    )


def _session_score(scores: list[int], blocker: bool) -> float | None:
    """The mean of the turn scores; a blocker criterion takes its worst turn, so a session
    failed on a red line never shows a good red-line score."""
    if not scores:
        return None
    return float(min(scores)) if blocker else round(sum(scores) / len(scores), 2)


def aggregate(
    rubric: Rubric,
    labelled: list[tuple[int, TurnLabels]],
    trainee_turns: Sequence[str] | None = None,
    session: Sequence[CriterionResult] | None = None,
) -> SessionScores:
    """Scores from (turn index, labels) of every trainee turn. Session criteria take the
    judge's session verdict (`session`) when given, else their offline measure over the
    trainee's turns (`trainee_turns`, the texts)."""
    given = {r.criterion: r for r in session or ()}
    results: list[CriterionResult] = []
    for criterion in rubric.criteria:
        if criterion.applies_to == "session" and criterion.id in given:
            results.append(given[criterion.id])
            continue
        if criterion.applies_to == "session" and trainee_turns is not None:
            results.append(session_result(criterion, trainee_turns))
            continue
        scores: list[int] = []
        quotes: list[tuple[int, str]] = []
        for _, labels in labelled:
            for cs in labels.criteria or []:
                if cs.criterion == criterion.id and cs.score is not None:
                    scores.append(cs.score)
                    if cs.evidence:
                        quotes.append((cs.score, cs.evidence))
        quotes.sort(key=lambda q: q[0])
        picked = [q for _, q in quotes[:2]] + [q for _, q in quotes[-1:]] if quotes else []
        results.append(
            CriterionResult(
                criterion=criterion.id,
                name=criterion.name,
                weight=criterion.weight,
                score=_session_score(scores, criterion.blocker),
                quotes=list(dict.fromkeys(picked)),
            )
        )
    scored = [r for r in results if r.score is not None]
    weight = sum(r.weight for r in scored)
    total = sum((r.score or 0.0) * r.weight for r in scored)
    overall = round(total / weight, 2) if weight else None

    blockers: list[str] = []
    for criterion in rubric.criteria:
        if not criterion.blocker:
            continue
        for index, labels in labelled:
            if criterion.measure == Measure.RED_LINES and labels.red_line_breaches:
                ids = ", ".join(labels.red_line_breaches)
                blockers.append(f"red line {ids} breached at turn {index + 1}")
            elif any(
                cs.criterion == criterion.id and cs.score is not None and cs.score <= 1
                for cs in labels.criteria or []
            ):
                blockers.append(f"{criterion.name} failed at turn {index + 1}")
    passed = not blockers and overall is not None and overall >= rubric.pass_mark
    return SessionScores(criteria=results, overall=overall, passed=passed, blockers=blockers)
