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
