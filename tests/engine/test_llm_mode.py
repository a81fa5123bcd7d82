"""The engine with a counterpart LLM: the scripted fake, and the stub server over HTTP."""

from __future__ import annotations

from pathlib import Path

from coach.config import Settings
from coach.domain.errors import ModelUnavailable
from coach.engine.session import SessionService
from coach.llm import ModelSettings, OpenAIChatModel
from coach.llm.base import ChatMessage
from coach.llm.fake import FunctionModel, ScriptedModel
from coach.llm.tokens import count_messages
from tests.engine.fixtures import PERSONA, FixedLibrary
from tests.engine.judges import MarkerJudge
from tests.support.stub_server import Delay, StubServer


async def open_service(tmp_path: Path, model, **kwargs) -> SessionService:  # type: ignore[no-untyped-def]
    return await SessionService.open(
        Settings(data_dir=tmp_path, token_budget=kwargs.pop("budget", 3000)),
        FixedLibrary(),
        quick_judge=MarkerJudge(),
        counterpart_model=model,
        **kwargs,
    )


async def test_the_llm_speaks_the_planned_move_and_never_sees_the_bottom_line(
    tmp_path: Path,
) -> None:
    model = ScriptedModel(["We begin with a surcharge.", "Good. Now ten percent."])
    svc = await open_service(tmp_path, model)
    view = await svc.start(user="ana", persona_id="deputy-vorn")
    out = await svc.send(view.session_id, "Perhaps five percent. [concede]")
    assert out.reply is not None and out.reply.text == "Good. Now ten percent."
    assert out.reply.tactics == ["salami_slicing"]
    assert (out.reply.model_extra or {})["backend"] == "fake/scripted"
    sent = "\n".join(m.content for m in model.requests[1])
    assert "salami slicing" in sent and "a 10% toll surcharge" in sent
    for request in model.requests:
        assert all(PERSONA.hidden_bottom_line not in m.content for m in request)
    # the concession is pointed at, but the trainee's words reach the model only as theirs
    assert "actually conceded" in sent
    for m in model.requests[1]:
        assert m.role == "user" or "perhaps five percent" not in m.content.lower()
    await svc.aclose()


async def test_tokens_stream_to_the_caller(tmp_path: Path) -> None:
    model = ScriptedModel(["Opening words here.", "A reply in several small chunks."])
    svc = await open_service(tmp_path, model)
    view = await svc.start(user="ana", persona_id="deputy-vorn")
    tokens: list[str] = []

    async def on_token(token: str) -> None:
        tokens.append(token)

    out = await svc.send(view.session_id, "No. [firm]", on_token=on_token)
    assert len(tokens) > 2
    assert "".join(tokens).strip() == out.reply.text  # type: ignore[union-attr]
    await svc.aclose()


async def test_a_model_failure_lets_the_offline_speaker_stand_in(tmp_path: Path) -> None:
    model = ScriptedModel(["Opening.", ModelUnavailable("the endpoint timed out")])
    svc = await open_service(tmp_path, model)
    view = await svc.start(user="ana", persona_id="deputy-vorn")
    out = await svc.send(view.session_id, "No. [firm]")
    assert out.reply is not None and out.reply.text
    assert "offline (stand-in: the endpoint timed out)" in (out.reply.model_extra or {})["backend"]
    assert out.model_error == "the endpoint timed out"
    await svc.aclose()


async def test_in_raise_mode_the_turn_is_kept_and_can_be_retried(tmp_path: Path) -> None:
    model = ScriptedModel(["Opening.", ModelUnavailable("the endpoint timed out"), "Back again."])
    svc = await open_service(tmp_path, model, on_model_error="raise")
    view = await svc.start(user="ana", persona_id="deputy-vorn")
    out = await svc.send(view.session_id, "My message must not be lost. [firm]")
    assert out.model_error and "kept" in out.model_error
    turns = out.view.transcript.turns
    assert turns[-1].speaker == "trainee" and turns[-1].text.startswith("My message")
    again = await svc.retry(view.session_id)
    assert again.reply is not None and again.reply.text == "Back again."
    assert [t.speaker for t in again.view.transcript.turns] == [
        "counterpart",
        "trainee",
        "counterpart",
    ]
    await svc.aclose()


async def test_prompt_stays_under_the_budget_at_turn_100(tmp_path: Path) -> None:
    sizes: list[int] = []

    def reply(messages: list[ChatMessage]) -> str:
        sizes.append(count_messages(messages))
        return "We hold our position on every point you raised, and the clock keeps running. " * 4

    svc = await open_service(tmp_path, FunctionModel(reply), budget=2500)
    view = await svc.start(user="ana", persona_id="deputy-vorn")
    long_turn = "We note your position and restate ours in full, point by point. " * 6
    for i in range(100):
        await svc.send(view.session_id, f"{i}: {long_turn} [firm]")
    assert len(sizes) == 101
    assert max(sizes) <= 2500, max(sizes)
    await svc.aclose()


async def test_over_http_with_the_stub_server(tmp_path: Path) -> None:
    with StubServer() as stub:
        model = OpenAIChatModel(
            ModelSettings(model="stub-model", timeout=1.0, max_retries=1),
            api_key="k",
            base_url=stub.url,
        )
        svc = await open_service(tmp_path, model)
        stub.enqueue(
            "Opening over HTTP.", 429, "After one retry.", Delay(3.0, "late"), Delay(3.0, "late")
        )
        view = await svc.start(user="ana", persona_id="deputy-vorn")
        assert view.transcript.turns[0].text == "Opening over HTTP."
        tokens: list[str] = []

        async def on_token(token: str) -> None:
            tokens.append(token)

        out = await svc.send(view.session_id, "No. [firm]", on_token=on_token)
        assert out.reply is not None and out.reply.text == "After one retry."
        assert "".join(tokens) == "After one retry."
        assert all(body.get("stream") for body in stub.requests)
        out = await svc.send(view.session_id, "Still no. [firm]")
        assert out.model_error and "did not answer" in out.model_error
        assert "offline" in (out.reply.model_extra or {})["backend"]  # type: ignore[union-attr]
        await model.aclose()
        await svc.aclose()
