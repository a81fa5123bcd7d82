"""Accepting without acceptance words: asking to formalise, announcing the signature,
promising delivery. Requests for papers and refusals stay what they are."""

from __future__ import annotations

import pytest
from offline_river import SCENARIO

from coach.domain.transcript import Turn
from coach.evaluation.offline.offers import has_acceptance, is_bare_acceptance
from coach.evaluation.offline.red_lines import find_breaches


@pytest.mark.parametrize(
    "text",
    [
        "Send the draft.",
        "Good. Type it up tonight.",
        "The inspection schedule as you put it. Draw up the protocol.",
        "Let us sign on Thursday.",
        "Monday morning. Everything will be ready for your team.",
    ],
)
def test_formalising_or_delivering_accepts(text: str) -> None:
    assert has_acceptance(text) and is_bare_acceptance(text)


@pytest.mark.parametrize(
    "text",
    [
        "Send the draft and our lawyers will study it.",
        "Send us your proposal in writing first.",
        "We will not sign under these conditions.",
        "We will sign nothing while the gates are closed.",
        "No. Send the draft to the River Commission first.",
    ],
)
def test_requests_and_refusals_do_not_accept(text: str) -> None:
    assert not has_acceptance(text)


def test_a_formalising_answer_to_a_demand_gives_up_what_it_pressed() -> None:
    demand = Turn(
        speaker="counterpart",
        text="Our military engineers inspect the Marrow dam every month. Agreed?",
    )
    assert [b.red_line for b in find_breaches(SCENARIO, "Send the draft.", [demand])] == [
        "no-bravik-engineers"
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Thirty-five per cent, yes.",
        "The monthly inspection, agreed.",
        "Two engineers at the sluice, fine.",
        "A six-month pause is OK.",
    ],
)
def test_an_item_named_then_accepted_is_an_acceptance(sentence: str) -> None:
    assert has_acceptance(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The complaint stays, yes.",
        "We keep the cap at thirty, yes.",
        "Thirty-five per cent, no.",
        "No, fine.",
        "Is that OK?",
    ],
)
def test_a_restated_line_or_a_refusal_with_a_yes_is_not(sentence: str) -> None:
    assert not has_acceptance(sentence)


def test_accepting_one_item_and_refusing_the_others_breaches_that_item_only() -> None:
    demand = Turn(
        speaker="counterpart",
        text="Three things: forty per cent of the summer flow, our engineers at the dam, "
        "and your complaint withdrawn.",
    )
    turn = "Forty per cent, yes. The engineers, no. The complaint, no."
    assert [b.red_line for b in find_breaches(SCENARIO, turn, [demand])] == ["flow-cap"]
