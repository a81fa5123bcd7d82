"""A small OpenAI-compatible server on 127.0.0.1 for tests and benchmarks (FastAPI + uvicorn).

Serves POST /v1/chat/completions (JSON, or SSE chunks ending with `data: [DONE]` when the
request has `stream: true`) and GET /v1/models. What it answers is scripted per test:

    with StubServer(default_reply="Noted.") as stub:
        stub.enqueue("first reply", 429, Delay(5.0), {"score": 3}, lambda body: "computed")
        model = OpenAIChatModel(settings, api_key="k", base_url=stub.url)

Queue items: a str (reply text), a dict or list (reply JSON, serialized), an int (that HTTP
status, with an OpenAI-style error body; 429 carries `Retry-After: 0`), a callable
`fn(request_body) -> item`, or one of the action classes below. With an empty queue the
server answers `default_reply` after `latency` seconds (fixed-latency mode for benchmarks).

By hand: `python -m tests.support.stub_server --port 8999 --latency 0.2`
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from coach.llm.fake import split_into_chunks


@dataclass
class Text:
    """Reply with this message content (None sends `"content": null`)."""

    text: str | None


@dataclass
class Status:
    """Answer with an HTTP error status and an OpenAI-style error body."""

    code: int
    message: str = "stubbed error"
    retry_after: float | None = None
    param: str | None = None
    """The request parameter the error names (OpenAI's `error.param`)."""


@dataclass
class Delay:
    """Wait `seconds` before answering with `then` (the default reply if None)."""

    seconds: float
    then: Action | None = None


@dataclass
class Raw:
    """Send this body as it is (for garbage that is not a chat completion)."""

    body: str
    status: int = 200
    media_type: str = "application/json"


@dataclass
class Call:
    """Compute the action from the request body."""

    fn: Callable[[dict[str, Any]], Any]


Action: TypeAlias = (
    Text | Status | Delay | Raw | Call | str | int | dict | list | Callable[..., Any]
)


def to_action(item: Any) -> Text | Status | Delay | Raw | Call:
    """Normalize a queue item (str, int, dict, list, callable or action) into an action."""
    if isinstance(item, Text | Status | Delay | Raw | Call):
        return item
    if isinstance(item, str):
        return Text(item)
    if isinstance(item, bool):
        raise TypeError("a bool is not a stub action")
    if isinstance(item, int):
        return Status(item, retry_after=0 if item == 429 else None)
    if isinstance(item, dict | list):
        return Text(json.dumps(item))
    if callable(item):
        return Call(item)
    raise TypeError(f"not a stub action: {item!r}")


@dataclass
class StubServer:
    """The stub: start it (context manager or `start()`), script it, read `.requests`."""

    default_reply: str = "This is the stub counterpart speaking."
    latency: float = 0.0
    """Seconds to wait before every answer (benchmarks)."""
    chunk_delay: float = 0.0
    """Seconds between SSE chunks."""
    port: int = 0
    """0 picks a free port."""
    model: str = "stub-model"
    api_key: str | None = None
    """When set, requests must carry `Authorization: Bearer <api_key>` (else HTTP 401)."""
    schema_replies: bool = False
    """With an empty queue, answer a request that carries a JSON schema with JSON valid for it."""
    requests: list[dict[str, Any]] = field(default_factory=list)
    """Every chat completion request body received, in order."""
    headers: list[dict[str, str]] = field(default_factory=list)
    """The headers of every chat completion request, in order."""

    def __post_init__(self) -> None:
        self._queue: deque[Any] = deque()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._counter = 0
        self.app = self._build_app()

    @property
    def url(self) -> str:
        """The base URL to give the client, e.g. http://127.0.0.1:PORT/v1."""
        return f"http://127.0.0.1:{self.port}/v1"

    def enqueue(self, *items: Action) -> None:
        """Script the next answers, in order."""
        self._queue.extend(items)

    def reset(
        self, *, default_reply: str | None = None, latency: float = 0.0, api_key: str | None = None
    ) -> None:
        """Forget the script and the recorded requests, and set the behaviour (for reuse)."""
        self._queue.clear()
        self.requests.clear()
        self.headers.clear()
        self.default_reply = default_reply or StubServer.default_reply
        self.latency = latency
        self.chunk_delay = 0.0
        self.api_key = api_key

    def start(self) -> StubServer:
        """Bind 127.0.0.1 and serve in a background thread; returns once it accepts requests."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the stub server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the app -------------------------------------------------------------------------

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/v1/models")
        async def models() -> dict[str, Any]:
            return {
                "object": "list",
                "data": [{"id": self.model, "object": "model", "created": 0, "owned_by": "stub"}],
            }

        @app.post("/v1/chat/completions")
        async def chat(request: Request) -> Response:
            body = await request.json()
            self.requests.append(body)
            self.headers.append(dict(request.headers))
            if self.api_key and request.headers.get("authorization") != f"Bearer {self.api_key}":
                return _error(Status(401, "Incorrect API key provided."))
            item: Any = self._queue.popleft() if self._queue else self.default_reply
            schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("schema")
            if not self._queue and item is self.default_reply and self.schema_replies and schema:
                item = sample_json(schema)
            if self.latency:
                await asyncio.sleep(self.latency)
            return await self._answer(to_action(item), body)

        return app

    async def _answer(self, action: Text | Status | Delay | Raw | Call, body: dict) -> Response:
        if isinstance(action, Call):
            return await self._answer(to_action(action.fn(body)), body)
        if isinstance(action, Delay):
            await asyncio.sleep(action.seconds)
            then = action.then if action.then is not None else self.default_reply
            return await self._answer(to_action(then), body)
        if isinstance(action, Status):
            return _error(action)
        if isinstance(action, Raw):
            return Response(action.body, status_code=action.status, media_type=action.media_type)
        self._counter += 1
        completion_id = f"chatcmpl-stub-{self._counter}"
        if body.get("stream"):
            return StreamingResponse(
                self._sse(completion_id, action.text, body), media_type="text/event-stream"
            )
        return JSONResponse(self._completion(completion_id, action.text, body))

    def _usage(self, text: str | None, body: dict) -> dict[str, int]:
        prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
        completion = len((text or "").split())
        return {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }

    def _completion(self, completion_id: str, text: str | None, body: dict) -> dict[str, Any]:
        return {
            "id": completion_id,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.model),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": self._usage(text, body),
        }

    async def _sse(self, completion_id: str, text: str | None, body: dict) -> AsyncIterator[str]:
        def chunk(delta: dict, finish: str | None = None, **extra: Any) -> str:
            data = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": body.get("model", self.model),
                "choices": [
                    {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
                ],
                **extra,
            }
            return f"data: {json.dumps(data)}\n\n"

        yield chunk({"role": "assistant", "content": ""})
        for piece in split_into_chunks(text or ""):
            if self.chunk_delay:
                await asyncio.sleep(self.chunk_delay)
            yield chunk({"content": piece})
        yield chunk({}, "stop")
        if (body.get("stream_options") or {}).get("include_usage"):
            usage = {"id": completion_id, "object": "chat.completion.chunk", "choices": []}
            yield f"data: {json.dumps({**usage, 'usage': self._usage(text, body)})}\n\n"
        yield "data: [DONE]\n\n"


def _error(status: Status) -> JSONResponse:
    kind = {401: "invalid_request_error", 429: "rate_limit_error"}.get(status.code, "server_error")
    headers = {} if status.retry_after is None else {"Retry-After": f"{status.retry_after:g}"}
    return JSONResponse(
        {"error": {"message": status.message, "type": kind, "param": status.param, "code": None}},
        status_code=status.code,
        headers=headers,
    )


def sample_json(schema: dict[str, Any], defs: dict[str, Any] | None = None) -> Any:
    """A small value valid for a JSON schema: enough for a judge's structured output."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return sample_json(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][len(schema["enum"]) // 2]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return sample_json(schema[key][0], defs)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {name: sample_json(sub, defs) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [sample_json(schema["items"], defs)] * schema.get("minItems", 0)
    if kind == "integer":
        low, high = schema.get("minimum", 0), schema.get("maximum", 0)
        return (low + high + 1) // 2 if "maximum" in schema else low
    if kind == "number":
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return ""


def main(argv: list[str] | None = None) -> None:
    """Run the stub in the foreground until Ctrl-C."""
    parser = argparse.ArgumentParser(description="OpenAI-compatible stub server on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8999)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--reply", default=StubServer.default_reply, help="the reply text")
    args = parser.parse_args(argv)
    stub = StubServer(
        default_reply=args.reply, latency=args.latency, port=args.port, schema_replies=True
    ).start()
    print(f"stub server at {stub.url} (latency {args.latency:g} s); Ctrl-C to stop", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        stub.stop()


if __name__ == "__main__":
    main()
