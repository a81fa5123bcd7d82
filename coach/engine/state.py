"""The session graph's state: lean, because it is checkpointed at every step."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict


def merge_dicts(left: dict[str, Any] | None, right: dict[str, Any] | None) -> dict[str, Any]:
    """Reducer: keys of the update win; used for per-turn maps written by parallel nodes."""
    return {**(left or {}), **(right or {})}


class TurnInput(TypedDict, total=False):
    """What one invocation brings in."""

    incoming: str
    """The trainee's message, as typed."""
    command: str
    """'open' (the counterpart's first move) or 'end' (close the session and review it)."""


class SessionState(TurnInput, total=False):
    """Everything a session needs to continue after a restart."""

    phase: str
    """What this invocation does: 'open', 'turn' or 'end' (set by intake)."""
    turns: Annotated[list[dict[str, Any]], operator.add]
    """Utterances in order, as interchange-format dicts (labels live in `assessments`)."""
    level: int
    """The counterpart's current rung on its escalation ladder."""
    level_path: Annotated[list[int], operator.add]
    """The ladder level after each counterpart turn, for the review's chart."""
    demand_index: int
    """Which of the persona's demands is being pressed now."""
    plan: dict[str, Any]
    """The strategist's decision for the counterpart's next turn (a CounterpartPlan)."""
    quick: dict[str, Any]
    """The offline judge's reading of the latest trainee turn (a TurnAssessment)."""
    assessments: Annotated[dict[str, Any], merge_dicts]
    """Evaluator verdicts keyed by trainee turn index (as a string)."""
    ledger: Annotated[list[dict[str, Any]], operator.add]
    """Red-line breaches: {red_line, turn_index, quote}."""
    hints: Annotated[dict[str, Any], merge_dicts]
    """Coaching hint after each trainee turn, keyed by turn index (as a string)."""
    used_lines: Annotated[list[str], operator.add]
    """Fingerprints of phrasebook lines already spoken (the offline speaker never repeats)."""
    rejection: str | None
    """Why the latest input was refused (empty, too long, ...); None when accepted."""
    model_error: str | None
    """The latest model failure shown to the trainee, if any."""
    ended: bool
    """True once the session is closed."""
    review: dict[str, Any] | None
    """The after-action review (a SessionReview), once ended."""
