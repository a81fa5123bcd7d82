"""The scripted and function fakes: order, exhaustion, recording, injected errors, chunks."""

from __future__ import annotations

import pytest

from coach.domain.errors import ModelUnavailable
from coach.llm import ChatMessage, ChatModel, FunctionModel, ScriptedModel, ScriptExhausted

HELLO = [ChatMessage(role="user", content="Hello")]


def test_fakes_satisfy_the_protocol() -> None:
    assert isinstance(ScriptedModel([]), ChatModel)
    assert isinstance(FunctionModel(lambda messages: "x"), ChatModel)
    assert ScriptedModel([]).name == "fake/scripted"
    assert FunctionModel(lambda messages: "x").name == "fake/function"


async def test_replies_come_in_order() -> None:
    model = ScriptedModel(["one", "two"])
    assert await model.complete(HELLO) == "one"
    assert await model.complete(HELLO) == "two"
    assert model.remaining == 0


async def test_exhaustion_fails_loudly_instead_of_repeating() -> None:
    model = ScriptedModel(["only"])
    await model.complete(HELLO)
    with pytest.raises(ScriptExhausted, match="ran out of replies after 1 calls"):
        await model.complete(HELLO)
    assert issubclass(ScriptExhausted, AssertionError)


async def test_records_every_request_and_schema() -> None:
    model = ScriptedModel(["a", "b"])
    schema = {"type": "object"}
    messages = [ChatMessage(role="system", content="Be firm."), *HELLO]
    await model.complete(messages)
    await model.complete(HELLO, json_schema=schema)
    messages[0].content = "mutated later"
    assert [[m.content for m in r] for r in model.requests] == [["Be firm.", "Hello"], ["Hello"]]
    assert model.json_schemas == [None, schema]


async def test_exception_in_script_is_raised_at_that_call() -> None:
    model = ScriptedModel(["first", ModelUnavailable("down"), "third"])
    assert await model.complete(HELLO) == "first"
    with pytest.raises(ModelUnavailable, match="down"):
        await model.complete(HELLO)
    assert await model.complete(HELLO) == "third"
    assert len(model.requests) == 3


async def test_stream_yields_several_chunks_that_join_to_the_reply() -> None:
    reply = "We cannot accept these terms, Minister."
    model = ScriptedModel([reply])
    chunks = [chunk async for chunk in model.stream(HELLO)]
    assert len(chunks) > 1
    assert "".join(chunks) == reply
    assert model.requests == [HELLO]


async def test_enqueue_extends_the_script() -> None:
    model = ScriptedModel()
    model.enqueue("later")
    assert await model.complete(HELLO) == "later"


async def test_function_model_sync_and_async() -> None:
    sync = FunctionModel(lambda messages: f"echo: {messages[-1].content}")
    assert await sync.complete(HELLO) == "echo: Hello"

    async def reply(messages: list[ChatMessage], json_schema: dict | None = None) -> str:
        return "json" if json_schema else "text"

    model = FunctionModel(reply)
    assert await model.complete(HELLO, json_schema={"type": "object"}) == "json"
    assert "".join([c async for c in model.stream(HELLO)]) == "text"
    assert len(model.requests) == 2
