"""OpenAIChatModel over real HTTP against the stub server: replies, schema, SSE, failures."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

import pytest

from coach.domain.errors import ModelUnavailable, UnexpectedModelOutput
from coach.llm import ChatMessage, ChatModel, ModelSettings, OpenAIChatModel
from coach.llm.request_shape import RequestShape
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


async def test_a_budget_spent_before_any_text_says_which_variable_to_raise(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    choice = {
        "index": 0,
        "message": {"role": "assistant", "content": ""},
        "finish_reason": "length",
    }
    body = {"id": "c", "object": "chat.completion", "created": 0, "model": "m", "choices": [choice]}
    stub_server.enqueue(Raw(json.dumps(body)))
    model = make_model(max_tokens=64)
    model.role = "evaluator"
    with pytest.raises(UnexpectedModelOutput, match=r"budget of 64 tokens.*COACH_EVALUATOR_MAX"):
        await model.complete(MESSAGES)


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


def _refuse_json_modes(*refused: str) -> Callable[[dict], object]:
    """A server that answers HTTP 400 to the response_format types in `refused` (as
    llama.cpp or a proxy without structured output does) and {"score": 4} otherwise."""

    def answer(body: dict) -> object:
        kind = (body.get("response_format") or {}).get("type", "none")
        if kind in refused:
            return Status(400, f"response_format type '{kind}' is not supported")
        return {"score": 4}

    return answer


SCHEMA = {"title": "Assessment", "type": "object", "properties": {"score": {"type": "integer"}}}


async def test_json_schema_refused_steps_down_to_json_object_and_remembers(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    answer = _refuse_json_modes("json_schema")
    stub_server.enqueue(answer, answer, answer)
    model = make_model()
    assert json.loads(await model.complete(MESSAGES, json_schema=SCHEMA)) == {"score": 4}
    kinds = [r.get("response_format", {}).get("type") for r in stub_server.requests]
    assert kinds == ["json_schema", "json_object"]
    assert model.shape.json_mode == "json_object"
    # json_object mode does not carry the schema: it goes into the system message instead
    first, second = stub_server.requests
    assert first["messages"] == [m.model_dump() for m in MESSAGES]
    system = second["messages"][0]
    assert system["role"] == "system" and system["content"].startswith(MESSAGES[0].content)
    assert json.loads(system["content"].split("JSON schema of your reply:\n", 1)[1]) == SCHEMA
    assert second["messages"][1:] == first["messages"][1:]
    # later requests go straight to the mode that works: one request, not two
    await model.complete(MESSAGES, json_schema=SCHEMA)
    assert stub_server.requests[-1]["response_format"] == {"type": "json_object"}
    assert len(stub_server.requests) == 3


async def test_a_server_error_naming_the_json_mode_steps_down_too(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    """llama-cpp-python's server answers an unknown response_format type with HTTP 500 (its
    request validation error), after which the SDK has already retried twice."""
    llama = (
        "1 validation error: {'type': 'literal_error', 'loc': ('body', 'response_format', "
        "'type'), 'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}"
    )

    def answer(body: dict) -> object:
        kind = (body.get("response_format") or {}).get("type")
        return Status(500, llama) if kind == "json_schema" else {"score": 4}

    stub_server.enqueue(*[answer] * 4)  # the SDK's two retries of the 500, then json_object
    model = make_model()
    assert json.loads(await model.complete(MESSAGES, json_schema=SCHEMA)) == {"score": 4}
    assert model.shape.json_mode == "json_object"
    kinds = [r.get("response_format", {}).get("type") for r in stub_server.requests]
    assert kinds == ["json_schema"] * 3 + ["json_object"]
    # a server error that names nothing adaptable is still an error
    stub_server.enqueue(*[Status(500, "out of memory")] * 3)
    with pytest.raises(ModelUnavailable, match="HTTP 500"):
        await model.complete(MESSAGES, json_schema=SCHEMA)


async def test_concurrent_refusals_step_down_one_mode_only(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    """Six requests in flight are all refused json_schema: the mode steps down to
    json_object once, not once per refusal (which would skip a mode the server takes)."""
    answer = _refuse_json_modes("json_schema")
    stub_server.enqueue(*[answer] * 20)
    model = make_model()
    asks = (model.complete(MESSAGES, json_schema=SCHEMA) for _ in range(6))
    replies = await asyncio.gather(*asks)
    assert [json.loads(r) for r in replies] == [{"score": 4}] * 6
    assert model.shape.json_mode == "json_object"
    kinds = [r.get("response_format", {}).get("type") for r in stub_server.requests]
    assert kinds.count("json_object") == 6 and None not in kinds


async def test_no_json_mode_at_all_sends_without_response_format(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    answer = _refuse_json_modes("json_schema", "json_object")
    stub_server.enqueue(answer, answer, answer)
    model = make_model()
    assert json.loads(await model.complete(MESSAGES, json_schema=SCHEMA)) == {"score": 4}
    assert "response_format" not in stub_server.requests[-1]
    assert "JSON schema of your reply" in stub_server.requests[-1]["messages"][0]["content"]
    assert len(stub_server.requests) == 3
    assert model.shape.json_mode == "none"


@pytest.mark.parametrize(
    ("refusal", "schema", "says"),
    [
        ("context length exceeded: 9000 tokens", SCHEMA, r"HTTP 400.*context length"),
        # a plain request asked for no JSON mode, so a JSON-mode refusal is not its to fix
        ("response_format is not supported", None, "HTTP 400"),
    ],
    ids=["names-nothing-adaptable", "plain-request"],
)
async def test_a_400_the_request_shape_cannot_fix_is_not_retried(
    stub_server: StubServer, make_model: MakeModel, refusal: str, schema: dict | None, says: str
) -> None:
    stub_server.enqueue(Status(400, refusal))
    model = make_model()
    with pytest.raises(ModelUnavailable, match=says):
        await model.complete(MESSAGES, json_schema=schema)
    assert len(stub_server.requests) == 1
    assert model.shape == RequestShape()


def _like_a_reasoning_model(body: dict) -> object:
    """OpenAI's answers for a newer model sent an older request (error texts as served)."""
    if "max_tokens" in body:
        return Status(
            400,
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
            param="max_tokens",
        )
    if "temperature" in body:
        return Status(
            400,
            "Unsupported value: 'temperature' does not support 0.3 with this model. "
            "Only the default (1) value is supported.",
            param="temperature",
        )
    return "Understood."


async def test_a_model_that_takes_max_completion_tokens_and_no_temperature(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    stub_server.enqueue(*[_like_a_reasoning_model] * 6)
    model = make_model(temperature=0.3, max_tokens=321)
    assert await model.complete(MESSAGES) == "Understood."
    assert len(stub_server.requests) == 3  # refused twice, each time for one parameter
    last = stub_server.requests[-1]
    assert last["max_completion_tokens"] == 321
    assert "max_tokens" not in last and "temperature" not in last
    # remembered: the next call, streamed, goes out right the first time
    assert "".join([c async for c in model.stream(MESSAGES)]) == "Understood."
    assert len(stub_server.requests) == 4


def test_request_shapes_step_down_only_on_what_the_error_names() -> None:
    shape = RequestShape()
    assert shape.after_refusal("context length exceeded", {"param": "messages"}, True) is None
    assert shape.after_refusal("bad max_tokens", {"param": "max_tokens"}, False) == RequestShape(
        token_param="max_completion_tokens"
    )
    # a JSON-mode refusal matters only to calls that ask for JSON
    said = "response_format json_schema is not supported"
    assert shape.after_refusal(said, None, False) is None
    down = shape.after_refusal(said, None, True)
    assert down == RequestShape(json_mode="json_object")
    assert down.after_refusal(said, None, True) == RequestShape(json_mode="none")
    assert RequestShape(json_mode="none").after_refusal(said, None, True) is None


async def test_a_reasoning_models_think_block_is_never_shown(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    """llama.cpp or Ollama serving a reasoning model put its plan into the content."""
    reply = "<think>The trainee is wavering; press the deadline.</think>\n\nSign by Friday."
    stub_server.enqueue(reply, reply)
    model = make_model()
    assert await model.complete(MESSAGES) == "Sign by Friday."
    assert "".join([c async for c in model.stream(MESSAGES)]) == "Sign by Friday."


async def test_a_reply_that_is_only_thinking_is_unexpected_output(
    stub_server: StubServer, make_model: MakeModel
) -> None:
    stub_server.enqueue("<think>hmm</think>", "<think>hmm</think>  ")
    model = make_model()
    with pytest.raises(UnexpectedModelOutput, match="empty reply"):
        await model.complete(MESSAGES)
    with pytest.raises(UnexpectedModelOutput, match="streamed no text"):
        _ = [c async for c in model.stream(MESSAGES)]
