"""Quantities in negotiation text ("fifteen-year", "25%", "12,000 tonnes") and numeric limits."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from coach.evaluation.offline.text import normalise

_UNITS = {
    "%": "percent", "percent": "percent", "per cent": "percent", "pc": "percent",
    "year": "year", "years": "year", "yr": "year", "month": "month", "months": "month",
    "week": "week", "weeks": "week", "day": "day", "days": "day",
    "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour",
    "tonne": "tonne", "tonnes": "tonne", "ton": "tonne", "tons": "tonne",
    "mile": "mile", "miles": "mile", "km": "km", "kilometres": "km", "kilometers": "km",
    "kilometre": "km", "kilometer": "km",
    "staff": "person", "officers": "person", "officials": "person", "people": "person",
    "vessels": "vessel", "ships": "vessel", "boats": "vessel", "troops": "person",
    "cent": "cent", "cents": "cent", "us cent": "cent", "us cents": "cent",
    "euro": "euro", "euros": "euro", "dollar": "dollar", "dollars": "dollar",
    "us dollar": "dollar", "us dollars": "dollar",
    "dinar": "dinar", "dinars": "dinar", "franc": "franc", "francs": "franc",
    "rupee": "rupee", "rupees": "rupee", "kronor": "krona", "kroner": "krona",
}  # fmt: skip
_SYMBOL = {"€": "euro", "$": "dollar", "£": "pound"}
_DAYS = {"hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.4, "year": 365.0}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "m": 1e6, "bn": 1e9}

_SMALL = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "half": 50,
}  # fmt: skip

# "five and a half", "two and a quarter", "3 and three quarters"
_FRACTION = r"(?:\s+and\s+(?:a\s+half|a\s+quarter|three[\s-]quarters))?"
_FRACTION_VALUE = {"a half": 0.5, "a quarter": 0.25, "three quarters": 0.75}
_DIGIT_WORD = r"one|two|three|four|five|six|seven|eight|nine"
_TENS_WORD = r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_TEEN_WORD = r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
# A price said the way it is spoken: "one-seventy" is 1.70, "two-forty" 2.40.
_SPOKEN_PRICE = rf"(?:{_DIGIT_WORD})-(?:ten|{_TENS_WORD})(?:-(?:{_DIGIT_WORD}))?"
_NUM = (
    rf"(?P<num>(?:{_SPOKEN_PRICE}|\d[\d,]*(?:\.\d+)?|(?:{_TENS_WORD})(?:[- ](?:{_DIGIT_WORD}))?|"
    rf"{_DIGIT_WORD}|{_TEEN_WORD}|half){_FRACTION}(?:\s+(?:thousand|million|billion)\b)?)"
)
_UNIT = (
    r"(?P<unit>%|per ?cent|years?|yr|months?|weeks?|days?|hours?|hrs?|tonnes?|tons?|miles?|km|"
    r"kilometres?|kilometers?|staff|officers|officials|people|vessels|ships|boats|troops|"
    r"(?:us )?cents?|euros?|(?:us )?dollars?|dinars?|francs?|rupees?|kronor|kroner)"
)
# "$4.50", "€1.6 million", "£ 20bn": the currency before the amount
_MONEY = re.compile(
    r"(?P<cur>[€$£])\s?(?P<num>\d[\d,]*(?:\.\d+)?)(?:\s*(?P<scale>thousand|million|billion|bn|m)\b)?"
)
_QUANTITY = re.compile(r"\b" + _NUM + r"\s*-?\s*" + _UNIT + r"(?!\w)", re.IGNORECASE)
AMOUNT = _NUM.replace("?P<num>", "?:") + r"(?:\s*-?\s*" + _UNIT.replace("?P<unit>", "?:") + ")?"
"""A number, in digits or words, with or without its unit (a regex without groups)."""
# "more than the 20% share", "above the Media Act's 25% cap", "beyond the treaty's 48 hours".
# Not for money: "the contract price of €72/MWh" is a rate, and lump sums ("€120 million of
# the charges") would be read against it.
_BEFORE_AMOUNT = r"(?:(?:the|a|its|their)\s+(?:[\w'’]+\s+){0,3}?(?:of\s+)?)?"
_LIMIT = re.compile(
    r"(?P<dir>more than|longer than|greater than|higher than|heavier than|over|above|beyond|"
    r"outside|exceed(?:ing)?|in excess of|less than|fewer than|shorter than|lower than|"
    r"lighter than|below|under)\s+" + _BEFORE_AMOUNT + _NUM + r"\s*-?\s*" + _UNIT,
    re.IGNORECASE,
)
_MONEY_LIMIT = re.compile(
    r"(?P<dir>more than|greater than|over|above|beyond|exceed(?:ing)?|in excess of|less than|"
    r"below|under)\s+" + _MONEY.pattern,
    re.IGNORECASE,
)
_HALF_OF = re.compile(r"\bhalf (?:of )?(?:the |your |its )", re.IGNORECASE)


def _to_number(raw: str) -> float:
    raw = re.sub(r"\s+", " ", raw.lower().strip())
    head, _, last = raw.rpartition(" ")
    scale = 1.0
    if head and last in _SCALE:  # "twenty thousand", "3.5 million"
        raw, scale = head, _SCALE[last]
    whole, _, fraction = raw.replace("-quarters", " quarters").partition(" and ")
    spoken = re.fullmatch(_SPOKEN_PRICE, whole)
    if spoken:
        units, _, cents = whole.partition("-")
        value = _SMALL[units] + sum(_SMALL.get(p, 0) for p in cents.split("-")) / 100
    elif whole[0].isdigit():
        value = float(whole.replace(",", ""))
    else:
        value = float(sum(_SMALL.get(p, 0) for p in re.split(r"[- ]", whole)))
    return (value + _FRACTION_VALUE.get(fraction, 0.0)) * scale


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, as found in a text."""

    value: float
    unit: str
    start: int


@dataclass(frozen=True)
class Limit:
    """A red line's numeric limit: `upper` means values above it cross the line."""

    value: float
    unit: str
    upper: bool
    conversions: tuple[tuple[str, float], ...] = ()
    """(other unit, how many of it make one limit unit), learnt from the scenario."""

    def crossed_by(self, quantity: Quantity) -> bool:
        """Whether offering this quantity crosses the limit."""
        factor = self.factor(quantity.unit)
        if factor is None:
            return False
        value = quantity.value / factor
        return value > self.value if self.upper else value < self.value

    def factor(self, unit: str) -> float | None:
        """How many of `unit` make one limit unit (None when they do not compare)."""
        if unit == self.unit:
            return 1.0
        if unit in _DAYS and self.unit in _DAYS:
            return _DAYS[self.unit] / _DAYS[unit]
        return dict(self.conversions).get(unit)

    def units(self) -> set[str]:
        """The units a quantity may have to be read against this limit."""
        extra = set(_DAYS) if self.unit in _DAYS else set()
        return {self.unit} | {u for u, _ in self.conversions} | extra


def quantities(text: str) -> list[Quantity]:
    """All quantities with a unit in the text ('half of the catch' counts as 50%)."""
    text = normalise(text)
    found = []
    for m in _QUANTITY.finditer(text):
        unit = (m.group("unit") or "%").lower()
        unit = _UNITS.get(unit.replace("per cent", "percent"), unit)
        found.append(Quantity(_to_number(m.group("num")), unit, m.start()))
    found += [Quantity(50.0, "percent", m.start()) for m in _HALF_OF.finditer(text)]
    found += [_money(m) for m in _MONEY.finditer(text)]
    return sorted(found, key=lambda q: q.start)


def _money(m: re.Match[str]) -> Quantity:
    value = float(m.group("num").replace(",", ""))
    scale = _SCALE.get((m.group("scale") or "").lower(), 1.0)
    return Quantity(value * scale, _SYMBOL[m.group("cur")], m.start())


def parse_limit(statement: str, context: str = "") -> Limit | None:
    """The numeric limit in a red line ('more than 20% of the catch'), if any.

    A percentage limit learns a conversion to absolute units when the scenario's context states
    the base, e.g. 'the total allowable catch ... is 60,000 tonnes a year'.
    """
    m = _LIMIT.search(normalise(statement))
    money = None if m else _MONEY_LIMIT.search(normalise(statement))
    if money:
        quantity = _money(money)
        unit, value, m = quantity.unit, quantity.value, money
    elif m:
        unit = _UNITS.get(m.group("unit").lower().replace("per cent", "percent"), m.group("unit"))
        value = _to_number(m.group("num"))
    else:
        return _date_limit(statement)
    direction = m.group("dir").lower()
    upper = not direction.startswith(
        ("less", "fewer", "shorter", "lower", "lighter", "below", "under")
    )
    conversions: list[tuple[str, float]] = []
    if unit == "percent":
        base = re.search(r"\bof (?:the |its |their )?([\w ]+)", statement[m.end() :])
        if base and context:
            base_words = base.group(1).lower().split()[:3]
            keys = [" ".join(base_words[:n]) for n in range(len(base_words), 0, -1)]
            for sentence in re.split(r"(?<=[.!?])\s+", normalise(context)):
                key = next((k for k in keys if len(k) > 4 and k in sentence.lower()), None)
                absolute = [
                    q
                    for q in quantities(sentence)
                    if q.unit not in ("percent", "year", "month", "week", "day", "hour")
                ]
                if key and absolute:
                    conversions.append((absolute[0].unit, absolute[0].value / 100.0))
                    break
    return Limit(value, unit, upper, tuple(conversions))


_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MONTH = r"(?:" + "|".join(_MONTHS) + r")"
_DATE_LIMIT = re.compile(
    r"\b(?P<dir>after|beyond|later than|past|before|earlier than)\s+(?:the end of\s+)?"
    r"(?:(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?P<month>" + _MONTH + r")\s+)?(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(?:(?P<mid>mid-?|the middle of )|(?P<end>(?:the )?end of |late )|"
    r"(?P<start>(?:the )?(?:start|beginning) of |early )|(?:\d{1,2}(?:st|nd|rd|th)? )?"
    r"(?P<month>" + _MONTH + r")\s+)?(?P<year>(?:19|20)\d\d)\b(?![,.]?\d)",
    re.IGNORECASE,
)


def _date_limit(statement: str) -> Limit | None:
    """A red line's date limit ("beyond 31 December 2030", "before 2021") in fractional
    years: the end of the month or year named for "after", its start for "before"."""
    m = _DATE_LIMIT.search(statement)
    if not m:
        return None
    year = int(m.group("year"))
    month = _MONTHS.index(m.group("month").lower()) + 1 if m.group("month") else None
    before = m.group("dir").lower() in ("before", "earlier than")
    if before:
        value = year + ((month - 1) / 12 if month else 0.0)
    else:
        value = year + (month / 12 if month else 1.0)
    return Limit(value, "date", upper=not before)


def dates(text: str) -> list[Quantity]:
    """Years named in a text ("2034", "mid-2031", "October 2026"), in fractional years at
    the middle of the period named."""
    found = []
    for m in _DATE.finditer(normalise(text)):
        year = int(m.group("year"))
        if m.group("month"):
            value = year + (_MONTHS.index(m.group("month").lower()) + 0.5) / 12
        elif m.group("end"):
            value = year + 0.99
        elif m.group("start"):
            value = year + 0.05
        else:
            value = year + 0.5
        found.append(Quantity(value, "date", m.start()))
    return found


_BARE = re.compile(r"(?<![\w.,%-])(\d{1,3}(?:,\d{3})+|\d{3,})(?![\w%,-]|\.\d)")
# A small number standing alone as a counter-offer ("Seven, maybe.", "three and that's it"):
# not followed by a noun, which would say what it counts ("two points", "the eight in Harsk").
_SMALL_BARE = re.compile(
    rf"(?<![\w.,:%$£€-])((?:{_SPOKEN_PRICE}|\d{{1,2}}(?:\.\d+)?|(?:{_TENS_WORD})"
    rf"(?:-(?:{_DIGIT_WORD}))?|{_DIGIT_WORD}|{_TEEN_WORD}){_FRACTION})"
    r"(?=\s*(?:[,;!?]|[.:](?!\d)|$)|\s+(?:and|then|maybe|perhaps|tops|at most|max|is|it is|"
    r"that's|would|could|or|for|from|with|in|if|as)\b)",
    re.IGNORECASE,
)
# A decimal amount needs no unit to be an amount ("8.7 from January").
_DECIMAL_BARE = re.compile(r"(?<![\w.,%$£€-])(\d{1,3}\.\d+)(?![\d%.]|\s*-?\s*[a-z]*\d)")


_ANY_NUMBER = re.compile(r"(?<![\w.,])" + _NUM + r"(?!\w)", re.IGNORECASE)


def numbers_named(text: str) -> list[float]:
    """Every number of a text, in digits or words, with or without a unit."""
    return [_to_number(m.group("num")) for m in _ANY_NUMBER.finditer(normalise(text))]


def with_implied_units(
    text: str, reference: str, expected: tuple[Quantity, ...] = ()
) -> list[Quantity]:
    """Quantities of the text, plus bare numbers ("could we say 14,000?", "Seven, maybe.")
    that take the unit of a quantity of similar size named in the text, the reference (the
    turn answered) or `expected` (e.g. the limit of the red line being checked)."""
    found = quantities(text)
    known = found + quantities(reference) + list(expected)
    taken = {q.start for q in found}
    norm = normalise(text)
    bare = [(m.start(), m.group(1)) for m in _BARE.finditer(norm)]
    bare += [(m.start(), m.group(1)) for m in _SMALL_BARE.finditer(norm)]
    bare += [(m.start(), m.group(1)) for m in _DECIMAL_BARE.finditer(norm)]
    for start, raw in bare:
        if any(abs(start - s) <= 1 for s in taken):
            continue
        value = _to_number(raw)
        if 1900 <= value <= 2100 and "," not in raw:
            continue  # a year, not an amount
        for scale in (1.0, 1e3, 1e6, 1e9):
            # "three and a quarter" after "4 million tonnes": the millions go unsaid
            scaled = value * scale
            similar = [
                q
                for q in known
                if q.value and 1 / 3 <= scaled / q.value <= 3 and (scale == 1 or q.value >= 1e5)
            ]
            if similar:
                # the unit of the quantity closest in size
                nearest = min(similar, key=lambda q: abs(math.log(scaled / q.value)))
                found.append(Quantity(scaled, nearest.unit, start))
                taken.add(start)
                break
    return found
