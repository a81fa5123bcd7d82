"""A reasoning model's leading `<think>...</think>` block, kept out of what the trainee reads.

Local servers (llama.cpp, Ollama, vLLM without a reasoning parser) put a reasoning model's
thoughts into the reply's content, before the answer. The counterpart's reasoning is its
plan against the trainee: shown, it would give the game away.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

_OPEN = "<think>"
_CLOSE = "</think>"
_LEADING = re.compile(r"^\s*<think>.*?</think>\s*", re.DOTALL | re.IGNORECASE)


def strip_thinking(text: str) -> str:
    """`text` without a leading think block (an unclosed one hides everything)."""
    block = _LEADING.match(text)
    if block:
        return text[block.end() :]
    return "" if text.lstrip().lower().startswith(_OPEN) else text


async def without_thinking(chunks: AsyncIterator[str]) -> AsyncIterator[str]:
    """Stream `chunks` without a leading think block, however the chunks cut its tags.

    Text is held back only while it may still be, or be inside, a leading think block."""
    state, held = "start", ""
    async for chunk in chunks:
        if state == "pass":
            yield chunk
            continue
        if state == "after":  # the answer starts after the block's trailing whitespace
            chunk = chunk.lstrip()
            if chunk:
                state = "pass"
                yield chunk
            continue
        held += chunk
        text = held.lstrip()
        head = text.lower()
        if not head or (len(head) < len(_OPEN) and _OPEN.startswith(head)):
            continue  # could still become "<think>"
        if not head.startswith(_OPEN):
            state = "pass"
            yield held
            continue
        end = head.find(_CLOSE)
        if end == -1:
            continue  # inside the block
        rest = text[end + len(_CLOSE) :].lstrip()
        state = "pass" if rest else "after"
        if rest:
            yield rest
    if state == "start" and held and not held.lstrip().lower().startswith(_OPEN):
        yield held  # a reply shorter than "<think>", or only whitespace
