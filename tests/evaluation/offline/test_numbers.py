"""Counter-offers named as bare numbers or as questions, read against a red line's limit."""

from __future__ import annotations

import pytest
from offline_river import SCENARIO

from coach.domain.transcript import Turn
from coach.evaluation.offline.numbers import Quantity, parse_limit, quantities, with_implied_units
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


@pytest.mark.parametrize(
    ("statement", "value", "unit", "upper"),
    [
        ("Tarn will not pay more than 6.5 US cents per kWh for imported power.", 6.5, "cent", True),
        ("Tarn will not pay more than €2.10 per cubic metre of treated water.", 2.1, "euro", True),
        ("Tarn will not accept a transit fee below $3.20 per tonne.", 3.2, "dollar", False),
        ("Tarn will not agree to an annual rent above $180 million for the base.", 180e6, "dollar",
         True),
    ],
)  # fmt: skip
def test_money_limits(statement: str, value: float, unit: str, upper: bool) -> None:
    limit = parse_limit(statement)
    assert limit is not None
    assert (limit.value, limit.unit, limit.upper) == (pytest.approx(value), unit, upper)


def test_an_amount_of_money_without_a_direction_is_not_a_limit() -> None:
    assert parse_limit("Tarn will not drop its $400 million claim before the tribunal.") is None


def test_money_offered_is_read_against_a_money_limit() -> None:
    limit = parse_limit("Tarn will not pay more than €2.10 per cubic metre of treated water.")
    assert limit is not None
    offered = [q for q in quantities("We could go to €2.40, or 2.05 euros.") if q.unit == "euro"]
    assert [limit.crossed_by(q) for q in offered] == [True, False]
