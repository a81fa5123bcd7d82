"""`ChatModel` over any OpenAI-compatible chat completions endpoint (openai 3.x, httpx2).

Retries are the SDK's own: `max_retries` with exponential backoff that honours
Retry-After; timeouts, connection errors, 408/409/429 and 5xx are retried. Every failure
reaches callers as a `coach.domain.errors.ModelError` with a message that says what to do.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from coach.domain.errors import ModelUnavailable, UnexpectedModelOutput
from coach.llm.base import ChatMessage, ModelSettings
from coach.llm.guard import DEFAULT_BASE_URL, check_model_requests_allowed
from coach.llm.reasoning import strip_thinking, without_thinking
from coach.llm.request_shape import RequestShape

log = logging.getLogger(__name__)

# Refusals that can name what to change in the request (llama-cpp-python's server answers
# a request it cannot validate with 500).
_REFUSAL_STATUSES = frozenset({400, 422, 500})
# Sends for one call: at most four step-downs (token parameter, temperature, two JSON modes),
# plus resends after a concurrent call has stepped down first.
_MAX_SHAPES = 8


class OpenAIChatModel:
    """A chat model behind an OpenAI-compatible endpoint (OpenAI, llama.cpp, vLLM, a stub)."""

    def __init__(
        self,
        settings: ModelSettings,
        *,
        api_key: str,
        base_url: str | None,
        http_client: httpx2.AsyncClient | None = None,
        role: str = "counterpart",
    ) -> None:
        """Build the client. `role` ('counterpart' or 'evaluator') only names it in errors.

        Raises `RealModelRequestBlocked` for a non-loopback `base_url` when real requests
        are blocked (see `coach.llm.guard`).
        """
        check_model_requests_allowed(base_url)
        self.settings = settings
        self.role = role
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.name = f"openai/{settings.model}"
        self.last_usage: dict[str, int] | None = None
        """Token usage of the last request, when the endpoint reported it."""
        self.shape = RequestShape()
        """How requests are written; steps down when the endpoint refuses a part of them."""
        self._client = openai.AsyncOpenAI(
            api_key=api_key,
            base_url=self.base_url,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            http_client=http_client,
        )

    async def aclose(self) -> None:
        """Close the underlying HTTP connections."""
        await self._client.close()

    async def complete(
        self, messages: list[ChatMessage], *, json_schema: dict | None = None
    ) -> str:
        """The whole reply text. With `json_schema`, ask for JSON following it (not strict)."""
        try:
            completion = await self._send(messages, json_schema=json_schema)
        except openai.OpenAIError as err:
            raise self._unavailable(err) from err
        except ValueError as err:  # the SDK lets a JSON body that does not decode through
            raise self._not_json(err) from err
        self._record_usage(getattr(completion, "usage", None))
        try:
            choice = completion.choices[0]
            content = choice.message.content
            finish = choice.finish_reason
        except (AttributeError, IndexError, TypeError) as err:
            raise UnexpectedModelOutput(
                f"The {self.role} model at {self.base_url} answered with something that is "
                "not a chat completion (no choices).",
                output=str(completion)[:500],
            ) from err
        if isinstance(content, str):
            content = strip_thinking(content)
        if not isinstance(content, str) or not content.strip():
            hint = ""
            if finish == "length":  # a reasoning model can spend the budget before any text
                var = f"COACH_{'EVALUATOR' if self.role == 'evaluator' else 'COUNTERPART'}"
                hint = (
                    f" It spent its whole budget of {self.settings.max_tokens} tokens first: "
                    f"raise {var}_MAX_TOKENS."
                )
            raise UnexpectedModelOutput(
                f"The {self.role} model at {self.base_url} returned an empty reply "
                f"(finish_reason={finish!r}).{hint}",
                output=content or "",
            )
        return content

    async def _send(
        self, messages: list[ChatMessage], *, json_schema: dict | None = None, stream: bool = False
    ) -> Any:
        """POST the request in the shape the endpoint accepts: a 400 that names what it
        refuses (`RequestShape.after_refusal`) steps the shape down and sends again."""
        plain = [{"role": m.role, "content": m.content} for m in messages]
        for attempt in range(_MAX_SHAPES):
            sent = self.shape
            body = sent.body(
                self.settings.model,
                plain,
                temperature=self.settings.temperature,
                max_tokens=self.settings.max_tokens,
                json_schema=json_schema,
            )
            if stream:
                body["stream"] = True
            try:
                return await self._post(body, stream=stream)
            except openai.APIStatusError as err:
                if err.status_code not in _REFUSAL_STATUSES:
                    raise
                step = sent.after_refusal(err.message, err.body, json_schema is not None)
                if step is None or attempt == _MAX_SHAPES - 1:
                    raise
                if self.shape == sent:  # else a concurrent call has stepped down already
                    self.shape = step
                    log.warning(
                        "%s model at %s refused a request (HTTP %s: %s); sending %s from now on",
                        self.role,
                        self.base_url,
                        err.status_code,
                        err.message,
                        step,
                    )
        raise AssertionError("unreachable")

    async def stream(self, messages: list[ChatMessage]) -> AsyncIterator[str]:
        """The reply as text deltas, as the server sends them (SSE)."""
        received = False
        try:
            chunks = await self._send(messages, stream=True)
            async with chunks:
                async for text in without_thinking(self._texts(chunks)):
                    received = True
                    yield text
        except openai.OpenAIError as err:
            raise self._unavailable(err) from err
        except ValueError as err:  # an SSE event whose data is not JSON
            raise self._not_json(err) from err
        if not received:
            raise UnexpectedModelOutput(
                f"The {self.role} model at {self.base_url} streamed no text."
            )

    async def _texts(self, chunks: Any) -> AsyncIterator[str]:
        """The text deltas of a chat completion stream (usage recorded on the way)."""
        async for chunk in chunks:
            self._record_usage(getattr(chunk, "usage", None))
            choices = getattr(chunk, "choices", None) or []
            delta = getattr(choices[0], "delta", None) if choices else None
            text = getattr(delta, "content", None)
            if isinstance(text, str) and text:
                yield text

    async def _post(self, body: dict[str, Any], *, stream: bool = False) -> Any:
        """POST /chat/completions with the SDK's retries, errors and parsing.

        The body is plain JSON already, so it goes out as is: `chat.completions.create`
        would first walk every message and the JSON schema against its typed parameters,
        about 0.2 ms a message on the path to the counterpart's reply (measured: 1.9 ms for
        8 messages; a long session sends 40 and more).
        """
        return await self._client.post(
            "/chat/completions",
            body=body,
            cast_to=ChatCompletion,
            stream=stream,
            stream_cls=openai.AsyncStream[ChatCompletionChunk],
        )

    def _record_usage(self, usage: object) -> None:
        if usage is None:
            return
        fields = ("prompt_tokens", "completion_tokens", "total_tokens")
        self.last_usage = {f: int(getattr(usage, f, 0) or 0) for f in fields}

    def _not_json(self, err: ValueError) -> UnexpectedModelOutput:
        return UnexpectedModelOutput(
            f"The {self.role} model at {self.base_url} answered with something that is not "
            f"JSON ({err}). Is OPENAI_BASE_URL an OpenAI-compatible endpoint (often .../v1)?",
            output=str(getattr(err, "doc", ""))[:500],
        )

    def _unavailable(self, err: openai.OpenAIError) -> ModelUnavailable:
        """A `ModelUnavailable` whose message says what failed and what to check."""
        who = f"The {self.role} model at {self.base_url}"
        n = self.settings.max_retries
        retries = f"{n} {'retry' if n == 1 else 'retries'}"
        if isinstance(err, openai.APITimeoutError):
            message = (
                f"{who} did not answer within {self.settings.timeout:g} s ({retries}). "
                "Check OPENAI_BASE_URL or try again."
            )
        elif isinstance(err, openai.APIConnectionError):
            cause = f": {err.__cause__}" if err.__cause__ else ""
            message = (
                f"{who} could not be reached{cause} ({retries}). "
                "Check OPENAI_BASE_URL and that the server is running."
            )
        elif isinstance(err, openai.AuthenticationError | openai.PermissionDeniedError):
            message = f"{who} rejected the API key (HTTP {err.status_code}). Check OPENAI_API_KEY."
        elif isinstance(err, openai.RateLimitError):
            message = (
                f"{who} kept refusing with HTTP 429 (too many requests) after {retries}. "
                "Wait a moment and try again, or check the account's quota."
            )
        elif isinstance(err, openai.NotFoundError):
            message = (
                f"{who} does not know the model {self.settings.model!r} (HTTP 404). "
                "Check COACH_COUNTERPART_MODEL / COACH_EVALUATOR_MODEL and OPENAI_BASE_URL."
            )
        elif isinstance(err, openai.APIStatusError):
            after = f" after {retries}" if err.status_code >= 500 else ""
            message = f"{who} failed with HTTP {err.status_code}{after}: {err.message}"
        else:
            message = f"{who} failed: {err}"
        return ModelUnavailable(message)
