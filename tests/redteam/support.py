"""Shared helpers: the shipped library, a service over it, and transcript contexts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coach.config import Settings
from coach.domain.persona import Persona
from coach.domain.scenario import Scenario
from coach.domain.transcript import Turn
from coach.engine.session import SessionService
from coach.library import Library
from coach.redteam.styles import TraineeTurnContext

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = Library(ROOT)
SHIPPED = sorted(LIBRARY.personas)


def persona_and_scenario(persona_id: str = "minister-tesk") -> tuple[Persona, Scenario]:
    """A shipped persona and its scenario."""
    persona = LIBRARY.personas[persona_id]
    return persona, LIBRARY.scenarios[persona.scenario]


async def service(tmp_path: Path, **kwargs: Any) -> SessionService:
    """An in-memory service over the shipped library (offline unless models are given)."""
    return await SessionService.open(
        Settings(data_dir=tmp_path), LIBRARY, database_url="memory://", **kwargs
    )


def context(
    persona: Persona, scenario: Scenario, turns: list[Turn], number: int, total: int = 8
) -> TraineeTurnContext:
    """The trainee's view before turn `number`."""
    return TraineeTurnContext(scenario, persona, list(turns), number, total)


def counterpart(text: str, *tactics: str) -> Turn:
    """A counterpart turn applying `tactics`."""
    return Turn(speaker="counterpart", text=text, tactics=list(tactics))
