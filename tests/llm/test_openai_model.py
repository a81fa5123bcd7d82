"""OpenAIChatModel over real HTTP against the stub server: replies, schema, SSE, failures."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest

from coach.domain.errors import ModelUnavailable, UnexpectedModelOutput
from coach.llm import ChatMessage, ChatModel, ModelSettings, OpenAIChatModel
from tests.support.stub_server import Delay, Raw, Status, StubServer, Text

MakeModel = Callable[..., OpenAIChatModel]
"""The `make_model` fixture: ModelSettings fields as keywords."""

MESSAGES = [
    ChatMessage(role="system", content="You are the minister."),
    ChatMessage(role="user", content="We propose a ceasefire."),
]


def test_satisfies_protocol_and_is_named(stub_server: StubServer, make_model: MakeModel) -> None:
    model = make_model()
    assert isinstance(model, ChatModel)
    assert model.name == "openai/stub-model"


async def test_complete_returns_text_and_records_usage(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    stub_server.enqueue("We refuse.")
    model = make_model(temperature=0.3, max_tokens=123)
    assert await model.complete(MESSAGES) == "We refuse."
    body = stub_server.requests[0]
    assert body["model"] == "stub-model"
    assert body["messages"] == [m.model_dump() for m in MESSAGES]
    assert body["temperature"] == 0.3
    assert body["max_tokens"] == 123
    assert "response_format" not in body
    assert stub_server.headers[0]["authorization"] == "Bearer test-key"
    assert model.last_usage is not None
    assert model.last_usage["completion_tokens"] == 2


async def test_json_schema_request_shape(stub_server: StubServer, make_model: MakeModel) -> None:
    schema = {"title": "Assessment", "type": "object", "properties": {"score": {"type": "integer"}}}
    stub_server.enqueue({"score": 4})
    raw = await make_model().complete(MESSAGES, json_schema=schema)
    assert json.loads(raw) == {"score": 4}
    assert stub_server.requests[0]["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "Assessment", "schema": schema, "strict": False},
    }


async def test_stream_yields_chunks_that_join_to_the_text(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    text = "Your proposal is premature, and my government will not be rushed."
    stub_server.enqueue(text)
    chunks = [c async for c in make_model().stream(MESSAGES)]
    assert len(chunks) > 3
    assert "".join(chunks) == text
    assert stub_server.requests[0]["stream"] is True


async def test_429_then_success_retries_once(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    stub_server.enqueue(429, "After the pause.")
    model = make_model(max_retries=2)
    assert await model.complete(MESSAGES) == "After the pause."
    assert len(stub_server.requests) == 2
    assert stub_server.headers[1]["x-stainless-retry-count"] == "1"


async def test_500_then_success(stub_server: StubServer, make_model: MakeModel) -> None:
    stub_server.enqueue(500, "Recovered.")
    assert await make_model(max_retries=1).complete(MESSAGES) == "Recovered."
    assert len(stub_server.requests) == 2


async def test_500_after_retries_is_unavailable(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    stub_server.enqueue(500, 500)
    with pytest.raises(ModelUnavailable, match=r"HTTP 500 after 1 retry"):
        await make_model(max_retries=1).complete(MESSAGES)


async def test_timeout_gives_clear_message_quickly(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    stub_server.enqueue(Delay(3.0))
    model = make_model(timeout=0.5, max_retries=0)
    started = time.monotonic()
    with pytest.raises(ModelUnavailable) as caught:
        await model.complete(MESSAGES)
    assert time.monotonic() - started < 3.0
    assert str(caught.value) == (
        f"The counterpart model at {stub_server.url} did not answer within 0.5 s (0 retries). "
        "Check OPENAI_BASE_URL or try again."
    )


async def test_stream_timeout_is_unavailable(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    stub_server.enqueue(Delay(3.0))
    model = make_model(timeout=0.5, max_retries=0)
    with pytest.raises(ModelUnavailable, match=r"did not answer within 0\.5 s"):
        _ = [c async for c in model.stream(MESSAGES)]


async def test_rejected_key_is_unavailable(stub_server: StubServer, make_model: MakeModel) -> None:
    stub_server.api_key = "the-right-key"
    with pytest.raises(ModelUnavailable, match=r"rejected the API key.*OPENAI_API_KEY"):
        await make_model().complete(MESSAGES)


async def test_unreachable_endpoint_is_unavailable() -> None:
    with StubServer() as stub:
        url = stub.url
    model = OpenAIChatModel(ModelSettings(model="m", max_retries=0), api_key="k", base_url=url)
    with pytest.raises(ModelUnavailable, match="could not be reached"):
        await model.complete(MESSAGES)
    await model.aclose()


@pytest.mark.parametrize("reply", [Text(""), Text(None), Text("   ")])
async def test_empty_content_is_unexpected_output(
    stub_server: StubServer, make_model: MakeModel, reply: Text
) -> None:
    stub_server.enqueue(reply)
    with pytest.raises(UnexpectedModelOutput, match="empty reply"):
        await make_model().complete(MESSAGES)


@pytest.mark.parametrize("body", ["not json at all", '{"id": "x", "object": "chat.completion"}'])
async def test_garbage_is_unexpected_output(
    stub_server: StubServer, make_model: MakeModel, body: str
) -> None:
    stub_server.enqueue(Raw(body))
    with pytest.raises(UnexpectedModelOutput):
        await make_model().complete(MESSAGES)


async def test_stream_with_no_text_is_unexpected_output(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    stub_server.enqueue(Text(""))
    with pytest.raises(UnexpectedModelOutput, match="streamed no text"):
        _ = [c async for c in make_model().stream(MESSAGES)]


async def test_status_action_with_custom_message(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    stub_server.enqueue(Status(400, "context too long"))
    with pytest.raises(ModelUnavailable, match=r"HTTP 400.*context too long"):
        await make_model().complete(MESSAGES)
