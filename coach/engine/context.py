"""Run-time context handed to every node: the pinned library items, judges and models."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from coach.domain.persona import Persona
from coach.domain.rubric import Rubric
from coach.domain.scenario import Scenario
from coach.evaluation.base import Judge
from coach.llm.base import ChatModel

Mode = Literal["practice", "exam"]


@dataclass
class SessionContext:
    """What the nodes read but never write: it is not checkpointed."""

    persona: Persona
    scenario: Scenario
    rubric: Rubric
    judge: Judge
    """The evaluator (the offline judge, or the LLM judge with the offline one as fallback)."""
    quick_judge: Judge
    """The offline judge, whose deterministic signals drive the strategist."""
    counterpart_model: ChatModel | None = None
    """None: the offline phrasebook speaks."""
    mode: Mode = "practice"
    difficulty: str | None = None
    session_id: str = ""
    token_budget: int = 3000
    max_message_chars: int = 4000
    on_model_error: Literal["offline", "raise"] = "offline"
    backend: str = "offline"
    extras: dict[str, str] = field(default_factory=dict)
