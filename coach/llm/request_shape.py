"""What an OpenAI-compatible endpoint accepts in a chat request, learnt from its refusals.

Endpoints differ: newer OpenAI models refuse `max_tokens` (they take
`max_completion_tokens`) and any `temperature` but the default; llama.cpp, some proxies
and older models refuse `response_format` with a JSON schema, or any JSON mode. A client
starts with the most precise request, and each refusal that names one of these (HTTP 400,
422, or the 500 llama-cpp-python's server gives a request it cannot validate) steps down
once (kept for the client's life) instead of failing every turn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, Literal

JsonMode = Literal["json_schema", "json_object", "none"]

# Words of a 400 that blames the JSON mode asked for (OpenAI, vLLM, llama.cpp, LiteLLM).
_JSON_MODE_CUES = ("response_format", "json_schema", "json_object", "json schema", "structured")
_SCHEMA_NOTE = "JSON schema of your reply:\n"


@dataclass(frozen=True)
class RequestShape:
    """How requests are written for one endpoint."""

    json_mode: JsonMode = "json_schema"
    """How a reply is asked to follow a JSON schema: by `response_format` with the schema,
    `json_object` with the schema in the prompt, or the schema in the prompt alone."""
    token_param: Literal["max_tokens", "max_completion_tokens"] = "max_tokens"
    temperature: bool = True
    """Whether to send the configured temperature (False: the model's default)."""

    def body(
        self,
        model: str,
        messages: list[dict[str, str]],
        *,
        temperature: float,
        max_tokens: int,
        json_schema: dict | None = None,
    ) -> dict[str, Any]:
        """The request body for POST /chat/completions."""
        body: dict[str, Any] = {"model": model, "messages": messages}
        if self.temperature:
            body["temperature"] = temperature
        body[self.token_param] = max_tokens
        if json_schema is None:
            return body
        if self.json_mode == "json_schema":
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": str(json_schema.get("title") or "reply"),
                    "schema": json_schema,
                    "strict": False,
                },
            }
            return body
        body["messages"] = with_schema_in_prompt(messages, json_schema)
        if self.json_mode == "json_object":
            body["response_format"] = {"type": "json_object"}
        return body

    def after_refusal(self, message: str, body: object, wants_json: bool) -> RequestShape | None:
        """The next shape to try after a refusal with this error `message` and `body`, or
        None when the refusal is about something a shape cannot change."""
        detail = body.get("param") if isinstance(body, dict) else None
        said = f"{message} {json.dumps(body) if body is not None else ''}".lower()
        if self.token_param == "max_tokens" and (
            detail == "max_tokens" or "max_completion_tokens" in said
        ):
            return replace(self, token_param="max_completion_tokens")
        if self.temperature and (
            detail == "temperature" or ("temperature" in said and "support" in said)
        ):
            return replace(self, temperature=False)
        if wants_json and self.json_mode != "none" and any(c in said for c in _JSON_MODE_CUES):
            return replace(
                self, json_mode="json_object" if self.json_mode == "json_schema" else "none"
            )
        return None


def with_schema_in_prompt(
    messages: list[dict[str, str]], json_schema: dict
) -> list[dict[str, str]]:
    """`messages` with the JSON schema of the reply added to the system message (a new one
    first if there is none): for endpoints that cannot take it as `response_format`."""
    note = _SCHEMA_NOTE + json.dumps(json_schema, separators=(",", ":"))
    out = [dict(m) for m in messages]
    if out and out[0]["role"] == "system":
        out[0]["content"] = f"{out[0]['content']}\n\n{note}"
    else:
        out.insert(0, {"role": "system", "content": note})
    return out
