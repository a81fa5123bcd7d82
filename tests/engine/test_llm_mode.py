"""The engine with a counterpart LLM: the scripted fake, and the stub server over HTTP."""

from __future__ import annotations

import json
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
    assert not svc.review_calls_a_model  # an LLM counterpart, but the offline judge
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


class SessionRubricLibrary(FixedLibrary):
    """The fixtures' rubric with a session criterion no offline measure reads."""

    def snapshot(self, persona_id, scenario_id=None, rubric_id=None):  # type: ignore[no-untyped-def]
        persona, scenario, rubric, versions = super().snapshot(persona_id, scenario_id, rubric_id)
        arc = rubric.criteria[0].model_copy(
            update={"id": "arc", "name": "Arc", "applies_to": "session", "measure": None}
        )
        return (
            persona,
            scenario,
            rubric.model_copy(update={"criteria": [*rubric.criteria, arc]}),
            versions,
        )


def judge_reply(messages: list[ChatMessage], json_schema: dict) -> str:
    """Valid verdicts: every per-turn criterion 4, the session's arc 2 with a real quote."""
    defs = json_schema["$defs"]
    if json_schema["title"] == "SessionVerdict":
        return json.dumps(
            {
                "criteria": {
                    "arc": {
                        "reasoning": "Held, but never proposed a step.",
                        "score": 2,
                        "evidence": "No.",
                    }
                }
            }
        )
    names = defs["CriteriaVerdicts"]["properties"]
    return json.dumps({
        "criteria": {c: {"reasoning": "r", "score": 4, "evidence": ""} for c in names},
        "labels_reasoning": "r", "tone": 4, "escalation": 0,
        "red_line_breaches": [], "tactics_named": [],
    })  # fmt: skip


async def test_the_llm_judge_scores_the_session_criteria_in_the_review(tmp_path: Path) -> None:
    judge_model = FunctionModel(judge_reply)
    svc = await SessionService.open(
        Settings(data_dir=tmp_path),
        SessionRubricLibrary(),
        quick_judge=MarkerJudge(),
        evaluator_model=judge_model,
    )
    assert svc.review_calls_a_model  # the UI says so before it waits
    view = await svc.start(user="ana", persona_id="deputy-vorn")
    await svc.send(view.session_id, "No. The toll stays. [firm]")
    review = await svc.end(view.session_id)
    arc = next(c for c in review.criteria if c.criterion == "arc")
    assert (arc.score, arc.judge, arc.quotes) == (2.0, "llm:fake/function", ["No."])
    assert arc.reason == "Held, but never proposed a step."
    assert review.overall == round((4 * 1 + 4 * 2 + 4 * 1 + 2 * 1) / 5, 2)
    session_calls = [r for r in judge_model.requests if "WHOLE session" in r[0].content]
    assert len(session_calls) == 1
    await svc.aclose()
