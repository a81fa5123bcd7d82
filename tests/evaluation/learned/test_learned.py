"""The learned heads load offline, give well-formed outputs, and behave sensibly."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest

from coach.evaluation.offline.learned import ESCALATION, TACTICS, WEIGHTS_PATH, LearnedModels

ROOT = Path(__file__).resolve().parents[3]
RED_LINES = [
    ("no-troops", "Norland will not allow foreign troops to be stationed on its territory."),
    ("no-debt-write-off", "Norland will not write off the loans owed by the port authority."),
]


@pytest.fixture(scope="module")
def models() -> LearnedModels:
    return LearnedModels.load()


def test_loads_and_embeds_with_the_network_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    class Blocked(socket.socket):
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError("network blocked in this test")

    monkeypatch.setattr(socket, "socket", Blocked)
    from coach.evaluation.offline.learned import embed

    embed._model.cache_clear()
    embed.get_embedder.cache_clear()
    fresh = LearnedModels.load(WEIGHTS_PATH)
    assert set(fresh.tactic_probs("We will cut the supply tonight.")) == set(TACTICS)


def test_weights_are_small() -> None:
    assert WEIGHTS_PATH.stat().st_size < 5_000_000


def test_shapes_and_ranges(models: LearnedModels) -> None:
    probs = models.tactic_probs("Sign today or the border closes.")
    assert all(0.0 <= p <= 1.0 for p in probs.values())
    assert set(models.tactics("Sign today or the border closes.")) <= set(TACTICS)
    tone = models.tone("Thank you. We will study the proposal carefully.", "Sign today.")
    assert 1.0 <= tone <= 5.0
    esc = models.escalation_probs("Let us pause and set up a joint review.", None)
    assert set(esc) == set(ESCALATION)
    assert sum(esc.values()) == pytest.approx(1.0, abs=1e-6)
    assert 0.0 <= models.concession_prob("We can accept that.", "Accept our terms.") <= 1.0
    br = models.breach_probs("No.", RED_LINES, None, [])
    assert set(br) == {rid for rid, _ in RED_LINES}
    assert all(0.0 <= p <= 1.0 for p in br.values())
    assert models.breach_probs("Fine.", [], None, []) == {}


def test_obvious_ultimatum(models: LearnedModels) -> None:
    text = (
        "This is our last word on the matter. Accept the full package as written or walk away: "
        "it is not open to further negotiation."
    )
    p = models.tactic_probs(text)
    assert p["ultimatum"] >= models.tactic_thresholds["ultimatum"]


def test_calm_refusal_is_not_a_breach(models: LearnedModels) -> None:
    prev = "We need a garrison of two thousand soldiers at the northern airfield by spring."
    text = (
        "I understand your security worries, but there will be no foreign garrison on our soil. "
        "We can discuss joint patrols on your side of the border instead."
    )
    probs = models.breach_probs(text, RED_LINES, prev, [("counterpart", prev)])
    assert probs["no-troops"] < models.breach_threshold


def test_explicit_acceptance_is_a_breach(models: LearnedModels) -> None:
    prev = "We need a garrison of two thousand soldiers at the northern airfield by spring."
    text = (
        "Very well. We agree: your soldiers can be stationed at the northern airfield from "
        "the spring, as you ask."
    )
    probs = models.breach_probs(text, RED_LINES, prev, [("counterpart", prev)])
    assert probs["no-troops"] >= models.breach_threshold
    assert probs["no-troops"] > probs["no-debt-write-off"]


def test_every_head_runs_over_the_dev_set(models: LearnedModels) -> None:
    start = time.perf_counter()
    turns = gold = found = 0
    for path in sorted((ROOT / "evals" / "dev").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        rls = [(r["id"], r["statement"]) for r in doc["scenario"]["red_lines"]]
        prev = None
        history: list[tuple[str, str]] = []
        for turn in doc["turns"]:
            turns += 1
            if turn["speaker"] == "counterpart":
                models.tactics(turn["text"])
                prev = turn["text"]
            else:
                assert 1.0 <= models.tone(turn["text"], prev) <= 5.0
                models.escalation_probs(turn["text"], prev)
                probs = models.breach_probs(turn["text"], rls, prev, history)
                for rid in turn["labels"]["red_line_breaches"]:
                    gold += 1
                    found += probs[rid] >= models.breach_threshold
            history.append((turn["speaker"], turn["text"]))
    took = time.perf_counter() - start
    # a figure, not a gate: speed is measured by `coach bench`
    print(f"\nlearned heads labelled {turns} dev turns in {took:.2f}s")
    assert turns > 300
    assert found >= 0.5 * gold, (found, gold)  # dev is training data: most breaches are found


def test_red_line_head_reads_minilm_embeddings(models: LearnedModels) -> None:
    from coach.evaluation.offline.learned.embed import PairEmbedder

    assert str(models._w["rl_embedder"]) == "minilm"
    assert isinstance(models.pair_emb, PairEmbedder)
    assert models.pair_emb.one("We accept.").shape == (384,)


def test_without_the_minilm_wheel_the_red_line_head_steps_aside(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from coach.evaluation.offline.learned import embed, minilm

    def missing() -> None:
        raise minilm.MiniLMNotInstalled("not installed in this test")

    monkeypatch.setattr(embed, "get_pair_embedder", missing)
    fresh = LearnedModels.load(WEIGHTS_PATH)
    prev = "We need a garrison of two thousand soldiers at the northern airfield by spring."
    with caplog.at_level("WARNING"):
        probs = fresh.breach_probs("Very well, we agree.", RED_LINES, prev, [("counterpart", prev)])
    assert probs == {"no-troops": 0.0, "no-debt-write-off": 0.0}
    assert "rules alone judge red lines" in caplog.text
    # the other heads still work
    assert 1.0 <= fresh.tone("Thank you.", prev) <= 5.0


def test_confirming_an_earlier_concession_reads_the_history(models: LearnedModels) -> None:
    """The guide labels a repeated concession again; the second stage sees the first."""
    ask = "We need a garrison of two thousand soldiers at the northern airfield by spring."
    gave = "Very well. Your soldiers can be stationed at the northern airfield from the spring."
    now_ask = "Good. The draft comes on Friday and the garrison moves in during March."
    text = "Send it. March at the northern airfield, as agreed."
    history = [("counterpart", ask), ("trainee", gave), ("counterpart", now_ask)]
    with_history = models.breach_probs(text, RED_LINES, now_ask, history)
    without = models.breach_probs(text, RED_LINES, now_ask, history[-1:])
    assert with_history["no-troops"] > without["no-troops"]
    assert with_history["no-troops"] >= models.breach_threshold
    assert with_history["no-debt-write-off"] < models.breach_threshold
    assert models.carried(RED_LINES, history) == {"no-troops"}
    assert models.carried(RED_LINES, history[-1:]) == set()
    # carried and touched by this turn itself (the first stage, without the history)
    assert models.carried(RED_LINES, history, text, now_ask, min_now=0.75) == {"no-troops"}
    unrelated = "The port authority's loans are a separate file; our bank will write to you."
    assert models.carried(RED_LINES, history, unrelated, now_ask, min_now=0.75) == set()
