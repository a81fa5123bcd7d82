"""evaluator: label the trainee's turn against the rubric (runs beside the speaker)."""

from __future__ import annotations

import asyncio
from typing import Any

from langgraph.runtime import Runtime

from coach.domain.assessment import TurnAssessment
from coach.engine.context import SessionContext
from coach.engine.state import SessionState
from coach.engine.transcript import last_trainee_index, turn_context


async def evaluator(state: SessionState, runtime: Runtime[SessionContext]) -> dict[str, Any]:
    """Score the latest trainee turn and record any red-line breach in the ledger."""
    ctx = runtime.context
    turns = state.get("turns") or []
    index = last_trainee_index(turns)
    if index is None:
        return {}
    quick = state.get("quick")
    if ctx.judge is ctx.quick_judge and quick:
        verdict = TurnAssessment.model_validate(quick)
    else:
        # Let the speaker send its request first: the trainee waits for the counterpart's
        # reply, while the judge's call has slack (measured: about 3 ms of the judge's request
        # building otherwise sits before the speaker's).
        await asyncio.sleep(0)
        verdict = await ctx.judge.assess_trainee_turn(
            turn_context(ctx.scenario, turns, index), ctx.rubric
        )
        if quick:  # the strategist acted on the offline signals; keep them on record
            verdict.signals = TurnAssessment.model_validate(quick).signals
    ledger = [
        {"red_line": r, "turn_index": index, "quote": turns[index]["text"][:300]}
        for r in verdict.labels.red_line_breaches
    ]
    return {"assessments": {str(index): verdict.model_dump(mode="json")}, "ledger": ledger}
