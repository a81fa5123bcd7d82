"""Runtime settings from the environment: which backend, which models, where data lives."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, Field

from coach.domain.errors import UserError
from coach.llm.base import ModelSettings

N = TypeVar("N", int, float)


class Settings(BaseModel):
    """Everything coach reads from the environment, in one place."""

    api_key: str | None = None
    base_url: str | None = None
    counterpart: ModelSettings = Field(
        default_factory=lambda: ModelSettings(model="gpt-4o-mini", temperature=0.8)
    )
    evaluator: ModelSettings = Field(
        default_factory=lambda: ModelSettings(model="gpt-4o-mini", temperature=0.0, max_tokens=900)
    )
    data_dir: Path = Path(".coach")
    library_dir: Path = Path(".")
    token_budget: int = 3000
    max_message_chars: int = 4000

    @property
    def llm_configured(self) -> bool:
        """True when an OpenAI-compatible endpoint is configured."""
        return bool(self.api_key or self.base_url)

    @property
    def backend_label(self) -> str:
        """What the UI and CLI show as the active backend."""
        if not self.llm_configured:
            return "offline (embedded phrasebook and rule-based judge; no LLM configured)"
        where = self.base_url or "api.openai.com"
        return f"LLM {self.counterpart.model} at {where} (evaluator: {self.evaluator.model})"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read settings from environment variables (COACH_*, OPENAI_API_KEY, OPENAI_BASE_URL).

    Raises `UserError` naming the variable when a number does not parse or is out of range.
    """
    env = dict(os.environ if env is None else env)
    timeout = _number(env, "COACH_LLM_TIMEOUT", 30.0, float, low=0.1)
    retries = _number(env, "COACH_LLM_RETRIES", 2, int, low=0)
    return Settings(
        api_key=env.get("OPENAI_API_KEY") or None,
        base_url=env.get("OPENAI_BASE_URL") or None,
        counterpart=ModelSettings(
            model=env.get("COACH_COUNTERPART_MODEL", "gpt-4o-mini"),
            temperature=_number(env, "COACH_COUNTERPART_TEMPERATURE", 0.8, float, low=0.0),
            max_tokens=_number(env, "COACH_COUNTERPART_MAX_TOKENS", 400, int, low=16),
            timeout=timeout,
            max_retries=retries,
        ),
        evaluator=ModelSettings(
            model=env.get(
                "COACH_EVALUATOR_MODEL", env.get("COACH_COUNTERPART_MODEL", "gpt-4o-mini")
            ),
            temperature=0.0,
            max_tokens=_number(env, "COACH_EVALUATOR_MAX_TOKENS", 900, int, low=16),
            timeout=timeout,
            max_retries=retries,
        ),
        data_dir=Path(env.get("COACH_DATA_DIR", ".coach")),
        library_dir=Path(env.get("COACH_LIBRARY_DIR", ".")),
        token_budget=_number(env, "COACH_TOKEN_BUDGET", 3000, int, low=200),
    )


def _number(env: dict[str, str], name: str, default: N, kind: type[N], *, low: N) -> N:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise UserError(f"{name}={raw!r} is not a number (default {default})") from None
    if value < low:
        raise UserError(f"{name}={raw!r} is below {low} (default {default})")
    return value
