"""Runtime settings from the environment: which backend, which models, where data lives."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field

from coach.llm.base import ModelSettings


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
    """Read settings from environment variables (COACH_*, OPENAI_API_KEY, OPENAI_BASE_URL)."""
    env = dict(os.environ if env is None else env)
    timeout = float(env.get("COACH_LLM_TIMEOUT", "30"))
    retries = int(env.get("COACH_LLM_RETRIES", "2"))
    return Settings(
        api_key=env.get("OPENAI_API_KEY") or None,
        base_url=env.get("OPENAI_BASE_URL") or None,
        counterpart=ModelSettings(
            model=env.get("COACH_COUNTERPART_MODEL", "gpt-4o-mini"),
            temperature=float(env.get("COACH_COUNTERPART_TEMPERATURE", "0.8")),
            timeout=timeout,
            max_retries=retries,
        ),
        evaluator=ModelSettings(
            model=env.get(
                "COACH_EVALUATOR_MODEL", env.get("COACH_COUNTERPART_MODEL", "gpt-4o-mini")
            ),
            temperature=0.0,
            max_tokens=900,
            timeout=timeout,
            max_retries=retries,
        ),
        data_dir=Path(env.get("COACH_DATA_DIR", ".coach")),
        library_dir=Path(env.get("COACH_LIBRARY_DIR", ".")),
        token_budget=int(env.get("COACH_TOKEN_BUDGET", "3000")),
    )
