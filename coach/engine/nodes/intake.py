"""intake: accept the trainee's message, or refuse it with a reason and lose nothing."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from langgraph.runtime import Runtime

from coach.engine.context import SessionContext
from coach.engine.state import SessionState

ALLOWED_CONTROLS = {"\n", "\t"}


def clean_message(text: str, max_chars: int) -> tuple[str | None, str | None]:
    """(cleaned text, None) when acceptable, else (None, reason the trainee can act on)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = {c for c in text if unicodedata.category(c) == "Cc" and c not in ALLOWED_CONTROLS}
    if controls:
        codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(controls))
        return None, (
            f"Your message contains control characters ({codes}); remove them and send it again."
        )
    text = text.strip()
    if not text:
        return None, "Your message is empty: say something to your counterpart."
    if len(text) > max_chars:
        return None, (
            f"Your message is {len(text):,} characters; the limit is {max_chars:,}. "
            "Shorten it: in a real negotiation a long statement loses the room. "
            "Nothing was sent, and the session is unchanged."
        )
    return text, None


def now() -> str:
    """UTC timestamp for transcripts."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def intake(state: SessionState, runtime: Runtime[SessionContext]) -> dict[str, Any]:
    """Append the trainee's message to the transcript, or record why it was refused."""
    # Inputs are consumed here so that they do not linger in the checkpointed state.
    base: dict[str, Any] = {
        "incoming": "",
        "command": "",
        "phase": "turn",
        "rejection": None,
        "model_error": None,
    }
    if state.get("ended"):
        return {**base, "rejection": "This session has ended; start a new one or rewind."}
    command = state.get("command") or ""
    if command in ("open", "end"):
        return {**base, "phase": command}
    text, reason = clean_message(state.get("incoming") or "", runtime.context.max_message_chars)
    if reason:
        return {**base, "rejection": reason}
    turn = {"speaker": "trainee", "text": text, "timestamp": now()}
    return {**base, "turns": [turn]}


def route_after_intake(state: SessionState) -> str:
    """Where a turn goes after intake."""
    if state.get("rejection"):
        return "__end__"
    if state.get("phase") == "end":
        return "review"
    return "strategist"
