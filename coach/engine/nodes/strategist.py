"""strategist: read the trainee's move and decide the counterpart's next one (deterministic)."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from coach.domain.persona import Signal
from coach.engine.context import SessionContext
from coach.engine.state import SessionState
from coach.engine.strategy import next_plan, opening_plan
from coach.engine.transcript import last_trainee_index, turn_context
from coach.evaluation.offline.offers import offering_sentence


async def strategist(state: SessionState, runtime: Runtime[SessionContext]) -> dict[str, Any]:
    """Plan the counterpart's move from the persona's ladder and the offline judge's signals."""
    ctx = runtime.context
    turns = state.get("turns") or []
    if state.get("phase") == "open" or not turns:
        plan = opening_plan(ctx.persona, ctx.difficulty)
        return {"plan": plan.model_dump(mode="json"), "level": plan.level, "demand_index": 0}
    index = last_trainee_index(turns)
    assert index is not None, "strategist runs after a trainee turn"
    quick = ctx.quick_judge.assess(turn_context(ctx.scenario, turns, index), ctx.rubric)  # type: ignore[attr-defined]
    recent = [t.get("tactics") or [] for t in turns if t["speaker"] == "counterpart"]
    conceded = (state.get("plan") or {}).get("conceded", "")  # kept until the next concession
    if Signal.CONCEDES in quick.signals:
        said = turns[index]["text"]
        conceded = offering_sentence(said) or said
    plan = next_plan(
        ctx.persona,
        level=state.get("level", 0),
        demand_index=state.get("demand_index", 0),
        signals=quick.signals,
        recent_tactics=recent,
        difficulty=ctx.difficulty,
        conceded=conceded,
    )
    return {
        "plan": plan.model_dump(mode="json"),
        "quick": quick.model_dump(mode="json"),
        "level": plan.level,
        "demand_index": plan.demand_index,
    }


def route_after_strategist(state: SessionState) -> list[str]:
    """The speaker always runs; the evaluator runs beside it when there is a turn to judge."""
    if state.get("phase") == "open":
        return ["speaker"]
    return ["speaker", "evaluator"]
