"""The offline speaker: renders a planned move from the persona's phrasebook, never twice alike."""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Sequence

from coach.domain.persona import Persona, Reaction
from coach.domain.scenario import Scenario
from coach.engine.strategy import CounterpartPlan

# Used only when a persona's phrasebook has no line for a reaction or tactic.
GENERIC_OPENERS: dict[Reaction, list[str]] = {
    Reaction.OPEN: ["Let us not waste time.", "I will be direct with you."],
    Reaction.PRESS: ["Good. That is a start.", "We are moving, at last."],
    Reaction.SWITCH: ["Very well. Let us look at this differently.", "Then consider this."],
    Reaction.EASE: ["I hear you. Perhaps we can find a way.", "Let us lower our voices a little."],
    Reaction.COUNTER: ["Do not mistake our patience for weakness.", "Threats cut both ways."],
    Reaction.WARN: ["I would choose my words more carefully.", "That tone will not help you."],
    Reaction.DENY: ["You misread us entirely.", "Nobody is playing games here."],
    Reaction.ACKNOWLEDGE: ["Fair. Then let me be plain.", "You see the board clearly. So do we."],
    Reaction.ENGAGE: ["Verification. Interesting. Who would verify?", "A step-by-step approach?"],
    Reaction.HURRY: ["Time is not on your side.", "Every day you wait costs you."],
}

GENERIC_TACTIC_LINES: dict[str, list[str]] = {
    "ultimatum": ["This is our final offer: {demand}. Take it or leave it."],
    "deadline_pressure": ["You have until the end of the week to agree to {demand}."],
    "threat": ["If you refuse {demand}, there will be consequences for your side."],
    "salami_slicing": ["You said {conceded}. Now add {demand}; it is a small step."],
    "extreme_anchor": ["Our starting point is {first_demand}, and more besides."],
    "linkage": ["Any progress elsewhere now depends on {demand}."],
    "divide_and_rule": ["Your partners have already told us privately they can live with this."],
    "disinformation": ["Our information shows your own officials already agreed to this."],
    "good_cop_bad_cop": ["I am the reasonable one. The people behind me want far more."],
    "fait_accompli": ["It is already done. The question now is only how you adapt."],
    "public_pressure": ["If we cannot agree, the press will hear our version first."],
    "inducement": ["Agree to {demand} and you will find us generous in return."],
}

GENERIC_NEUTRAL = [
    "Tell me what you can actually offer.",
    "What would your government need to say yes?",
    "So what is your answer?",
    "I am listening. Make me a proposal I can take home.",
    "Where, exactly, do you see room to move?",
    "Think carefully before you reply.",
]


class _Slots(dict[str, str]):
    """format_map mapping that leaves unknown slots readable instead of failing."""

    def __missing__(self, key: str) -> str:
        return key.replace("_", " ")


def slot_values(persona: Persona, scenario: Scenario, plan: CounterpartPlan) -> dict[str, str]:
    """Every value a phrasebook line may name."""
    values = {
        "counterpart_name": persona.name,
        "counterpart_title": persona.title,
        "trainee_role": scenario.trainee_role,
        "counterpart_role": scenario.counterpart_role,
        "first_demand": persona.demands[0],
        "demand": plan.demand,
        "next_demand": plan.next_demand,
        "previous_demand": plan.previous_demand,
        "conceded": quoted(plan.conceded) if plan.conceded else plan.previous_demand,
    }
    values.update(scenario.terms)
    values.update(persona.terms)
    return values


QUOTE_WORDS = 18
# Sentence openers written in lower case inside a quotation; names and "I" keep their case.
_LOWER_IN_A_QUOTE = frozenset(
    "we our us you your it this that these those the a an all if then so and but fine yes "
    "okay ok alright agreed perhaps maybe well very let in on for from once after before "
    "there what how why".split()
)


def quoted(said: str) -> str:
    """The trainee's words as a short quotation: '"we could consider a monthly visit"'."""
    words = said.strip().rstrip(".!?;:, ").split()
    text = " ".join(words[:QUOTE_WORDS]) + (" ..." if len(words) > QUOTE_WORDS else "")
    if words and words[0].lower().strip(",;:") in _LOWER_IN_A_QUOTE:
        text = text[0].lower() + text[1:]
    return f'"{text}"'


def fill(line: str, values: dict[str, str]) -> str:
    """Fill {slots}; a malformed template is spoken as written rather than crashing."""
    try:
        return string.Formatter().vformat(line, (), _Slots(values))
    except (ValueError, IndexError):
        return line


def fingerprint(line: str) -> str:
    """Short stable id of a template line."""
    return hashlib.sha1(line.encode()).hexdigest()[:10]


def _pick(lines: list[str], used: Sequence[str], seed: str) -> str:
    """An unused line, in an order that varies by session and turn; when every line has
    been spoken, the one spoken longest ago (so two turns in a row never open alike)."""
    if not lines:
        return ""
    start = int(hashlib.sha1(seed.encode()).hexdigest(), 16) % len(lines)
    ordered = lines[start:] + lines[:start]
    last_use = {fp: i for i, fp in enumerate(used)}
    for line in ordered:
        if fingerprint(line) not in last_use:
            return line
    return min(ordered, key=lambda line: last_use[fingerprint(line)])


def render(
    persona: Persona,
    scenario: Scenario,
    plan: CounterpartPlan,
    *,
    used: Sequence[str],
    seed: str,
    spoken_before: set[str],
) -> tuple[str, list[str]]:
    """Text of the move and the fingerprints of the lines it used.

    `used` holds fingerprints of lines already spoken, oldest first; `spoken_before` the
    exact earlier utterances, so the whole reply is never repeated verbatim.
    """
    book = persona.phrasebook
    values = slot_values(persona, scenario, plan)
    text, chosen = "", []
    for attempt in range(12):
        # Later attempts widen the pools (generic lines after the persona's own) and add a
        # closing question, so that a small phrasebook still never repeats a whole reply.
        salt = f"{seed}:{attempt}"
        wide = attempt >= 4
        parts: list[str] = []
        openers = list(book.openers.get(plan.reaction) or [])
        if wide or not openers:
            openers += GENERIC_OPENERS[plan.reaction]
        parts.append(_pick(openers, used, salt + ":open"))
        for tactic in plan.tactics:
            lines = list(book.tactics.get(tactic) or [])  # type: ignore[call-overload]
            if wide or not lines:
                lines += GENERIC_TACTIC_LINES[tactic]
            taken = [*used, *(fingerprint(p) for p in parts)]
            parts.append(_pick(lines, taken, f"{salt}:{tactic}"))
        if not plan.tactics or attempt >= 2:
            neutral = list(book.neutral) + (GENERIC_NEUTRAL if wide or not book.neutral else [])
            parts.append(_pick(neutral, used, salt + ":neutral"))
        chosen = [p for p in parts if p]
        text = _tidy(" ".join(fill(p, values) for p in chosen))
        if text not in spoken_before:
            break
    return text, [fingerprint(c) for c in chosen]


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text[:1].upper() + text[1:]
