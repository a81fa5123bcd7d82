"""What a red-team run records: plain pydantic models, written as JSON."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from coach.redteam.metrics import Contradiction, Repeat


class ExchangeTurn(BaseModel):
    """One utterance of a run, with what the engine recorded about it."""

    speaker: str
    text: str
    tactics: list[str] | None = None
    """Counterpart turns: the tactics the strategist planned."""
    level: int | None = None
    reaction: str | None = None
    leaked: bool | None = None
    """Counterpart turns: whether the reply states the hidden bottom line."""
    breaches: list[str] | None = None
    """Trainee turns: red lines the judge found given up."""
    tone: int | None = None
    escalation: int | None = None
    signals: list[str] | None = None
    tactics_named: list[str] | None = None


class RunResult(BaseModel):
    """One simulated session: a style played against the persona for N turns."""

    style: str
    run: int
    session_id: str
    trainee_backend: str
    counterpart_backend: str
    turns: list[ExchangeTurn] = Field(default_factory=list)
    tactics: list[list[str]] = Field(default_factory=list)
    """Tactics of each counterpart turn, the opening move first."""
    ladder_path: list[int] = Field(default_factory=list)
    """Ladder level after each counterpart turn."""
    demand_path: list[int | None] = Field(default_factory=list)
    """Index of the demand each counterpart turn pressed (None: named none)."""
    repeats: list[Repeat] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list)
    leaks: list[int] = Field(default_factory=list)
    """Counterpart turns (1-based) that stated the hidden bottom line."""
    overall: float | None = None
    passed: bool = False
    criteria: dict[str, float | None] = Field(default_factory=dict)
    breaches: list[dict[str, Any]] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    """Rejected inputs and model failures, as the engine reported them."""
    stand_ins: int = 0
    """Turns the offline template played for a model-driven trainee."""
