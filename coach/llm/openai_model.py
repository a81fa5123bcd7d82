"""`ChatModel` over any OpenAI-compatible chat completions endpoint (openai 3.x, httpx2).

Retries are the SDK's own: `max_retries` with exponential backoff that honours
Retry-After; timeouts, connection errors, 408/409/429 and 5xx are retried. Every failure
reaches callers as a `coach.domain.errors.ModelError` with a message that says what to do.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any, Literal

import httpx2
import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from coach.domain.errors import ModelUnavailable, UnexpectedModelOutput
from coach.llm.base import ChatMessage, ModelSettings
from coach.llm.guard import DEFAULT_BASE_URL, check_model_requests_allowed

log = logging.getLogger(__name__)

# Words of a 400 that blames the JSON mode asked for (OpenAI, vLLM, llama.cpp, LiteLLM).
_JSON_MODE_CUES = ("response_format", "json_schema", "json_object", "json schema", "structured")


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
        self.json_mode: Literal["json_schema", "json_object", "none"] = "json_schema"
        """How `complete(json_schema=...)` asks for JSON; steps down when the server refuses."""
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

    def _request(self, messages: list[ChatMessage]) -> dict[str, Any]:
        return {
            "model": self.settings.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "temperature": self.settings.temperature,
            "max_tokens": self.settings.max_tokens,
        }

    async def complete(
        self, messages: list[ChatMessage], *, json_schema: dict | None = None
    ) -> str:
        """The whole reply text. With `json_schema`, ask for JSON following it (not strict)."""
        plain = self._request(messages)
        while True:
            sent = self.json_mode
            request = plain if json_schema is None else self._ask_for_json(plain, json_schema)
            try:
                completion = await self._post(request)
                break
            except openai.BadRequestError as err:
                if json_schema is None or not self._downgrade_json(err, sent):
                    raise self._unavailable(err) from err
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
        if not isinstance(content, str) or not content.strip():
            raise UnexpectedModelOutput(
                f"The {self.role} model at {self.base_url} returned an empty reply "
                f"(finish_reason={finish!r}).",
                output=content or "",
            )
        return content

    def _ask_for_json(self, plain: dict[str, Any], json_schema: dict) -> dict[str, Any]:
        """`plain` asking for JSON in the mode this endpoint accepts (`_downgrade_json`)."""
        request = dict(plain)
        if self.json_mode != "json_schema":  # the schema goes in the prompt instead
            request["messages"] = _with_schema_in_prompt(plain["messages"], json_schema)
        if self.json_mode == "json_schema":
            request["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": str(json_schema.get("title") or "reply"),
                    "schema": json_schema,
                    "strict": False,
                },
            }
        elif self.json_mode == "json_object":
            request["response_format"] = {"type": "json_object"}
        return request

    def _downgrade_json(self, err: openai.BadRequestError, sent: str) -> bool:
        """After an HTTP 400 that blames `response_format` (sent in JSON mode `sent`), step
        down to the next mode (json_schema -> json_object -> none; kept for later requests)
        and say whether to send again. Servers that cannot constrain output to a schema
        (older llama.cpp, some proxies and models) reject it this way; the caller still
        validates the reply."""
        said = f"{err.message} {err.body}".lower()
        if sent == "none" or not any(cue in said for cue in _JSON_MODE_CUES):
            return False
        if self.json_mode != sent:  # a concurrent request has stepped down already
            return True
        before = self.json_mode
        self.json_mode = "json_object" if before == "json_schema" else "none"
        log.warning(
            "%s model at %s rejected response_format %s (HTTP 400); asking with %s from now on",
            self.role,
            self.base_url,
            before,
            self.json_mode,
        )
        return True

    async def stream(self, messages: list[ChatMessage]) -> AsyncIterator[str]:
        """The reply as text deltas, as the server sends them (SSE)."""
        received = False
        try:
            chunks = await self._post({**self._request(messages), "stream": True}, stream=True)
            async with chunks:
                async for chunk in chunks:
                    self._record_usage(getattr(chunk, "usage", None))
                    choices = getattr(chunk, "choices", None) or []
                    delta = getattr(choices[0], "delta", None) if choices else None
                    text = getattr(delta, "content", None)
                    if isinstance(text, str) and text:
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


def _with_schema_in_prompt(
    messages: list[dict[str, str]], json_schema: dict
) -> list[dict[str, str]]:
    """`messages` with the JSON schema of the reply added to the system message (a new one
    first if there is none): for endpoints that cannot take it as `response_format`."""
    note = "JSON schema of your reply:\n" + json.dumps(json_schema, separators=(",", ":"))
    out = [dict(m) for m in messages]
    if out and out[0]["role"] == "system":
        out[0]["content"] = f"{out[0]['content']}\n\n{note}"
    else:
        out.insert(0, {"role": "system", "content": note})
    return out
