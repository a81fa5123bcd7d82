"""The model layer: the `ChatModel` interface, the OpenAI-compatible client, fakes, tokens."""

from coach.llm.base import ChatMessage, ChatModel, ModelSettings
from coach.llm.fake import FunctionModel, ScriptedModel, ScriptExhausted
from coach.llm.tokens import count_messages, count_tokens, fit_history, get_tokenizer

__all__ = [
    "ChatMessage",
    "ChatModel",
    "FunctionModel",
    "ModelSettings",
    "ScriptExhausted",
    "ScriptedModel",
    "count_messages",
    "count_tokens",
    "fit_history",
    "get_tokenizer",
]
