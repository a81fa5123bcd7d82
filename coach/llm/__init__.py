"""The model layer: the `ChatModel` interface, the OpenAI-compatible client, fakes, tokens.

`OpenAIChatModel` is imported lazily (on first access), so `import coach.llm` stays fast and
does not load the openai SDK for offline use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coach.llm import guard
from coach.llm.base import ChatMessage, ChatModel, ModelSettings
from coach.llm.factory import build_models
from coach.llm.fake import FunctionModel, ScriptedModel, ScriptExhausted
from coach.llm.guard import RealModelRequestBlocked, check_model_requests_allowed
from coach.llm.tokens import count_messages, count_tokens, fit_history, get_tokenizer

if TYPE_CHECKING:
    from coach.llm.openai_model import OpenAIChatModel

__all__ = [
    "ChatMessage",
    "ChatModel",
    "FunctionModel",
    "ModelSettings",
    "OpenAIChatModel",
    "RealModelRequestBlocked",
    "ScriptExhausted",
    "ScriptedModel",
    "build_models",
    "check_model_requests_allowed",
    "count_messages",
    "count_tokens",
    "fit_history",
    "get_tokenizer",
    "guard",
]


def __getattr__(name: str) -> Any:
    if name == "OpenAIChatModel":
        from coach.llm.openai_model import OpenAIChatModel

        return OpenAIChatModel
    raise AttributeError(f"module 'coach.llm' has no attribute {name!r}")
