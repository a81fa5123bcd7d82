"""The one small model interface every backend implements."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field


class ChatMessage(BaseModel):
    """One chat message sent to a model."""

    role: Literal["system", "user", "assistant"]
    content: str


class ModelSettings(BaseModel):
    """Settings for one model role (the counterpart or the evaluator)."""

    model: str = Field(description="Model name as the endpoint knows it.")
    temperature: float = 0.7
    max_tokens: int = 400
    timeout: float = Field(default=30.0, description="Seconds per request.")
    max_retries: int = 2


@runtime_checkable
class ChatModel(Protocol):
    """A chat model: the OpenAI-compatible client, or a scripted fake in tests."""

    name: str
    """'provider/model', e.g. 'openai/gpt-4o-mini' or 'fake/scripted'."""

    async def complete(
        self, messages: list[ChatMessage], *, json_schema: dict | None = None
    ) -> str:
        """The whole reply. With json_schema, ask for JSON that follows it."""
        ...

    def stream(self, messages: list[ChatMessage]) -> AsyncIterator[str]:
        """The reply as text chunks, as they arrive."""
        ...
