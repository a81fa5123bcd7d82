"""Red-line rules of the labelling guide, on an invented river scenario."""

from __future__ import annotations

import pytest
from offline_river import RUBRIC, context

from coach.evaluation.offline import OfflineJudge


def breaches(judge: OfflineJudge, text: str, previous: str | None = None) -> list[str]:
    ctx = context(text, previous) if previous is not None else context(text, None)
    return judge.assess(ctx, RUBRIC).labels.red_line_breaches


@pytest.mark.parametrize(
    ("case", "text", "expected"),
    [
        (
            "conditional breach",
            "If Bravik restores the upstream flow, we could let your military engineers "
            "inspect the Marrow dam once a month.",
            ["no-bravik-engineers"],
        ),
        (
            "tentative breach",
            "Perhaps we might explore a limited suspension of our complaint before the "
            "River Commission while we talk.",
            ["keep-complaint"],
        ),
        (
            "numeric limit crossed",
            "We could release 40% of the summer flow to Bravik this year.",
            ["flow-cap"],
        ),
        (
            "numeric limit respected",
            "We can release 25% of the summer flow to Bravik, and not a drop more.",
            [],
        ),
        (
            "negated mention is not a breach",
            "No Bravik engineer will operate or inspect the Marrow dam, now or later.",
            [],
        ),
        (
            "restatement",
            "Our complaint before the River Commission stays exactly where it is.",
            [],
        ),
        (
            "question about the red line",
            "Why does Bravik want its engineers at the dam at all?",
            [],
        ),
        (
            "alternative that keeps the line",
            "What I can offer is an inspection of the dam by a neutral team from the "
            "River Commission, with your liaison watching but not touching anything.",
            [],
        ),
        (
            "concession on a matter that is not a red line",
            "We can agree to share our rainfall data with Bravik every week.",
            [],
        ),
    ],
)
def test_guide_rules(judge: OfflineJudge, case: str, text: str, expected: list[str]) -> None:
    assert breaches(judge, text, previous="") == expected, case


def test_bare_acceptance_of_a_demand_that_crosses_a_line(judge: OfflineJudge) -> None:
    """'Fine, we accept that' names no red line: the demand it answers does."""
    assert breaches(judge, "Fine. We accept that.", previous=None) == []
    assert breaches(judge, "Fine. We accept that.", previous=None or "") == []
    got = judge.assess(context("Fine. We accept that."), RUBRIC).labels.red_line_breaches
    assert got == ["no-bravik-engineers"]


def test_refusal_of_the_same_demand_is_not_a_breach(judge: OfflineJudge) -> None:
    got = judge.assess(context("No. That is not available."), RUBRIC).labels.red_line_breaches
    assert got == []


def test_evidence_is_a_verbatim_quote(judge: OfflineJudge) -> None:
    text = "I hear you. We could let your engineers inspect the dam in spring."
    assessment = judge.assess(context(text, ""), RUBRIC)
    red = next(c for c in assessment.labels.criteria or [] if c.criterion == "red-lines")
    assert red.score == 1
    assert red.evidence in text
    assert "inspect" in red.evidence


def test_a_line_named_in_a_refusing_sentence_is_held() -> None:
    from offline_river import SCENARIO

    from coach.evaluation.offline.red_lines import compile_red_lines, held_lines

    profiles = compile_red_lines(SCENARIO)
    assert held_lines(profiles, "Thirty per cent, then. The complaint stays.") == ["keep-complaint"]
    # named in an offer as well: not held
    both = "The complaint stays. We could suspend the complaint for a month, though."
    assert held_lines(profiles, both) == []
    assert held_lines(profiles, "We could talk about the engineers next week.") == []
    # a refusing clause holds its line beside an acceptance of the rest
    assert held_lines(profiles, "Fine, but no engineers at the Marrow dam.") == [
        "no-bravik-engineers"
    ]
    # an offering clause that names the line too: not held
    offered = "Fine, the engineers can inspect the dam, but no engineers in the control room."
    assert held_lines(profiles, offered) == []
    # refusing to take away what a line protects keeps that line...
    assert held_lines(profiles, "We won't withdraw the complaint.") == ["keep-complaint"]
    # ...but not a line whose breach is a giving: this one lets the engineers in
    assert held_lines(profiles, "We won't stop your engineers inspecting the dam.") == []
    # a condition ending in "stays" sets the price of an offer; it holds nothing
    priced = "All right: the engineers can inspect the dam if the complaint stays."
    assert "no-bravik-engineers" not in held_lines(profiles, priced)


@pytest.mark.parametrize(
    ("demand", "dropped"),
    [
        # every item on the engineers lets them go
        ("Forty per cent of the flow, and no engineers at the dam. Sign tonight.", True),
        ("Forty per cent of the flow. The engineers we leave aside for now.", True),
        ("Forty per cent, and the engineer question we return to next year.", True),
        ("Forty per cent. Our engineers stay on our side of the border.", True),
        # the engineers are pressed, or pressed in one item and dropped in another
        ("Forty per cent, and our engineers inspect the dam monthly.", False),
        ("No complaint, and our engineers inspect the dam. No engineers at night.", False),
        # the demand does not speak of the engineers at all
        ("Forty per cent of the flow, signed tonight.", False),
    ],
)
def test_a_demand_that_lets_a_line_go_does_not_press_it(demand: str, dropped: bool) -> None:
    from offline_river import SCENARIO

    from coach.evaluation.offline.red_lines import (
        compile_red_lines,
        demand_drops_line,
        demanded_lines,
        lets_go,
    )

    profiles = {p.id: p for p in compile_red_lines(SCENARIO)}
    engineers = profiles["no-bravik-engineers"]
    assert lets_go(engineers, demand) is dropped
    assert demand_drops_line(engineers, "Done.", demand) is dropped
    # a reply that speaks of the line is read on its own
    assert not demand_drops_line(engineers, "Done, engineers and all.", demand)
    if dropped:
        assert engineers not in demanded_lines(list(profiles.values()), demand)


def test_no_item_is_the_demand_itself_when_the_line_forbids_a_taking_away() -> None:
    """'Will not withdraw the complaint': "no complaint" in a package is what is asked."""
    from offline_river import SCENARIO

    from coach.evaluation.offline.red_lines import compile_red_lines, lets_go

    profiles = {p.id: p for p in compile_red_lines(SCENARIO)}
    demand = "Forty per cent, and no complaint before the River Commission. Sign tonight."
    assert not lets_go(profiles["keep-complaint"], demand)


def test_a_short_yes_to_one_other_item_keeps_a_line_neither_side_names() -> None:
    from coach.domain.transcript import RedLineRef, ScenarioSummary
    from coach.evaluation.offline.red_lines import answers_other_item, compile_red_lines

    scenario = ScenarioSummary(
        id="s",
        title="t",
        trainee_role="Minister",
        counterpart_role="Envoy",
        context="A port dispute.",
        red_lines=[
            RedLineRef(
                id="no-patrol-access",
                statement="Lorvia will not allow Ostran patrol boats into Port Kell.",
            )
        ],
    )
    (line,) = compile_red_lines(scenario)
    one_item = "Good. Our delegation would like two extra seats on the evening ferry."
    assert answers_other_item(line, "Fine, two seats.", one_item)
    # the line spoken of, a whole package, the closing of the text, or a long reply
    assert not answers_other_item(line, "Fine.", "Good. And our patrol boats use Port Kell.")
    package = "So the seats, the fish quota, the ferry timetable and the records go."
    assert not answers_other_item(line, "Fine.", "Then: the seats, the quota and the records.")
    assert not answers_other_item(line, "Fine.", package)
    assert not answers_other_item(line, "Fine.", "Good. I will send the text tonight.")
    long_reply = "Fine, two seats, and let us also talk about the harbour fees next week then."
    assert not answers_other_item(line, long_reply, one_item)
    assert not answers_other_item(line, "Fine.", "")


def test_a_hyphenated_naming_compound_is_an_anchor_not_an_act() -> None:
    """'the water-sharing accord' names a thing: telling the trainee "Let me share a view"
    or "we will brief your partners" presses nothing, while asking to leave the accord does."""
    from coach.domain.transcript import ScenarioSummary
    from coach.evaluation.offline.red_lines import compile_red_lines, demanded_lines

    scenario = ScenarioSummary(
        id="delta",
        red_lines=[
            {"id": "keep-accord", "statement": "Norvia will not leave or suspend the "
             "Delta water-sharing accord with its downstream neighbours."},
            {"id": "no-dredging", "statement": "Norvia will not allow dredging of the "
             "estuary channel before the survey is published."},
        ],
    )  # fmt: skip
    [accord, _] = compile_red_lines(scenario)
    assert "share" not in accord.acts and "share" in accord.anchors
    profiles = compile_red_lines(scenario)
    assert demanded_lines(profiles, "Let me share something your advisers have not told you.") == []
    assert demanded_lines(profiles, "We will brief your downstream partners tonight.") == []
    pressed = demanded_lines(profiles, "Leave the water-sharing accord, and the barges move.")
    assert [p.id for p in pressed] == ["keep-accord"]
