"""What the evaluator says about one turn, and the after-action review of a session."""

from __future__ import annotations

from pydantic import BaseModel, Field

from coach.domain.persona import Signal
from coach.domain.transcript import TurnLabels


class TurnAssessment(BaseModel):
    """The evaluator's verdict on one trainee turn."""

    turn_index: int = Field(description="Index of the trainee turn in the transcript.")
    labels: TurnLabels
    signals: list[Signal] = Field(
        default_factory=list, description="What the turn did, for the strategist."
    )
    tactics_named: list[str] = Field(
        default_factory=list, description="Tactic ids the trainee named or neutralised."
    )


class CriterionResult(BaseModel):
    """A criterion's session score with the quotes that earned it."""

    criterion: str
    name: str
    weight: float
    score: float | None = Field(
        description="Mean of the turn scores, or the session judgement; None when unscored."
    )
    quotes: list[str] = Field(default_factory=list)
    judge: str | None = Field(
        default=None, description="Who scored a session criterion (turn labels carry their own)."
    )
    reason: str = Field(default="", description="Why a session criterion got its score, or none.")


class KeyMoment(BaseModel):
    """A turn that mattered, with what a better move would have been."""

    turn_index: int
    quote: str
    what_happened: str
    better_alternative: str


class SessionReview(BaseModel):
    """The after-action review."""

    passed: bool
    outcome: str = Field(description="One paragraph: the verdict and why.")
    overall: float | None
    criteria: list[CriterionResult]
    breaches: list[dict[str, object]] = Field(
        default_factory=list, description="{red_line, turn_index, quote} per breach."
    )
    escalation_path: list[int] = Field(
        default_factory=list, description="Counterpart ladder level after each exchange."
    )
    moments: list[KeyMoment] = Field(default_factory=list)
