"""Between the graph's state and the interchange format."""

from __future__ import annotations

from typing import Any

from coach.domain.assessment import TurnAssessment
from coach.domain.scenario import Scenario
from coach.domain.transcript import RedLineRef, ScenarioSummary, Transcript, Turn
from coach.evaluation.base import TurnContext

BARE_FIELDS = ("speaker", "text")


def scenario_summary(scenario: Scenario) -> ScenarioSummary:
    """The scenario block of a transcript."""
    return ScenarioSummary(
        id=scenario.id,
        title=scenario.title,
        trainee_role=scenario.trainee_role,
        counterpart_role=scenario.counterpart_role,
        context=scenario.context,
        red_lines=[RedLineRef(id=r.id, statement=r.statement) for r in scenario.red_lines],
    )


def bare_turn(turn: dict[str, Any]) -> Turn:
    """A turn as a judge may see it: who spoke and what was said, nothing else."""
    return Turn(speaker=turn["speaker"], text=turn["text"])


def turn_context(scenario: Scenario, turns: list[dict[str, Any]], index: int) -> TurnContext:
    """The judge's view of turn `index`."""
    return TurnContext(
        scenario=scenario_summary(scenario),
        history=[bare_turn(t) for t in turns[:index]],
        turn=bare_turn(turns[index]),
        turn_index=index,
    )


def last_trainee_index(turns: list[dict[str, Any]]) -> int | None:
    """Index of the latest trainee turn."""
    for i in range(len(turns) - 1, -1, -1):
        if turns[i]["speaker"] == "trainee":
            return i
    return None


def assessment_of(state: dict[str, Any], index: int) -> TurnAssessment | None:
    """The evaluator's verdict on a trainee turn, if any."""
    raw = (state.get("assessments") or {}).get(str(index))
    return TurnAssessment.model_validate(raw) if raw else None


def build_transcript(
    session_id: str, scenario: Scenario, state: dict[str, Any], extras: dict[str, Any]
) -> Transcript:
    """The session as an interchange transcript: tactics on counterpart turns, labels on
    trainee turns, extra fields (timestamps, levels, backend) kept."""
    turns = []
    for i, raw in enumerate(state.get("turns") or []):
        turn = dict(raw)
        if turn["speaker"] == "trainee":
            verdict = assessment_of(state, i)
            if verdict is not None:
                turn["labels"] = verdict.labels.model_dump(mode="json", exclude_none=True)
                hint = (state.get("hints") or {}).get(str(i))
                if hint:
                    turn["hint"] = hint
        turns.append(turn)
    return Transcript.model_validate(
        {
            "id": session_id,
            "scenario": scenario_summary(scenario).model_dump(),
            "turns": turns,
            **extras,
        }
    )
