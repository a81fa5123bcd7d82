"""review: close the session with the after-action review."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from coach.engine.context import SessionContext
from coach.engine.state import SessionState
from coach.engine.transcript import assessment_of, bare_turn, scenario_summary
from coach.evaluation.review import build_review


async def review(state: SessionState, runtime: Runtime[SessionContext]) -> dict[str, Any]:
    """Aggregate the evaluator's labels into the review, with the judge's scores of the
    session criteria (one model call with an LLM judge), and mark the session ended."""
    ctx = runtime.context
    turns = state.get("turns") or []
    labels = {}
    for i, turn in enumerate(turns):
        if turn["speaker"] == "trainee":
            verdict = assessment_of(dict(state), i)
            if verdict is not None:
                labels[i] = verdict.labels
    session = await ctx.judge.score_session(
        scenario_summary(ctx.scenario), [bare_turn(t) for t in turns], ctx.rubric
    )
    result = build_review(
        ctx.rubric, ctx.scenario, turns, labels, state.get("level_path") or [], session
    )
    return {"ended": True, "review": result.model_dump(mode="json")}
