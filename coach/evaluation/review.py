"""The after-action review: verdict, scores with quotes, and the moments that mattered."""

from __future__ import annotations

from typing import Any

from coach.domain.assessment import CriterionResult, KeyMoment, SessionReview
from coach.domain.rubric import Rubric
from coach.domain.scenario import Scenario
from coach.domain.tactics import TACTIC_COUNTERS, tactic_label
from coach.domain.transcript import TurnLabels
from coach.evaluation.scoring import aggregate


def _quote(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _faced(turns: list[dict[str, Any]], index: int) -> list[str]:
    """Tactics of the counterpart turn the trainee was answering."""
    for j in range(index - 1, -1, -1):
        if turns[j]["speaker"] == "counterpart":
            return list(turns[j].get("tactics") or [])
    return []


def _moment(
    scenario: Scenario, turns: list[dict[str, Any]], index: int, labels: TurnLabels
) -> tuple[int, KeyMoment]:
    """(severity, moment) for one trainee turn."""
    text = turns[index]["text"]
    faced = _faced(turns, index)
    facing = f" under {', '.join(tactic_label(t) for t in faced)}" if faced else ""
    counter = TACTIC_COUNTERS.get(faced[0], "") if faced else ""
    if labels.red_line_breaches:
        lines = [scenario.red_line(r) for r in labels.red_line_breaches]
        said = "; ".join(r.statement for r in lines if r) or ", ".join(labels.red_line_breaches)
        return 100, KeyMoment(
            turn_index=index,
            quote=_quote(text),
            what_happened=f"Red line given up{facing}: {said}",
            better_alternative="Restate the red line in one calm sentence, then offer what the "
            f"mandate allows instead ({_allowed(scenario)}), as a verifiable, reversible step. "
            f"Your fallback stands: {scenario.brief.fallback}",
        )
    if labels.escalation == 1:
        return 60 + (5 - labels.tone) * 5, KeyMoment(
            turn_index=index,
            quote=_quote(text),
            what_happened=f"You raised the temperature{facing}.",
            better_alternative="Hold the position without a counter-threat: name the cost to "
            "both sides, point to your alternative (BATNA), and propose a process. " + counter,
        )
    if labels.tone <= 3:
        return 40 + (5 - labels.tone) * 5, KeyMoment(
            turn_index=index,
            quote=_quote(text),
            what_happened=f"Composure slipped (tone {labels.tone}/5){facing}.",
            better_alternative="Precise, non-escalatory language: short sentences, no sarcasm, "
            "no pleading; state what you can do and what you cannot. " + counter,
        )
    if labels.escalation == -1 and labels.tone >= 4:
        return 20, KeyMoment(
            turn_index=index,
            quote=_quote(text),
            what_happened=f"A good move{facing}: you lowered the temperature without giving "
            "up a red line.",
            better_alternative="Keep it: make the next step small, reciprocal and verifiable, "
            "and fix a date for it yourself.",
        )
    return 10, KeyMoment(
        turn_index=index,
        quote=_quote(text),
        what_happened=f"You held your position{facing}.",
        better_alternative=counter or "Ask a question that makes them explain their demand.",
    )


def _allowed(scenario: Scenario) -> str:
    return "; ".join(scenario.brief.may_concede[:2]) or "what your mandate permits"


def build_review(
    rubric: Rubric,
    scenario: Scenario,
    turns: list[dict[str, Any]],
    labels: dict[int, TurnLabels],
    level_path: list[int],
    session: list[CriterionResult] | None = None,
) -> SessionReview:
    """The after-action review of a session; `session` holds the judge's scores of the
    session criteria (their offline measures when not given)."""
    labelled = sorted(labels.items())
    scores = aggregate(rubric, labelled, [turns[i]["text"] for i, _ in labelled], session)
    breaches = [
        {"red_line": r, "turn_index": i, "quote": _quote(turns[i]["text"])}
        for i, lab in labelled
        for r in lab.red_line_breaches
    ]
    ranked = sorted(
        (_moment(scenario, turns, i, lab) for i, lab in labelled),
        key=lambda pair: (-pair[0], pair[1].turn_index),
    )
    moments = sorted((m for _, m in ranked[:3]), key=lambda m: m.turn_index)
    if not labelled:
        outcome = "No trainee turns were played: nothing to score."
        passed = False
    elif scores.blockers:
        outcome = (
            "Failed: " + "; ".join(scores.blockers) + ". A breached red line fails the "
            "session whatever the other scores."
        )
        passed = False
    elif scores.passed:
        outcome = (
            f"Passed: weighted score {scores.overall} against a pass mark of "
            f"{rubric.pass_mark}, every red line intact."
        )
        passed = True
    else:
        outcome = (
            f"Not yet: weighted score {scores.overall} is below the pass mark of "
            f"{rubric.pass_mark}, though every red line held."
        )
        passed = False
    return SessionReview(
        passed=passed,
        outcome=outcome,
        overall=scores.overall,
        criteria=scores.criteria,
        breaches=breaches,
        escalation_path=level_path,
        moments=moments,
    )
