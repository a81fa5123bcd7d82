"""What the engine hands to the UI and the CLI."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from coach.domain.assessment import SessionReview, TurnAssessment
from coach.domain.persona import Persona
from coach.domain.rubric import Rubric
from coach.domain.scenario import Scenario
from coach.domain.transcript import Transcript, Turn


class SessionView(BaseModel):
    """A session as it stands."""

    session_id: str
    user: str
    persona: Persona
    scenario: Scenario
    rubric: Rubric
    mode: str
    difficulty: str | None
    transcript: Transcript
    level: int
    level_name: str
    ledger: list[dict[str, Any]] = Field(default_factory=list)
    scorecard: dict[str, float | None] = Field(default_factory=dict)
    last_hint: str | None = None
    hints: dict[int, str] = Field(default_factory=dict)
    ended: bool = False
    review: SessionReview | None = None
    backend: str = "offline"
    versions: dict[str, str] = Field(default_factory=dict)

    @property
    def trainee_turns(self) -> int:
        """How many trainee turns were played on this branch."""
        return sum(1 for t in self.transcript.turns if t.speaker == "trainee")


class TurnOutcome(BaseModel):
    """What happened to one trainee message."""

    accepted: bool
    error: str | None = None
    reply: Turn | None = None
    assessment: TurnAssessment | None = None
    hint: str | None = None
    model_error: str | None = None
    view: SessionView


class BranchInfo(BaseModel):
    """One line of play in a session: the tip of a branch of checkpoints."""

    checkpoint_id: str
    trainee_turns: int
    last_text: str
    created_at: str
    current: bool
    ended: bool


class SessionInfo(BaseModel):
    """A session in a user's list."""

    session_id: str
    created_at: str
    persona_id: str
    scenario_id: str
    mode: str
