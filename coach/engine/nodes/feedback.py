"""feedback: a short coaching hint after each trainee turn (practice mode only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langgraph.runtime import Runtime

from coach.domain.assessment import TurnAssessment
from coach.domain.rubric import Measure
from coach.domain.tactics import TACTIC_COUNTERS, tactic_label
from coach.engine.context import SessionContext
from coach.engine.state import SessionState
from coach.engine.transcript import last_trainee_index


def hint_for(
    verdict: TurnAssessment | None,
    tactics: list[str],
    red_lines: dict[str, str],
    red_line_criteria: frozenset[str] = frozenset(),
    answered: Sequence[str] = (),
) -> str:
    """One or two sentences: what the last turn did, and how to counter the tactic now in play.

    A breach quotes the words that gave the line up when the judge's red-line criterion
    (`red_line_criteria`, the rubric's ids) carries them as evidence. `answered` are the
    tactics of the counterpart turn the trainee just answered: a tactic used again gets a
    different hint from the one already given (name it, or stop arguing it if named)."""
    parts: list[str] = []
    if verdict is not None:
        labels = verdict.labels
        if labels.red_line_breaches:
            lines = "; ".join(red_lines.get(r, r) for r in labels.red_line_breaches)
            said = next(
                (
                    c.evidence
                    for c in labels.criteria or []
                    if c.criterion in red_line_criteria
                    and c.evidence
                    and c.score is not None
                    and c.score <= 2
                ),
                "",
            )
            where = f'"{said}" gave it up. ' if said else ""
            parts.append(
                f"Red line given up ({lines}). {where}Walk it back now, plainly, and offer a "
                "reversible, verifiable alternative instead."
            )
        elif labels.escalation == 1:
            parts.append(
                "You raised the temperature: hold the line without counter-threats; point to "
                "your alternative (BATNA) instead."
            )
        elif labels.tone <= 2:
            parts.append("Composure: shorter sentences, no sarcasm or pleading.")
        elif verdict.tactics_named:
            if answered and not set(verdict.tactics_named) & set(answered):
                parts.append(
                    f"You named {tactic_label(verdict.tactics_named[0])}, but the move you "
                    f"answered was {tactic_label(answered[0])}: name the one in play."
                )
            else:
                parts.append("Good: you named their tactic, which takes away much of its force.")
    fresh = [t for t in tactics if t not in answered]
    if fresh:
        main = fresh[0]
        parts.append(f"Now: {tactic_label(main)}. {TACTIC_COUNTERS[main]}")
    elif tactics:
        label = tactic_label(tactics[0])
        if verdict is not None and tactics[0] in verdict.tactics_named:
            parts.append(
                f"Still {label}, though you named it: do not argue it again; restate your "
                "position once and move the talk to your proposal."
            )
        else:
            parts.append(
                f"{label[:1].upper()}{label[1:]} again: it keeps working until you name it. "
                "Name it calmly, then restate what you can offer."
            )
    else:
        parts.append("They are listening now: ask a question, and propose a small verifiable step.")
    return " ".join(parts)


def feedback(state: SessionState, runtime: Runtime[SessionContext]) -> dict[str, Any]:
    """Record the hint for the latest trainee turn; silence in exam mode."""
    ctx = runtime.context
    turns = state.get("turns") or []
    index = last_trainee_index(turns)
    if ctx.mode == "exam" or index is None:
        return {}
    raw = (state.get("assessments") or {}).get(str(index))
    verdict = TurnAssessment.model_validate(raw) if raw else None
    tactics = list(turns[-1].get("tactics") or []) if turns[-1]["speaker"] == "counterpart" else []
    before = turns[index - 1] if index > 0 else None
    answered = (
        list(before.get("tactics") or []) if before and before["speaker"] == "counterpart" else []
    )
    red_lines = {r.id: r.statement for r in ctx.scenario.red_lines}
    criteria = frozenset(c.id for c in ctx.rubric.criteria if c.measure == Measure.RED_LINES)
    return {"hints": {str(index): hint_for(verdict, tactics, red_lines, criteria, answered)}}
