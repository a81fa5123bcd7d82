"""Fakes that satisfy `ChatModel` without a network: a scripted queue and a reply function.

They fail loudly rather than repeat themselves: a script that runs dry raises
`ScriptExhausted`, so a test that makes one call too many says so.
"""

from __future__ import annotations

import inspect
import re
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any

from coach.llm.base import ChatMessage


class ScriptExhausted(AssertionError):
    """A scripted model was called more times than it had replies for."""


def split_into_chunks(text: str) -> list[str]:
    """Split `text` into word-sized chunks (each keeps its trailing space) that join back to it."""
    return re.findall(r"\s*\S+\s*|\s+", text)


class _RecordingModel:
    """What both fakes share: the name, the log of requests, and streaming by chunks."""

    name: str

    def __init__(self, name: str) -> None:
        self.name = name
        self.requests: list[list[ChatMessage]] = []
        """Every request's messages, in call order (copies, safe from later mutation)."""
        self.json_schemas: list[dict | None] = []
        """The `json_schema` of every request, in call order (None for plain and streamed)."""
        self.last_usage: dict[str, int] | None = None
        """Always None: fakes do not count tokens."""

    def _record(self, messages: list[ChatMessage], json_schema: dict | None) -> None:
        self.requests.append([m.model_copy() for m in messages])
        self.json_schemas.append(json_schema)

    async def _reply(self, messages: list[ChatMessage], json_schema: dict | None) -> str:
        raise NotImplementedError

    async def complete(
        self, messages: list[ChatMessage], *, json_schema: dict | None = None
    ) -> str:
        """The whole reply (recorded first, so a failing call is still in `.requests`)."""
        self._record(messages, json_schema)
        return await self._reply(messages, json_schema)

    async def stream(self, messages: list[ChatMessage]) -> AsyncIterator[str]:
        """The same reply `complete` would give, in word-sized chunks."""
        self._record(messages, None)
        reply = await self._reply(messages, None)
        for chunk in split_into_chunks(reply):
            yield chunk


class ScriptedModel(_RecordingModel):
    """Answers with the given replies in order; an Exception in the list is raised at that call.

    >>> model = ScriptedModel(["Good morning.", TimeoutError("slow")])
    """

    def __init__(
        self, replies: Iterable[str | BaseException] = (), name: str = "fake/scripted"
    ) -> None:
        super().__init__(name)
        self._queue: deque[str | BaseException] = deque(replies)
        self.calls = 0
        """How many replies (or scripted exceptions) have been used."""

    def enqueue(self, *replies: str | BaseException) -> None:
        """Add replies to the end of the script."""
        self._queue.extend(replies)

    @property
    def remaining(self) -> int:
        """How many replies are left in the script."""
        return len(self._queue)

    async def _reply(self, messages: list[ChatMessage], json_schema: dict | None) -> str:
        if not self._queue:
            raise ScriptExhausted(f"scripted model ran out of replies after {self.calls} calls")
        self.calls += 1
        reply = self._queue.popleft()
        if isinstance(reply, BaseException):
            raise reply
        return reply


ReplyFunction = Callable[..., str | Awaitable[str]]
"""`fn(messages)` or `fn(messages, json_schema=...)`, sync or async, returning the reply."""


class FunctionModel(_RecordingModel):
    """Computes each reply from the messages with `fn` (sync or async).

    If `fn` takes a `json_schema` parameter, it receives the request's schema too.
    """

    def __init__(self, fn: ReplyFunction, name: str = "fake/function") -> None:
        super().__init__(name)
        self._fn = fn
        try:
            self._wants_schema = "json_schema" in inspect.signature(fn).parameters
        except (TypeError, ValueError):
            self._wants_schema = False

    async def _reply(self, messages: list[ChatMessage], json_schema: dict | None) -> str:
        kwargs: dict[str, Any] = {"json_schema": json_schema} if self._wants_schema else {}
        result = self._fn(list(messages), **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return str(result)
