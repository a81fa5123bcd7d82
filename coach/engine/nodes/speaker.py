"""speaker: render the planned move as the counterpart's words (LLM or offline phrasebook)."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from coach.domain.errors import ModelError
from coach.engine.context import SessionContext
from coach.engine.nodes.intake import now
from coach.engine.phrasebook import render
from coach.engine.prompts import history_messages, move_instruction, system_prompt
from coach.engine.safety import leaks_bottom_line
from coach.engine.state import SessionState
from coach.engine.strategy import CounterpartPlan
from coach.llm.base import ChatMessage
from coach.llm.tokens import fit_history


async def speaker(state: SessionState, runtime: Runtime[SessionContext]) -> dict[str, Any]:
    """Speak the strategist's move; on a model failure, the offline phrasebook stands in."""
    ctx = runtime.context
    plan = CounterpartPlan.model_validate(state["plan"])
    turns = state.get("turns") or []
    text: str | None = None
    backend, error = "offline", None
    lines: list[str] = []
    if ctx.counterpart_model is not None:
        try:
            text = await _llm_reply(ctx, plan, turns, runtime)
            backend = ctx.counterpart_model.name
            if leaks_bottom_line(text, ctx.persona.hidden_bottom_line):
                text, error = None, "the model's reply revealed the hidden bottom line"
        except ModelError as err:
            if ctx.on_model_error == "raise":
                raise
            error = str(err)
        if text is None:
            backend = f"offline (stand-in: {error})"
    if text is None:
        text, lines = _offline_reply(ctx, plan, state, turns)
        if ctx.counterpart_model is not None:
            runtime.stream_writer({"token": text})
    turn = {
        "speaker": "counterpart",
        "text": text,
        "tactics": plan.tactics,
        "level": plan.level,
        "reaction": plan.reaction.value,
        "demand_index": plan.demand_index,
        "backend": backend,
        "timestamp": now(),
    }
    return {"turns": [turn], "level_path": [plan.level], "used_lines": lines, "model_error": error}


def _offline_reply(
    ctx: SessionContext, plan: CounterpartPlan, state: SessionState, turns: list[dict[str, Any]]
) -> tuple[str, list[str]]:
    spoken = {t["text"] for t in turns if t["speaker"] == "counterpart"}
    return render(
        ctx.persona,
        ctx.scenario,
        plan,
        used=list(state.get("used_lines") or []),
        seed=f"{ctx.session_id}:{len(turns)}",
        spoken_before=spoken,
    )


async def _llm_reply(
    ctx: SessionContext,
    plan: CounterpartPlan,
    turns: list[dict[str, Any]],
    runtime: Runtime[SessionContext],
) -> str:
    assert ctx.counterpart_model is not None
    system = [ChatMessage(role="system", content=system_prompt(ctx.persona, ctx.scenario))]
    move = ChatMessage(role="system", content=move_instruction(plan))
    history = fit_history(system, history_messages(turns), ctx.token_budget, reserve=400)
    messages = [*history, move]
    chunks: list[str] = []
    async for chunk in ctx.counterpart_model.stream(messages):
        chunks.append(chunk)
        runtime.stream_writer({"token": chunk})
    text = "".join(chunks).strip()
    if not text:
        raise ModelError("the counterpart model returned an empty reply")
    return text
