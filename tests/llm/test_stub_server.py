"""The stub server itself: computed replies, the models list, SSE usage, fixed latency."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx2

from coach.llm import ChatMessage, OpenAIChatModel
from tests.support.stub_server import Call, StubServer


def test_models_endpoint_lists_the_stub_model(stub_server: StubServer) -> None:
    response = httpx2.get(stub_server.url + "/models")
    assert response.json()["data"][0]["id"] == "stub-model"


async def test_callable_computes_reply_from_request(
    stub_server: StubServer, make_model: Callable[..., OpenAIChatModel]
) -> None:
    stub_server.enqueue(Call(lambda body: f"you said: {body['messages'][-1]['content']}"))
    model = make_model()
    reply = await model.complete([ChatMessage(role="user", content="hello")])
    assert reply == "you said: hello"


def test_sse_format_ends_with_done_and_reports_usage_on_request(stub_server: StubServer) -> None:
    body = {
        "model": "m",
        "stream": True,
        "stream_options": {"include_usage": True},
        "messages": [{"role": "user", "content": "hi"}],
    }
    text = httpx2.post(stub_server.url + "/chat/completions", json=body).text
    events = [e.removeprefix("data: ") for e in text.strip().split("\n\n")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    joined = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert joined == stub_server.default_reply
    assert chunks[-1]["usage"]["completion_tokens"] > 0


def test_fixed_latency_mode(stub_server: StubServer) -> None:
    stub_server.reset(latency=0.2, default_reply="slow and steady")
    started = time.monotonic()
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    reply = httpx2.post(stub_server.url + "/chat/completions", json=body).json()
    assert time.monotonic() - started >= 0.2
    assert reply["choices"][0]["message"]["content"] == "slow and steady"
    assert len(stub_server.requests) == 1
