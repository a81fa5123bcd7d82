"""Counter-offers named as bare numbers or as questions, read against a red line's limit."""

from __future__ import annotations

import pytest
from offline_river import SCENARIO

from coach.domain.transcript import RedLineRef, ScenarioSummary, Turn
from coach.evaluation.offline.numbers import (
    Quantity,
    dates,
    parse_limit,
    quantities,
    with_implied_units,
)
from coach.evaluation.offline.offers import offer_strength
from coach.evaluation.offline.red_lines import (
    Breach,
    compile_red_lines,
    demand_within_limit,
    find_breaches,
    numeric_breaches,
)

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
        # named with an article, as "outside", or behind a short phrase
        ("Pellor will not clear forest outside the 2 km strip along the river.", 2.0, "km", True),
        ("Pellor will not cede more than the 15% stake agreed in 2019.", 15.0, "percent", True),
        ("Pellor will not let trawlers fish beyond a 12-mile line.", 12.0, "mile", True),
        ("Pellor will not allow foreign ownership above the Press Act's 30% cap.", 30.0, "percent",
         True),
        ("Pellor will not accept notice beyond the accord's 12 hours.", 12.0, "hour", True),
        # hours, weights and currencies named in words
        ("Tovar will not hold foreign crews for more than 36 hours.", 36.0, "hour", True),
        ("Tovar will not let lorries heavier than 30 tonnes use the bridge.", 30.0, "tonne", True),
        ("Tovar will not accept a fee below 900 dinars a month.", 900.0, "dinar", False),
        ("Tovar will not accept a price lower than 40 francs.", 40.0, "franc", False),
        ("Tovar will not let the levy rise higher than 3 per cent.", 3.0, "percent", True),
    ],
)  # fmt: skip
def test_limits(statement: str, value: float, unit: str, upper: bool) -> None:
    limit = parse_limit(statement)
    assert limit is not None
    assert (limit.value, limit.unit, limit.upper) == (pytest.approx(value), unit, upper)
    across = value + 1 if upper else value - 1
    assert limit.crossed_by(Quantity(across, unit, 0))
    assert not limit.crossed_by(Quantity(value, unit, 0))


def test_an_amount_of_money_without_a_direction_is_not_a_limit() -> None:
    assert parse_limit("Tarn will not drop its $400 million claim before the tribunal.") is None


def test_money_offered_is_read_against_a_money_limit() -> None:
    limit = parse_limit("Tarn will not pay more than €2.10 per cubic metre of treated water.")
    assert limit is not None
    offered = [q for q in quantities("We could go to €2.40, or 2.05 euros.") if q.unit == "euro"]
    assert [limit.crossed_by(q) for q in offered] == [True, False]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("a lease of five and a half years", 5.5, "year"),
        ("2 and a quarter per cent", 2.25, "percent"),
        ("twenty thousand tonnes", 20000.0, "tonne"),
        ("one and three quarters km", 1.75, "km"),
        ("Nine kilometre, no more.", 9.0, "km"),
        ("one kilometer", 1.0, "km"),
    ],
)
def test_fractions_and_scale_words_are_part_of_the_amount(
    text: str, value: float, unit: str
) -> None:
    assert [(q.value, q.unit) for q in quantities(text)] == [(pytest.approx(value), unit)]


def test_a_decimal_named_alone_keeps_its_decimals() -> None:
    found = with_implied_units(
        "Agreed on the date, and 7.4 from March.", "", (Quantity(6.5, "cent", -1),)
    )
    assert [(q.value, q.unit) for q in found] == [(7.4, "cent")]


def test_a_bare_number_takes_the_unit_of_the_quantity_nearest_in_size() -> None:
    # "three weeks" is within a factor of three of 7.5 too, but 7% is nearer
    found = with_implied_units("Seven and a half, over three weeks.", "We want 7% at once.", ())
    assert (found[-1].value, found[-1].unit) == (7.5, "percent")


def test_durations_compare_across_days_weeks_months_and_years() -> None:
    limit = parse_limit("Tarn will not allow the survey ships to stay longer than 60 days.")
    assert limit is not None
    assert limit.crossed_by(Quantity(3.0, "month", 0))
    assert not limit.crossed_by(Quantity(8.0, "week", 0))
    assert not limit.crossed_by(Quantity(1.0, "month", 0))
    assert limit.crossed_by(Quantity(1.0, "year", 0))


@pytest.mark.parametrize(
    ("statement", "value", "upper"),
    [
        ("Tarn will not run the mine after 31 March 2031.", 2031.25, True),
        ("Tarn will not extend the licence beyond 2040.", 2041.0, True),
        ("Tarn will not hold the vote later than 15 June 2027.", 2027.5, True),
        ("Tarn will not hand over records of any year before 2019.", 2019.0, False),
    ],
)
def test_date_limits(statement: str, value: float, upper: bool) -> None:
    limit = parse_limit(statement)
    assert limit is not None
    assert (limit.unit, limit.value, limit.upper) == ("date", pytest.approx(value), upper)


def test_dates_named_in_a_turn_are_read_against_a_date_limit() -> None:
    limit = parse_limit("Tarn will not run the mine after 31 December 2030.")
    assert limit is not None
    offered = dates("Until the end of 2030, or mid-2031 at the latest; not 2035.")
    assert [round(q.value, 2) for q in offered] == [2030.99, 2031.5, 2035.5]
    assert [limit.crossed_by(q) for q in offered] == [False, True, True]
    assert dates("We spent 12,000 tonnes") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an amount of the trainee's own, leading its clause, with no offer grammar
        ("Forty per cent, and I am a fool to say it.", ["flow-cap"]),
        ("Maybe 35% this summer and less after.", ["flow-cap"]),
        ("Could you do thirty-five?", ["flow-cap"]),
        # the counterpart's own figure echoed is a rejection, not an offer
        ("Forty-five per cent, after what you did to our farmers last year.", []),
        # an amount inside the sentence describes, it does not propose
        ("Evaporation takes 40% of the reservoir in a dry year.", []),
        ("Not 40%, not 35%: we stay where we are.", []),
        # a long question asks, it does not propose
        ("Why would anyone think 40% of the flow is a fair share for the upstream state?", []),
        ("Thirty per cent, as our parliament decided.", []),
    ],
)
def test_an_amount_of_ones_own_across_the_limit_is_a_counter_offer(
    text: str, expected: list[str]
) -> None:
    assert rule_breaches(text) == expected


MINE = ScenarioSummary(
    id="mine",
    title="Coal mine",
    trainee_role="Minister of Energy of Tarn",
    counterpart_role="Envoy of Osk",
    context="Tarn's coal law closes the Dorn mine on 31 December 2030.",
    red_lines=[
        RedLineRef(
            id="no-coal-after-2030",
            statement="Tarn will not let the Dorn mine extract coal after 31 December 2030.",
        )
    ],
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2033, and not a year more.", ["no-coal-after-2030"]),
        ("We could let the mine run until mid-2032.", ["no-coal-after-2030"]),
        ("The mine closes at the end of 2030, as the law says.", []),
        ("Until 2036? Out of the question.", []),
    ],
)
def test_years_offered_are_read_against_a_date_limit(text: str, expected: list[str]) -> None:
    demand = [Turn(speaker="counterpart", text="Keep the mine open until 2036.")]
    assert [b.red_line for b in find_breaches(MINE, text, demand)] == expected


def test_a_date_line_with_no_year_named_is_read_by_its_act() -> None:
    licence = MINE.model_copy(
        update={
            "red_lines": [
                RedLineRef(
                    id="no-licence-extension",
                    statement="Tarn will not extend the Dorn mine's licence beyond "
                    "31 December 2030.",
                )
            ]
        }
    )
    demand = [Turn(speaker="counterpart", text="We need more time, or the loan is off.")]
    found = find_breaches(licence, "We could extend the Dorn licence a little.", demand)
    assert [b.red_line for b in found] == ["no-licence-extension"]


@pytest.mark.parametrize(
    ("evidence", "trusted"),
    [
        ("Forty per cent, as I said.", True),
        ("Forty-five per cent does not work for us.", False),
        ("Forty-five is too much for our farmers.", False),
        ("If you ever come down to 40%, we can talk.", False),
    ],
)
def test_numeric_breaches_skip_amounts_named_to_dismiss_them(evidence: str, trusted: bool) -> None:
    breach = Breach("flow-cap", evidence)
    got = numeric_breaches(compile_red_lines(SCENARIO), [breach], "We want 45% of the flow.")
    assert got == (["flow-cap"] if trusted else [])


def test_a_time_of_day_is_not_an_amount() -> None:
    found = with_implied_units(
        "The valves close at 06:00 on Monday.", "", (Quantity(5.0, "year", -1),)
    )
    assert found == []


def test_a_price_said_as_spoken_reads_as_units_and_cents() -> None:
    found = with_implied_units("One-seventy, final.", "", (Quantity(1.6, "euro", -1),))
    assert [(q.value, q.unit) for q in found] == [(pytest.approx(1.7), "euro")]
    # tens then units is an ordinary number
    assert [q.value for q in quantities("twenty-five per cent")] == [25.0]


def test_the_counterparts_amount_taken_with_then_is_accepted() -> None:
    # an echo is no counter-offer ("Forty-five per cent, after what you did ..."), but
    # "X, then" takes the amount
    assert rule_breaches("Forty-five per cent, then, if it ends the dispute.") == ["flow-cap"]


@pytest.mark.parametrize(
    ("reply", "demand", "kept"),
    [
        ("Agreed.", "Twenty-five per cent of the flow, signed by Friday.", True),
        ("Friday, then.", "Thirty per cent of the summer flow. Sign Friday.", True),
        ("Agreed.", "Forty-five per cent of the flow, signed by Friday.", False),
        # the reply names its own amount: that one is read
        ("Forty, then.", "Thirty per cent of the flow.", False),
        # the demand names no amount for the line
        ("Agreed.", "Withdraw the complaint by Friday.", False),
        # a long reply is read on its own
        (
            "Agreed on the thirty, but before I say more about the flow I need to consult "
            "my cabinet and the farmers' unions on the timing.",
            "Thirty per cent of the flow.",
            False,
        ),
    ],
)
def test_a_short_reply_to_a_demand_inside_the_limit_keeps_the_line(
    reply: str, demand: str, kept: bool
) -> None:
    (flow,) = [p for p in compile_red_lines(SCENARIO) if p.id == "flow-cap"]
    assert demand_within_limit(flow, reply, demand) is kept


def test_a_counter_offer_takes_the_unit_of_a_singular_amount_in_the_demand() -> None:
    scenario = ScenarioSummary(
        id="herd",
        title="Herd cull",
        trainee_role="Minister",
        counterpart_role="Envoy",
        context="An outbreak at two farms near the border.",
        red_lines=[
            RedLineRef(
                id="cull-zone",
                statement="Varsa will not slaughter animals outside the 2 km zone by the farms.",
            )
        ],
    )
    demand = [Turn(speaker="counterpart", text="Eight kilometre. That is our last step.")]
    found = [b.red_line for b in find_breaches(scenario, "Eight... eight, then.", demand)]
    assert found == ["cull-zone"]
    assert find_breaches(scenario, "Two, then, and not a metre more.", demand) == []


def test_hours_and_days_compare() -> None:
    limit = parse_limit("Tovar will not hold foreign crews for more than 36 hours.")
    assert limit is not None
    offered = quantities("Two days, or 30 hours at most.")
    assert [(q.unit, limit.crossed_by(q)) for q in offered] == [("day", True), ("hour", False)]


def test_a_price_named_behind_a_phrase_is_not_read_as_a_limit() -> None:
    """A rate ("EUR 60/MWh") would be compared with lump sums ("EUR 90 million of the charges")."""
    assert parse_limit("Pellor will not pay more than the agreed price of €60/MWh.") is None
