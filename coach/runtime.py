"""Wiring: settings + library + models + store → a SessionService (used by the CLI and UI)."""

from __future__ import annotations

from coach.config import Settings, load_settings
from coach.engine.session import SessionService
from coach.library import Library
from coach.llm.factory import build_models


async def open_service(
    settings: Settings | None = None, *, database_url: str | None = None
) -> SessionService:
    """A service over the library in COACH_LIBRARY_DIR, with the LLM when one is configured."""
    settings = settings or load_settings()
    library = Library(settings.library_dir)
    counterpart, evaluator = build_models(settings)
    return await SessionService.open(
        settings,
        library,
        database_url=database_url,
        counterpart_model=counterpart,
        evaluator_model=evaluator,
    )
