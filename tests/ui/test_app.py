"""The Chainlit handlers, with a fake engine and messages captured instead of sent."""

from __future__ import annotations

import asyncio
import json
from typing import Any, ClassVar

import chainlit as cl
import pytest
from chainlit.context import init_http_context

from coach.ui import app, elements
from coach.ui.runtime import Runtime, set_runtime
from tests.ui import factories as f


class Captured:
    """Stands in for cl.Message: records what would reach the browser."""

    sent: ClassVar[list[Captured]] = []

    def __init__(self, content: str = "", author: str | None = None, **kwargs: Any) -> None:
        self.content = content
        self.author = author
        self.actions = kwargs.get("actions") or []
        self.elements = kwargs.get("elements") or []
        self.tokens: list[str] = []
        self.streaming = False
        self.removed = False
        self.id = f"msg-{len(Captured.sent)}-{id(self)}"

    async def stream_token(self, token: str) -> None:
        self.streaming = True
        self.tokens.append(token)
        self.content += token

    async def send(self) -> Captured:
        self.streaming = False
        Captured.sent.append(self)
        return self

    async def remove(self) -> None:
        self.removed = True


class Library:
    def __init__(self) -> None:
        self.personas = {"minister-test": f.persona()}
        self.scenarios = {"harbour": f.scenario()}


@pytest.fixture
async def room(monkeypatch):
    init_http_context(user=cl.User(identifier="alice"))
    Captured.sent = []
    monkeypatch.setattr(cl, "Message", Captured)
    scorecards: list[Any] = []

    async def show(view: Any) -> None:
        scorecards.append(view)

    async def no_commands(commands: Any) -> None:
        return None

    monkeypatch.setattr(app, "show_scorecard", show)
    monkeypatch.setattr(app, "get_data_layer", lambda: None)
    monkeypatch.setattr(cl.context.emitter, "set_commands", no_commands)
    service = f.FakeService()
    settings = app.load_settings({})
    set_runtime(Runtime(settings, service, Library()))
    cl.user_session.set(app.SESSION_KEY, "s-abc123")
    yield service, scorecards
    set_runtime(None)


def texts() -> list[str]:
    return [m.content for m in Captured.sent]


async def test_empty_message_gets_a_clear_answer_and_no_engine_call(room) -> None:
    service, _ = room
    await app.on_message(cl.message.Message(content="   "))
    assert "empty" in texts()[-1]
    assert service.calls == []


async def test_100kb_paste_is_refused_without_reaching_the_engine(room) -> None:
    service, _ = room
    await app.on_message(cl.message.Message(content="x" * 100_000))
    assert "100,000 characters" in texts()[-1]
    assert service.calls == []


async def test_move_streams_the_reply_adds_rewind_hint_and_scorecard(room) -> None:
    service, scorecards = room
    await app.on_message(cl.message.Message(content="We will not sign today."))
    assert service.calls == [("send", "We will not sign today.")]
    reply = Captured.sent[0]
    assert reply.tokens == ["Sign ", "now ", "or else."]
    assert reply.content == "Sign now or else." and reply.author == "Orla Test"
    assert [(a.name, a.payload) for a in reply.actions] == [("rewind", {"turn": 1})]
    assert texts()[1].startswith("**Hint:** Ultimatum")
    assert len(scorecards) == 1


async def test_rejected_move_shows_the_engine_reason(room, monkeypatch) -> None:
    service, _ = room

    async def reject(session_id: str, text: str, *, on_token: Any = None) -> Any:
        return f.FakeOutcome(
            service.views[session_id], accepted=False, error="Too hot.", reply=None
        )

    monkeypatch.setattr(service, "send", reject)
    await app.on_message(cl.message.Message(content="Insults."))
    assert texts() == ["Too hot."]


async def test_model_error_offers_a_retry(room, monkeypatch) -> None:
    service, _ = room

    async def failing(session_id: str, text: str, *, on_token: Any = None) -> Any:
        return f.FakeOutcome(
            service.views[session_id], reply=None, hint=None, model_error="timed out"
        )

    monkeypatch.setattr(service, "send", failing)
    await app.on_message(cl.message.Message(content="Hello."))
    assert "timed out" in texts()[0]
    assert Captured.sent[0].actions[0].name == "retry"


async def test_rewind_action_calls_the_engine(room) -> None:
    service, scorecards = room
    await app.on_rewind(cl.Action(name="rewind", payload={"turn": 2}))
    assert service.calls == [("rewind", 2)]
    assert "Rewound to before your move 2" in texts()[-1]
    assert scorecards


async def test_end_command_sends_review_with_chart_and_downloads(room, monkeypatch) -> None:
    service, _ = room
    sent: list[Any] = []

    async def record(self: Any) -> Any:
        sent.append(self)
        return self

    monkeypatch.setattr(cl.Message, "send", record)
    await app.on_message(cl.message.Message(content="/end", command="end"))
    assert service.calls == [("end", "s-abc123")]
    review = sent[-1]
    assert "After-action review: FAILED" in review.content
    names = [e.name for e in review.elements]
    assert names[0] == "escalation-chart.svg"
    assert any(n.endswith("-transcript.json") for n in names)
    assert any(n.endswith("-review.md") for n in names)


async def test_ending_with_an_llm_judge_says_the_review_is_being_written(room) -> None:
    service, _ = room
    await app.on_message(cl.message.Message(content="/end", command="end"))
    assert not any("Writing your after-action review" in t for t in texts())
    service.views["s-abc123"].ended, service.views["s-abc123"].review = False, None
    service.review_calls_a_model = True
    await app.on_message(cl.message.Message(content="/end", command="end"))
    said = texts()
    assert "Writing your after-action review: one more call to the judge." in said
    assert (
        said.index("Writing your after-action review: one more call to the judge.") < len(said) - 1
    )  # before the review itself


async def test_brief_command_shows_the_brief(room) -> None:
    await app.run_command("brief")
    assert "## Brief: The Harbour Talks" in texts()[-1]
    assert {a.name for a in Captured.sent[-1].actions} == {"brief", "end"}


async def test_an_exam_reply_has_no_rewind_button(room) -> None:
    service, _ = room
    service.views["s-abc123"].mode = "exam"
    await app.on_message(cl.message.Message(content="We will not sign today."))
    assert Captured.sent[0].content == "Sign now or else."
    assert Captured.sent[0].actions == []


async def test_ended_session_takes_no_more_moves(room) -> None:
    service, _ = room
    service.views["s-abc123"].ended = True
    await app.on_message(cl.message.Message(content="One more."))
    assert "has ended" in texts()[-1] and service.calls == []


async def test_chat_start_starts_a_session_for_the_profile(room, monkeypatch) -> None:
    service, scorecards = room
    cl.user_session.set("chat_profile", "minister-test")

    async def settings_send(self: Any) -> dict[str, Any]:
        return {"mode": "exam", "difficulty": "hard"}

    monkeypatch.setattr(cl.ChatSettings, "send", settings_send)
    await app.on_chat_start()
    assert service.calls == [
        (
            "start",
            {"user": "alice", "persona_id": "minister-test", "mode": "exam", "difficulty": "hard"},
        )
    ]
    assert cl.user_session.get(app.SESSION_KEY) == "s-new"
    assert "## Brief" in texts()[-1] and scorecards


async def test_chat_profiles_list_the_personas(room) -> None:
    profiles = await app.chat_profiles(None)
    assert [(p.name, p.display_name) for p in profiles] == [
        ("minister-test", "Orla Test, Minister of Ports")
    ]


async def test_resume_reattaches_the_owners_session_and_its_rewind_buttons(
    room, monkeypatch
) -> None:
    cl.user_session.set(app.SESSION_KEY, None)
    service, scorecards = room
    service.views["s-abc123"].transcript = f.transcript(2)
    sent_actions: list[tuple[str, Any]] = []

    async def send_action(self: Any, for_id: str) -> None:
        sent_actions.append((for_id, self.payload))

    monkeypatch.setattr(cl.Action, "send", send_action)
    metadata = {"coach_session_id": "s-abc123", "coach_replies": {"1": "step-a", "2": "step-b"}}
    await app.on_chat_resume({"metadata": json.dumps(metadata)})
    assert cl.user_session.get(app.SESSION_KEY) == "s-abc123"
    await asyncio.gather(*app._background)
    assert "resumed" in texts()[-1]
    assert sent_actions == [("step-a", {"turn": 1}), ("step-b", {"turn": 2})]
    assert scorecards


async def test_resume_refuses_another_users_session(room) -> None:
    service, _ = room
    service.views["s-bob"] = f.FakeView(session_id="s-bob", user="bob")
    await app.on_chat_resume({"metadata": {"coach_session_id": "s-bob"}})
    assert cl.user_session.get(app.SESSION_KEY) is None
    assert "cannot be resumed" in texts()[-1]
    await app.on_message(cl.message.Message(content="Hello."))
    assert service.calls == []


def test_session_id_of_thread_reads_text_or_dict_metadata() -> None:
    assert app.session_id_of_thread({"metadata": '{"coach_session_id": "s-1"}'}) == "s-1"
    assert app.session_id_of_thread({"metadata": {"coach_session_id": "s-2"}}) == "s-2"
    assert app.session_id_of_thread({"metadata": "not json"}) is None
    assert app.session_id_of_thread({}) is None


def test_scorecard_props_of_a_view() -> None:
    props = elements.props_of(f.FakeView(transcript=f.transcript(2), last_hint="Hint."))
    assert props["turns"] == 2 and props["hint"] == "Hint."


async def test_engine_errors_become_a_message(room, monkeypatch) -> None:
    service, _ = room

    async def refuse(session_id: str, trainee_turn: int) -> Any:
        from coach.domain.errors import UserError

        raise UserError("cannot rewind to turn 9")

    monkeypatch.setattr(service, "rewind", refuse)
    await app.on_rewind(cl.Action(name="rewind", payload={"turn": 9}))
    assert texts()[-1] == "That did not work: cannot rewind to turn 9"


async def test_branches_list_attempts_with_a_button_to_continue_each(room, monkeypatch) -> None:
    service, _ = room

    class Branch:
        def __init__(self, cid: str, moves: int, current: bool) -> None:
            self.checkpoint_id, self.trainee_turns, self.current = cid, moves, current
            self.last_text = f"move {moves}"

    async def branches(session_id: str) -> list[Branch]:
        return [Branch("c1", 2, False), Branch("c2", 1, True)]

    async def checkout(session_id: str, checkpoint: str) -> Any:
        service.calls.append(("checkout", checkpoint))
        view = service.views[session_id]
        view.transcript = f.transcript(2)
        return view

    monkeypatch.setattr(service, "branches", branches)
    monkeypatch.setattr(service, "checkout", checkout, raising=False)
    await app.run_command("branches")
    assert "1. 2 moves: “move 2”" in texts()[-1] and "(current)" in texts()[-1]
    [action] = Captured.sent[-1].actions
    await app.on_checkout(action)
    assert service.calls == [("checkout", "c1")]
    assert "after your move 2" in texts()[-1]
    assert "**You (move 2):** My move 2." in texts()[-1]  # the line of play is shown again


def test_typed_commands_are_recognised() -> None:
    assert app.typed_command(" /branches ") == "branches"
    assert app.typed_command("/end") == "end"
    assert app.typed_command("/nonsense") is None
    assert app.typed_command("We propose /end of talks") is None


async def test_rewind_offers_the_attempts(room) -> None:
    await app.on_rewind(cl.Action(name="rewind", payload={"turn": 1}))
    assert [a.name for a in Captured.sent[-1].actions] == ["branches"]


async def test_chat_start_reloads_the_library_and_shows_its_errors(room, monkeypatch) -> None:
    service, _ = room
    library = app.get_runtime().library
    refreshed: list[bool] = []
    library.refresh = lambda: refreshed.append(True)
    library.errors = ["personas/minister-test.yaml:12: tactics[1]: unknown tactic 'threaat'"]
    cl.user_session.set("chat_profile", "minister-test")

    async def settings_send(self: Any) -> dict[str, Any]:
        return {}

    monkeypatch.setattr(cl.ChatSettings, "send", settings_send)
    await app.on_chat_start()
    assert refreshed
    warning = next(t for t in texts() if "Library warning" in t)
    assert "personas/minister-test.yaml:12: tactics[1]" in warning
    assert "last good version" in warning
    assert service.calls and service.calls[0][0] == "start"


async def test_a_failed_start_is_explained_in_the_chat(room, monkeypatch) -> None:
    from coach.ui import runtime as runtime_module

    set_runtime(None)
    monkeypatch.setattr(runtime_module, "_startup_error", None)
    runtime_module.record_startup_error(OSError("database is locked"))
    await app.on_chat_start()
    assert "could not start (OSError: database is locked)" in texts()[-1]
