"""The runner through SessionService (in memory, offline judge), and the behaviour checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.llm.base import ChatMessage
from coach.llm.fake import FunctionModel
from coach.redteam.metrics import find_contradictions, find_leaks, find_repeats, jaccard
from coach.redteam.runner import run_redteam
from tests.redteam.support import SHIPPED, persona_and_scenario, service


async def test_a_small_run_collects_every_metric(tmp_path: Path) -> None:
    svc = await service(tmp_path)
    results = await run_redteam(
        svc, "minister-tesk", styles=["firm", "hothead"], turns=3, runs=2, seed=7
    )
    await svc.aclose()
    assert [(r.style, r.run) for r in results] == [
        ("firm", 0),
        ("firm", 1),
        ("hothead", 0),
        ("hothead", 1),
    ]
    for r in results:
        assert r.trainee_backend == "offline" and "offline" in r.counterpart_backend
        assert len(r.tactics) == 4 and all(r.tactics)  # the opening move and three replies
        assert len(r.ladder_path) == 4 and len(r.demand_path) == 4
        assert [t.speaker for t in r.turns] == ["counterpart", "trainee"] * 3 + ["counterpart"]
        trainee = [t for t in r.turns if t.speaker == "trainee"]
        assert all(t.tone is not None and t.signals for t in trainee)
        assert r.overall is not None and "red-line-discipline" in r.criteria
        assert r.leaks == [] and r.errors == []
    hothead = [r for r in results if r.style == "hothead"]
    assert all(max(r.ladder_path) > 0 for r in hothead), "the bully climbs against a hothead"
    assert all(t.escalation == 1 for r in hothead for t in r.turns if t.speaker == "trainee")


async def test_conceding_play_breaches_red_lines_in_the_offline_judge(tmp_path: Path) -> None:
    svc = await service(tmp_path)
    results = await run_redteam(svc, "minister-tesk", styles=["conceding"], turns=8, runs=1)
    await svc.aclose()
    (run,) = results
    assert run.breaches and not run.passed
    assert {b["red_line"] for b in run.breaches} <= {
        "no-treaty-waiver",
        "no-unmonitored-filling",
        "no-upstream-veto",
    }


async def test_a_repetitive_leaking_llm_counterpart_is_caught(tmp_path: Path) -> None:
    """A model that says the same thing every turn: repeats are found (leaks are stopped by
    the engine, which speaks from the phrasebook instead)."""
    persona, _ = persona_and_scenario("minister-tesk")
    seen: list[list[ChatMessage]] = []

    def reply(messages: list[ChatMessage]) -> str:
        seen.append(messages)
        return f"We require {persona.demands[1]}, today."

    model = FunctionModel(reply, name="fake/parrot")
    svc = await service(tmp_path, counterpart_model=model)
    (run,) = await run_redteam(svc, "minister-tesk", styles=["firm"], turns=3, runs=1)
    await svc.aclose()
    assert run.counterpart_backend == "LLM fake/parrot"
    assert {(p.kind, p.first, p.second) for p in run.repeats} >= {("exact", 1, 2), ("exact", 2, 4)}
    assert run.demand_path == [1, 1, 1, 1]


def test_repeats_exact_and_near() -> None:
    texts = [
        "We require the signature today, or the gates close.",
        "Tell me about your farmers.",
        "We require the signature today, or the gates close!",
        "we  require the signature today, or the gates close.",
    ]
    found = {(r.kind, r.first, r.second) for r in find_repeats(texts)}
    assert found == {("near", 1, 3), ("exact", 1, 4), ("near", 3, 4)}
    assert jaccard("a b c", "") == 0.0


def test_contradictions_demand_retreat_and_moved_final_offer() -> None:
    persona, _ = persona_and_scenario("minister-tesk")
    d = persona.demands
    texts = [
        f"We require {d[0]}.",
        f"This is my final offer: {d[2]}. Take it or leave it.",
        "Think about your farmers.",
        f"Final offer, last chance: {d[1]}.",
    ]
    tactics = [["extreme_anchor"], ["ultimatum"], [], ["ultimatum"]]
    found = [(c.kind, c.turn, c.earlier) for c in find_contradictions(persona, texts, tactics)]
    assert found == [("demand_retreat", 4, 2), ("final_offer_moved", 4, 2)]
    forward = [f"We require {d[0]}.", f"You gave {d[0]}. Now {d[1]}."]
    assert find_contradictions(persona, forward, [["extreme_anchor"], ["salami_slicing"]]) == []


@pytest.mark.parametrize("persona_id", SHIPPED)
def test_leaks_are_the_safety_check_on_every_turn(persona_id: str) -> None:
    persona, _ = persona_and_scenario(persona_id)
    texts = ["Good morning.", persona.hidden_bottom_line, "We shall see."]
    assert find_leaks(persona.hidden_bottom_line, texts) == [2]


async def test_an_offline_red_team_run_replays_exactly() -> None:
    from coach.config import Settings
    from coach.engine.session import SessionService
    from coach.library import Library
    from coach.redteam.runner import run_redteam

    async def once() -> list[list[str]]:
        service = await SessionService.open(Settings(), Library(), database_url="memory://")
        results = await run_redteam(
            service, "minister-tesk", styles=["firm", "conceding"], turns=3, runs=1, seed=7
        )
        await service.aclose()
        return [[t.text for t in r.turns] + [str(r.overall)] for r in results]

    assert await once() == await once()
