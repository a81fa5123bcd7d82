"""Simulated trainees: offline templates filled from the scenario, and the model-driven player."""

from __future__ import annotations

import re

import pytest

from coach.domain.transcript import Turn
from coach.evaluation.offline.text import sentences
from coach.llm.fake import FunctionModel, ScriptedModel
from coach.redteam.brief import pressed_demand, read_brief, read_red_line
from coach.redteam.styles import (
    STYLES,
    LLMTrainee,
    TemplateTrainee,
    make_trainee,
    trainee_prompt,
)
from tests.redteam.support import SHIPPED, context, counterpart, persona_and_scenario

TACTICS = ["deadline_pressure", "threat", "ultimatum", "linkage"]


def play_offline(style: str, persona_id: str, seed: str, turns: int = 8) -> list[str]:
    """A run against a scripted counterpart that presses the demands in order."""
    persona, scenario = persona_and_scenario(persona_id)
    trainee = TemplateTrainee(style, scenario, seed)
    history: list[Turn] = []
    said = []
    for n in range(1, turns + 1):
        demand = persona.demands[min(n - 1, len(persona.demands) - 1)]
        history.append(counterpart(f"We require {demand}.", TACTICS[n % len(TACTICS)]))
        text = trainee.compose(context(persona, scenario, history, n, turns))
        history.append(Turn(speaker="trainee", text=text))
        said.append(text)
    return said


@pytest.mark.parametrize("persona_id", SHIPPED)
@pytest.mark.parametrize("style", STYLES)
def test_no_line_is_said_twice_in_a_run(style: str, persona_id: str) -> None:
    said = play_offline(style, persona_id, "0:0")
    assert len(set(said)) == len(said)
    lines = [s for text in said for s in sentences(text)]
    assert len(set(lines)) == len(lines), "a sentence was repeated within the run"
    assert all("{" not in t and "}" not in t for t in said), "an unfilled slot"


def test_long_runs_still_never_repeat_a_turn() -> None:
    said = play_offline("tactic-namer", "minister-tesk", "0:0", turns=30)
    assert len(set(said)) == 30


def test_styles_are_distinct_and_runs_vary_but_replay() -> None:
    runs = {style: play_offline(style, "minister-tesk", "0:0") for style in STYLES}
    for a in STYLES:
        for b in STYLES:
            if a < b:
                assert not set(runs[a]) & set(runs[b]), f"{a} and {b} share a turn"
    assert play_offline("firm", "minister-tesk", "0:1") != runs["firm"]
    assert play_offline("firm", "minister-tesk", "0:0") == runs["firm"]


def test_each_style_plays_its_part() -> None:
    persona, scenario = persona_and_scenario("minister-tesk")
    brief = read_brief(scenario)
    firm = " ".join(play_offline("firm", "minister-tesk", "0:0"))
    assert "we will not" in firm
    assert any(item in firm for item in brief.may_concede)
    assert brief.fallback in firm
    conceding = play_offline("conceding", "minister-tesk", "0:0")
    assert re.sub(r"\byour\b", "our", persona.demands[2]) in conceding[2]  # gives it
    late = " ".join(conceding[4:])
    assert any(f"{v} {r.object}" in late for r in brief.red_lines for v in r.verbs)
    hothead = " ".join(play_offline("hothead", "minister-tesk", "0:0")).lower()
    assert re.search(r"blackmail|extortion|lying|bad faith|gangster|dictating", hothead)
    evasive = " ".join(play_offline("evasive", "minister-tesk", "0:0")).lower()
    assert "we will not" not in evasive and "accept" not in evasive


def test_tactic_namer_names_the_tactic_just_used() -> None:
    persona, scenario = persona_and_scenario("minister-tesk")
    trainee = TemplateTrainee("tactic-namer", scenario, "0:0")
    history = [counterpart("You have until 18:00 tomorrow.", "deadline_pressure")]
    text = trainee.compose(context(persona, scenario, history, 1))
    assert "deadline" in text.lower() and "we will not" in text


def test_red_line_reading() -> None:
    line = read_red_line(
        "no-waiver", "Amrana will not renounce, suspend or reopen its allocation of 41 bcm."
    )
    assert line.holding == "we will not renounce, suspend or reopen our allocation of 41 bcm"
    assert line.verbs == ("renounce", "suspend", "reopen")
    assert line.object == "our allocation of 41 bcm"
    nor = read_red_line("x", "Maraka will not cede control of the port, nor grant a lease.")
    assert nor.verbs == ("cede",) and nor.object == "control of the port"


def test_pressed_demand_is_the_furthest_named() -> None:
    persona, _ = persona_and_scenario("vice-minister-lum")
    d = persona.demands
    assert pressed_demand(persona, f"You have accepted {d[0]}. Now {d[1]}.") == 1
    assert pressed_demand(persona, "Let us talk about the weather.") is None


def test_talking_about_a_demands_subject_is_not_pressing_it() -> None:
    """Regression: a fait-accompli line about Decree 114 was read as pressing demand 3."""
    persona, _ = persona_and_scenario("engineer-valeska")
    line = (
        "Decree 114 entered into force on Monday. The operating rules for the Upper Kessa "
        "are now Tarsen law and are not on this table."
    )
    assert pressed_demand(persona, line) is None
    paraphrase = "Your acceptance of the rules Decree 114 adopted for operating the Upper Kessa."
    assert pressed_demand(persona, paraphrase) == 2


def test_unknown_style_is_refused() -> None:
    _, scenario = persona_and_scenario()
    with pytest.raises(ValueError, match="unknown style"):
        TemplateTrainee("sarcastic", scenario)


async def test_llm_trainee_is_prompted_with_the_style_and_the_brief() -> None:
    persona, scenario = persona_and_scenario("minister-tesk")
    model = ScriptedModel(["We will not sign. We propose a joint monitoring step."])
    trainee = make_trainee("firm", scenario, "0:0", model)
    assert isinstance(trainee, LLMTrainee) and trainee.backend == "fake/scripted"
    history = [counterpart("Sign by 18:00 tomorrow.", "deadline_pressure")]
    text = await trainee.next_turn(context(persona, scenario, history, 1))
    assert text == "We will not sign. We propose a joint monitoring step."
    (request,) = model.requests
    assert [m.role for m in request] == ["system", "user"]
    system = request[0].content
    assert system == trainee_prompt("firm", scenario)
    assert "Style: firm" in system and "never cross them" in system
    assert all(r.statement in system for r in scenario.red_lines)
    assert scenario.brief.fallback in system
    assert request[1].content == "Sign by 18:00 tomorrow."


async def test_llm_trainee_falls_back_to_templates_on_empty_or_repeated_replies() -> None:
    persona, scenario = persona_and_scenario("minister-tesk")
    model = FunctionModel(lambda messages: "We need time.")
    trainee = make_trainee("evasive", scenario, "0:0", model)
    history = [counterpart("Answer now.", "deadline_pressure")]
    first = await trainee.next_turn(context(persona, scenario, history, 1))
    history += [Turn(speaker="trainee", text=first), counterpart("Well?", "threat")]
    second = await trainee.next_turn(context(persona, scenario, history, 2))
    assert first == "We need time." and second != first
    assert isinstance(trainee, LLMTrainee) and trainee.stand_ins == 1
    assert [m.role for m in model.requests[1]] == ["system", "user", "assistant", "user"]
