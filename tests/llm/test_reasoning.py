"""A reasoning model's leading think block never reaches the trainee, however it is streamed."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.llm.reasoning import strip_thinking, without_thinking

CASES = [
    ("<think>They will fold if I push the deadline.</think>\n\nSign by Friday.", "Sign by Friday."),
    ("  <THINK>plan</THINK>No.", "No."),
    ("No thinking here. <think>inline tags stay</think>", None),
    ("<thi", None),
    ("<think>never closed, all of it hidden", ""),
    ("Fine.", None),
]


async def _gather(pieces: list[str]) -> str:
    async def chunks() -> AsyncIterator[str]:
        for piece in pieces:
            yield piece

    return "".join([c async for c in without_thinking(chunks())])


def _cut(text: str, cuts: list[int]) -> list[str]:
    at = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    return [text[a:b] for a, b in itertools.pairwise(at)]


@pytest.mark.parametrize(("text", "shown"), CASES)
def test_strip_thinking(text: str, shown: str | None) -> None:
    assert strip_thinking(text) == (text if shown is None else shown)


@pytest.mark.parametrize(("text", "shown"), CASES)
async def test_streamed_one_character_at_a_time(text: str, shown: str | None) -> None:
    assert await _gather(list(text)) == (text if shown is None else shown)


@given(st.sampled_from(CASES), st.lists(st.integers(min_value=0, max_value=200), max_size=8))
async def test_any_chunking_shows_the_same_text(
    case: tuple[str, str | None], cuts: list[int]
) -> None:
    text, shown = case
    assert await _gather(_cut(text, cuts)) == (text if shown is None else shown)
