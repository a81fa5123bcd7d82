"""The process-wide objects of the practice room: settings, library, engine.

Built once at server start-up (`start_runtime`), closed at shutdown; tests install their own
with `set_runtime`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coach.config import Settings, load_settings
from coach.domain.persona import Persona
from coach.domain.scenario import Scenario
from coach.ui.storage import create_schema, database_url, engine_store_url


@dataclass
class Runtime:
    """What the handlers need: the engine facade and the library it plays from."""

    settings: Settings
    service: Any
    """The engine's `SessionService` (or a stand-in with the same methods in tests)."""
    library: Any
    """The `Library` registry (anything with `personas` and `scenarios` dicts)."""

    def refresh_library(self) -> list[str]:
        """Pick up edited or new data files (hot reload); the library's errors, as lines.

        A file that fails validation keeps its last good version in service; its problem is
        returned so the room can show it.
        """
        refresh = getattr(self.library, "refresh", None)
        if refresh is not None:
            refresh()
        return [str(p) for p in getattr(self.library, "errors", [])]

    def personas(self) -> list[Persona]:
        """The personas in service, by name (the library reloads edited files)."""
        return sorted(self.library.personas.values(), key=lambda p: p.name)

    def persona(self, persona_id: str) -> Persona | None:
        """The persona with that id, if the library has it."""
        return self.library.personas.get(persona_id)

    def scenario_of(self, persona: Persona) -> Scenario | None:
        """The scenario a persona plays."""
        return self.library.scenarios.get(persona.scenario)


_runtime: Runtime | None = None
_startup_error: str | None = None


def record_startup_error(error: BaseException) -> None:
    """Remember why the room could not start, so every page says so instead of failing mutely."""
    global _startup_error
    _startup_error = f"{type(error).__name__}: {error}"


def set_runtime(runtime: Runtime | None) -> None:
    """Install the runtime (tests install one built on fakes)."""
    global _runtime
    _runtime = runtime


def get_runtime() -> Runtime:
    """The runtime; raises if the server has not started it."""
    if _runtime is None:
        if _startup_error:
            from coach.domain.errors import CoachError

            raise CoachError(
                f"the practice room could not start ({_startup_error}); see the server log"
            )
        raise RuntimeError("the practice room has not started (start_runtime was not called)")
    return _runtime


async def start_runtime(env: dict[str, str] | None = None) -> Runtime:
    """Load settings and the library, create the tables, open the engine on the same store."""
    from coach.library import Library
    from coach.runtime import open_service

    settings = load_settings(env)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = database_url(settings.data_dir, env)
    await create_schema(url)
    service = await open_service(settings, database_url=engine_store_url(url))
    library = getattr(service, "library", None) or Library(settings.library_dir)
    runtime = Runtime(settings, service, library)
    set_runtime(runtime)
    return runtime


async def stop_runtime() -> None:
    """Close the engine's store."""
    global _runtime
    if _runtime is not None and hasattr(_runtime.service, "aclose"):
        await _runtime.service.aclose()
    _runtime = None
