"""Choosing the backend: real models when an endpoint is configured, else None (offline)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.llm.base import ChatModel

if TYPE_CHECKING:  # coach.config imports coach.llm.base: avoid the import cycle at runtime
    from coach.config import Settings

KEY_NOT_NEEDED = "not-needed"
"""The API key sent to a local endpoint configured with OPENAI_BASE_URL but no key."""


def build_models(settings: Settings) -> tuple[ChatModel | None, ChatModel | None]:
    """The (counterpart, evaluator) models, or (None, None) when no endpoint is configured.

    None means: use the offline backend (phrasebook counterpart, rule-based judge). With only
    OPENAI_BASE_URL set (a local llama.cpp or vLLM server), the key sent is "not-needed".
    Raises `RealModelRequestBlocked` for a non-loopback endpoint while real requests are
    blocked (`COACH_BLOCK_REAL_MODELS=1`, as in the test suite).
    """
    if not settings.llm_configured:
        return None, None
    from coach.llm.openai_model import OpenAIChatModel  # imports openai: only when needed

    api_key = settings.api_key or KEY_NOT_NEEDED
    counterpart = OpenAIChatModel(
        settings.counterpart, api_key=api_key, base_url=settings.base_url, role="counterpart"
    )
    evaluator = OpenAIChatModel(
        settings.evaluator, api_key=api_key, base_url=settings.base_url, role="evaluator"
    )
    return counterpart, evaluator
