"""Counter-offers named as bare numbers or as questions, read against a red line's limit."""

from __future__ import annotations

import pytest
from offline_river import SCENARIO

from coach.domain.transcript import Turn
from coach.evaluation.offline.numbers import Quantity, with_implied_units
from coach.evaluation.offline.offers import offer_strength
from coach.evaluation.offline.red_lines import find_breaches

DEMAND = [Turn(speaker="counterpart", text="Give us 45% of the summer flow, and soon.")]


def rule_breaches(text: str) -> list[str]:
    return [b.red_line for b in find_breaches(SCENARIO, text, DEMAND)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thirty-five, and that's it.", ["flow-cap"]),
        ("Forty, maybe.", ["flow-cap"]),
        ("Twenty-five, and that's it.", []),
        ("Could Bravik live with 40% of the flow?", ["flow-cap"]),
        ("Could Bravik live with 20% of the flow?", []),
        ("Forty-five percent is robbery.", []),
    ],
)
def test_bare_and_question_counter_offers_meet_the_limit(text: str, expected: list[str]) -> None:
    assert rule_breaches(text) == expected


def test_a_bare_number_takes_the_unit_of_the_limit_it_is_near() -> None:
    found = with_implied_units("Seven, maybe.", "So: ten.", (Quantity(3.0, "km", -1),))
    assert [(q.value, q.unit) for q in found] == [(7.0, "km")]


def test_a_number_that_counts_something_else_takes_no_unit() -> None:
    found = with_implied_units("Two inspection points, fine.", "", (Quantity(3.0, "km", -1),))
    assert found == []


@pytest.mark.parametrize(
    ("clause", "strength"),
    [
        ("Seven, maybe.", 1.0),
        ("What about our fishermen?", 0.0),
        ("How much water do you need?", 0.0),
        ("Could your side live with twelve percent?", 0.6),
    ],
)
def test_offer_strength_of_numbers(clause: str, strength: float) -> None:
    assert offer_strength(clause, clause) == strength
