"""The Chainlit practice room: thin handlers that turn browser events into engine calls.

Started by `coach ui` (see coach/cli/ui.py). Rendering lives in coach.ui.render, .review and
.elements; storage in coach.ui.storage; accounts in coach.ui.auth.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec

import chainlit as cl
from chainlit.config import config as chainlit_config
from chainlit.data import get_data_layer
from chainlit.input_widget import Select
from chainlit.server import app as chainlit_server
from chainlit.server import sio as chainlit_socket
from chainlit.types import CommandDict

from coach.config import load_settings
from coach.domain.errors import CoachError, UserError
from coach.ui import auth
from coach.ui.elements import review_message, show_scorecard
from coach.ui.local_only import install_local_only
from coach.ui.origins import install_socket_origin_check
from coach.ui.render import (
    MODES,
    brief_markdown,
    check_message,
    line_recap,
    profile_description,
    rewind_label,
)
from coach.ui.routes import install_file_route
from coach.ui.runtime import (
    Runtime,
    get_runtime,
    record_startup_error,
    start_runtime,
    stop_runtime,
)
from coach.ui.storage import LocalStorageClient, build_data_layer, database_url, files_dir

log = logging.getLogger("coach.ui")

_background: set[asyncio.Task[None]] = set()

SESSION_KEY = "coach_session_id"
"""Key of the engine's session id in the Chainlit user session and in thread metadata."""
REPLIES_KEY = "coach_replies"
"""Move number -> id of the reply message, to put rewind buttons back after a resume."""

COMMANDS: list[CommandDict] = [
    CommandDict(id=cid, icon=icon, description=text, button=False, persistent=False, selected=False)
    for cid, icon, text in [
        ("brief", "file-text", "Show your brief again"),
        ("end", "flag", "End the session and see the review"),
        ("branches", "git-branch", "List your attempts after rewinds"),
    ]
]

_settings = load_settings()
_storage = LocalStorageClient(files_dir(_settings.data_dir))
install_file_route(chainlit_server, _storage)
install_socket_origin_check(chainlit_socket, chainlit_config.project.allow_origins)
install_local_only()


# --- accounts -------------------------------------------------------------------------------

if auth.single_user_mode():

    @cl.header_auth_callback
    async def local_user(headers: Any) -> cl.User | None:
        """Single-user mode: everyone who reaches this loopback server is the local user."""
        return cl.User(identifier=auth.LOCAL_USER, metadata={"provider": "single-user"})

else:

    @cl.password_auth_callback
    async def password_login(username: str, password: str) -> cl.User | None:
        """Log in against the users file (bcrypt hashes)."""
        path = auth.users_file(_settings.data_dir)
        account = auth.authenticate(path, username, password)
        if account is None:
            return None
        return cl.User(
            identifier=account.name,
            display_name=account.display_name or None,
            metadata={"provider": "password"},
        )


# --- storage and start-up -------------------------------------------------------------------


@cl.data_layer
def data_layer() -> Any:
    """Chainlit's persistence, built by the one storage seam."""
    return build_data_layer(database_url(_settings.data_dir), files_dir(_settings.data_dir))


@cl.on_app_startup
async def startup() -> None:
    """Open the storage and build the engine once per process."""
    try:
        await start_runtime()
    except Exception as err:  # shown on every page rather than a mute failure
        log.exception("the practice room could not start")
        record_startup_error(err)


@cl.on_app_shutdown
async def shutdown() -> None:
    """Close the storage."""
    await stop_runtime()


# --- helpers --------------------------------------------------------------------------------


def _user_id() -> str:
    user = cl.user_session.get("user")
    return str(getattr(user, "identifier", auth.LOCAL_USER))


def _session_id() -> str | None:
    value = cl.user_session.get(SESSION_KEY)
    return str(value) if value else None


async def _say(text: str, **kwargs: Any) -> None:
    await cl.Message(content=text, author="Coach", **kwargs).send()


P = ParamSpec("P")


def reports_errors(handler: Callable[P, Awaitable[None]]) -> Callable[P, Awaitable[None]]:
    """Show a coach error (bad input, unknown session, model failure) as a chat message."""

    @functools.wraps(handler)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            await handler(*args, **kwargs)
        except CoachError as err:
            log.info("handler %s: %s", handler.__name__, err)
            await _say(f"That did not work: {err}")

    return wrapper


def _brief_actions() -> list[cl.Action]:
    return [
        cl.Action(name="brief", payload={}, label="Show brief", icon="file-text"),
        cl.Action(name="end", payload={}, label="End session", icon="flag"),
    ]


async def _remember(runtime: Runtime, session_id: str, persona: Any) -> None:
    """Keep the engine session id (and where each reply is) in the thread's metadata."""
    cl.user_session.set(SESSION_KEY, session_id)
    layer = get_data_layer()
    thread_id = getattr(cl.context.session, "thread_id", None)
    if layer is not None and thread_id:
        metadata = {
            SESSION_KEY: session_id,
            REPLIES_KEY: cl.user_session.get(REPLIES_KEY) or {},
            "chat_profile": persona.id,
        }
        await layer.update_thread(thread_id, name=persona.name, metadata=metadata)


async def _show_brief(view: Any) -> None:
    text = brief_markdown(
        view.persona,
        view.scenario,
        mode=view.mode,
        difficulty=view.difficulty,
        backend=view.backend,
    )
    await _say(text, actions=_brief_actions())


async def _start_session(runtime: Runtime, persona_id: str, settings: dict[str, Any]) -> Any:
    mode = settings.get("mode") if settings.get("mode") in MODES else "practice"
    view = await runtime.service.start(
        user=_user_id(),
        persona_id=persona_id,
        mode=mode,
        difficulty=settings.get("difficulty") or None,
    )
    cl.user_session.set(SESSION_KEY, view.session_id)
    cl.user_session.set("coach_settings", {"mode": mode, "difficulty": view.difficulty})
    return view


def _settings_widgets(persona: Any) -> list[Any]:
    widgets: list[Any] = [
        Select(
            id="mode",
            label="Mode",
            values=list(MODES),
            initial_index=0,
            description="practice: a hint after each move; exam: no hints or scores until the "
            "review. Change it before your first move.",
        ),
    ]
    if persona.difficulties:
        names = list(persona.difficulties)
        widgets.append(Select(id="difficulty", label="Difficulty", values=names, initial_index=0))
    return widgets


async def _owned_view(runtime: Runtime, session_id: str | None) -> Any | None:
    """The engine view of a session, only when it belongs to the current user."""
    if not session_id:
        return None
    try:
        view = await runtime.service.view(session_id)
    except UserError:  # an unknown id: treat like no session
        log.warning("unknown coach session %s", session_id)
        return None
    return view if view.user == _user_id() else None


def library_warning(problems: list[str], limit: int = 5) -> str:
    """A visible note for trainers: which files failed and that their last good version serves."""
    lines = "\n".join(f"- `{p}`" for p in problems[:limit])
    more = f"\n- … and {len(problems) - limit} more" if len(problems) > limit else ""
    return (
        "**Library warning** (for trainers): some data files do not validate. Files that were "
        "good before keep their last good version in service; run `coach validate` for the "
        f"details.\n{lines}{more}"
    )


# --- persona picker and session start -------------------------------------------------------


@cl.set_chat_profiles
async def chat_profiles(user: Any = None, language: str | None = None) -> list[cl.ChatProfile]:
    """One chat profile per persona of the library (re-read if its files changed)."""
    runtime = get_runtime()
    runtime.refresh_library()
    return [
        cl.ChatProfile(
            name=p.id,
            display_name=f"{p.name}, {p.title}",
            markdown_description=profile_description(p, runtime.scenario_of(p)),
            default=(i == 0),
        )
        for i, p in enumerate(runtime.personas())
    ]


@cl.on_chat_start
@reports_errors
async def on_chat_start() -> None:
    """Start an engine session for the chosen persona and show the brief."""
    runtime = get_runtime()
    problems = runtime.refresh_library()
    if problems:
        await _say(library_warning(problems))
    persona_id = cl.user_session.get("chat_profile") or (
        runtime.personas()[0].id if runtime.personas() else None
    )
    persona = runtime.persona(str(persona_id)) if persona_id else None
    if persona is None:
        await _say("No persona is available: check the library folder (`coach validate`).")
        return
    values = await cl.ChatSettings(_settings_widgets(persona)).send()
    view = await _start_session(runtime, persona.id, values or {})
    await cl.context.emitter.set_commands(COMMANDS)
    await _show_brief(view)
    await show_scorecard(view)


@cl.on_settings_update
@reports_errors
async def on_settings_update(values: dict[str, Any]) -> None:
    """New mode or difficulty: restart if no move was made yet, else keep for the next chat."""
    runtime = get_runtime()
    view = await _owned_view(runtime, _session_id())
    if view is None:
        return
    if view.transcript.trainee_turns():
        await _say(
            "Mode and difficulty apply from the next session (start a new chat); this one "
            f"continues in {view.mode} mode."
        )
        return
    view = await _start_session(runtime, view.persona.id, values)
    await _say(f"Settings changed: restarted in **{view.mode}** mode.")
    await _show_brief(view)
    await show_scorecard(view)


# --- moves ----------------------------------------------------------------------------------


@cl.on_message
@reports_errors
async def on_message(message: cl.Message) -> None:
    """A trainee move (or a /command): ask the engine, stream the counterpart's reply."""
    runtime = get_runtime()
    command = getattr(message, "command", None) or typed_command(message.content)
    if command:
        await run_command(str(command))
        return
    view = await _owned_view(runtime, _session_id())
    if view is None:
        await _say("There is no session here. Pick a persona above to start one.")
        return
    if view.ended:
        await _say("This session has ended. Start a new chat to practise again.")
        return
    problem = check_message(message.content, runtime.settings.max_message_chars)
    if problem:
        await _say(problem)
        return
    await play_move(runtime, view, message.content)


def typed_command(text: str) -> str | None:
    """A command typed out in full ("/end") rather than picked from the command menu."""
    word = text.strip()
    if word.startswith("/") and word[1:] in {c["id"] for c in COMMANDS}:
        return word[1:]
    return None


async def play_move(runtime: Runtime, view: Any, text: str) -> None:
    """Send one move to the engine and show the reply, the hint and the scorecard."""
    reply = cl.Message(content="", author=view.persona.name)

    async def on_token(token: str) -> None:
        await reply.stream_token(token)

    outcome = await runtime.service.send(view.session_id, text, on_token=on_token)
    await show_outcome(runtime, outcome, reply)


def _rewind_action(move: int) -> cl.Action:
    return cl.Action(
        name="rewind",
        payload={"turn": move},
        label=rewind_label(move),
        tooltip="Go back to before this move and try another; this attempt is kept",
    )


async def show_outcome(runtime: Runtime, outcome: Any, reply: cl.Message) -> None:
    """Render a `TurnOutcome`: the reply with its rewind action, errors, hint, scorecard."""
    if not outcome.accepted:
        if reply.streaming:
            await reply.remove()
        await _say(outcome.error or "That move was not accepted.")
        return
    view = outcome.view
    if outcome.reply is not None:
        move = len(view.transcript.trainee_turns())
        reply.content = outcome.reply.text
        reply.actions = [_rewind_action(move)] if view.mode != "exam" else []
        await reply.send()  # ends a stream, or sends the whole reply (offline backend)
        replies = dict(cl.user_session.get(REPLIES_KEY) or {})
        replies[str(move)] = reply.id
        cl.user_session.set(REPLIES_KEY, replies)
    if outcome.model_error:
        await _say(
            f"The model failed: {outcome.model_error}. Your move is kept.",
            actions=[cl.Action(name="retry", payload={}, label="Retry the reply")],
        )
    if outcome.hint and view.mode == "practice":
        await _say(f"**Hint:** {outcome.hint}")
    await _remember(runtime, view.session_id, view.persona)
    await show_scorecard(view)
    if not cl.user_session.get("coach_thread_open"):
        # The browser moves to /thread/<id> after the first move and closes the sidebar then.
        cl.user_session.set("coach_thread_open", True)
        _reopen_scorecard_soon(runtime, view.session_id)


def _reopen_scorecard_soon(runtime: Runtime, session_id: str) -> None:
    task = asyncio.create_task(_reopen_scorecard(runtime, session_id))
    _background.add(task)
    task.add_done_callback(_background.discard)


async def _reopen_scorecard(runtime: Runtime, session_id: str, delay: float = 1.5) -> None:
    await asyncio.sleep(delay)
    view = await runtime.service.view(session_id)
    await show_scorecard(view)
    await _remember(runtime, session_id, view.persona)  # Chainlit names it on first move


# --- commands and actions -------------------------------------------------------------------


async def run_command(command: str) -> None:
    """The /brief, /end and /branches commands."""
    runtime = get_runtime()
    view = await _owned_view(runtime, _session_id())
    if view is None:
        await _say("There is no session here. Pick a persona above to start one.")
        return
    if command == "brief":
        await _show_brief(view)
    elif command == "end":
        await end_session(runtime, view)
    elif command == "branches":
        await show_branches(runtime, view)
    else:
        await _say(f"Unknown command /{command}. Try /brief, /end or /branches.")


async def end_session(runtime: Runtime, view: Any) -> None:
    """End the session and show the after-action review with its downloads."""
    if view.ended and view.review is not None:
        review = view.review
    else:
        if runtime.service.review_calls_a_model:
            await _say("Writing your after-action review: one more call to the judge.")
        review = await runtime.service.end(view.session_id)
    view = await runtime.service.view(view.session_id)
    await review_message(view, review).send()
    await _remember(runtime, view.session_id, view.persona)
    await show_scorecard(view)


async def show_branches(runtime: Runtime, view: Any) -> None:
    """List the attempts (branch tips) of this session, each one reachable by a button."""
    branches = await runtime.service.branches(view.session_id)
    if len(branches) < 2:
        await _say("No rewinds yet: this session has one line of play.")
        return
    lines, actions = [], []
    for n, b in enumerate(branches, start=1):
        mark = " (current)" if b.current else ""
        lines.append(f"{n}. {b.trainee_turns} moves{mark}: “{b.last_text}”")
        if not b.current:
            actions.append(
                cl.Action(
                    name="checkout",
                    payload={"checkpoint": b.checkpoint_id},
                    label=f"Continue attempt {n}",
                )
            )
    await _say("**Attempts in this session:**\n" + "\n".join(lines), actions=actions)


@cl.action_callback("brief")
@reports_errors
async def on_brief(action: cl.Action) -> None:
    """The "Show brief" button."""
    await run_command("brief")


@cl.action_callback("end")
@reports_errors
async def on_end(action: cl.Action) -> None:
    """The "End session" button."""
    await run_command("end")


@cl.action_callback("rewind")
@reports_errors
async def on_rewind(action: cl.Action) -> None:
    """Rewind to before a trainee move; the abandoned line stays as a branch."""
    runtime = get_runtime()
    view = await _owned_view(runtime, _session_id())
    if view is None or view.ended:
        await _say("This session cannot be rewound (it has ended or is not yours).")
        return
    turn = int(action.payload.get("turn", 0))
    view = await runtime.service.rewind(view.session_id, turn)
    await _say(
        f"↺ Rewound to before your move {turn}. Your earlier attempt is kept (see /branches). "
        f"Type a new move {turn}.",
        actions=[cl.Action(name="branches", payload={}, label="Show attempts", icon="git-branch")],
    )
    await show_scorecard(view)


@cl.action_callback("branches")
@reports_errors
async def on_branches(action: cl.Action) -> None:
    """The "Show attempts" button."""
    await run_command("branches")


@cl.action_callback("checkout")
@reports_errors
async def on_checkout(action: cl.Action) -> None:
    """Go back to an earlier attempt (a branch left by a rewind)."""
    runtime = get_runtime()
    view = await _owned_view(runtime, _session_id())
    if view is None:
        return
    view = await runtime.service.checkout(view.session_id, str(action.payload["checkpoint"]))
    moves = view.trainee_turns
    await _say(
        f"↪ Back on that attempt: continuing after your move {moves}. Where it stands:\n\n"
        f"{line_recap(view.transcript, view.persona.name)}\n\n"
        f"Type your move {moves + 1}."
    )
    await show_scorecard(view)


@cl.action_callback("retry")
@reports_errors
async def on_retry(action: cl.Action) -> None:
    """Ask the model again after it failed."""
    runtime = get_runtime()
    view = await _owned_view(runtime, _session_id())
    if view is None:
        return
    reply = cl.Message(content="", author=view.persona.name)

    async def on_token(token: str) -> None:
        await reply.stream_token(token)

    outcome = await runtime.service.retry(view.session_id, on_token=on_token)
    await show_outcome(runtime, outcome, reply)


# --- resume ---------------------------------------------------------------------------------


def session_id_of_thread(thread: Any) -> str | None:
    """The engine session id stored in a Chainlit thread's metadata (JSON text or a dict)."""
    metadata = thread.get("metadata") or {}
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except json.JSONDecodeError:
            return None
    value = metadata.get(SESSION_KEY) if isinstance(metadata, dict) else None
    return str(value) if value else None


@cl.on_chat_resume
@reports_errors
async def on_chat_resume(thread: Any) -> None:
    """Reattach an earlier session (also after a server restart) for its owner only."""
    runtime = get_runtime()
    view = await _owned_view(runtime, session_id_of_thread(thread))
    if view is None:
        cl.user_session.set(SESSION_KEY, None)
        await _say("This conversation cannot be resumed: its practice session was not found.")
        return
    cl.user_session.set(SESSION_KEY, view.session_id)
    cl.user_session.set("coach_thread_open", True)
    cl.user_session.set(REPLIES_KEY, replies_of_thread(thread))
    await cl.context.emitter.set_commands(COMMANDS)
    # The thread page loads the stored messages after this handler and drops what it sent
    # meanwhile (actions, the sidebar): say hello a moment later.
    task = asyncio.create_task(_greet_resumed(runtime, view.session_id))
    _background.add(task)
    task.add_done_callback(_background.discard)


def replies_of_thread(thread: Any) -> dict[str, str]:
    """Move number -> reply message id, from a thread's metadata."""
    metadata = thread.get("metadata") or {}
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except json.JSONDecodeError:
            return {}
    replies = metadata.get(REPLIES_KEY) if isinstance(metadata, dict) else None
    return {str(k): str(v) for k, v in replies.items()} if isinstance(replies, dict) else {}


async def _greet_resumed(runtime: Runtime, session_id: str, delay: float = 1.0) -> None:
    await asyncio.sleep(delay)
    view = await runtime.service.view(session_id)
    state = "has ended; its review is above" if view.ended else "is resumed: your move"
    await _say(
        f"Session with **{view.persona.name}**, {view.persona.title} "
        f"({view.scenario.title}, {view.mode} mode) {state}.",
        actions=_brief_actions(),
    )
    if not view.ended and view.mode != "exam":
        moves = view.trainee_turns
        for move, step_id in (cl.user_session.get(REPLIES_KEY) or {}).items():
            if move.isdigit() and 1 <= int(move) <= moves:
                await _rewind_action(int(move)).send(for_id=step_id)
    await show_scorecard(view)
