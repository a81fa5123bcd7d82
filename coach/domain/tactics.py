"""The twelve coercive tactics of the labelling guide, with a trainer-facing description."""

from __future__ import annotations

from typing import Literal, get_args

TacticId = Literal[
    "ultimatum",
    "deadline_pressure",
    "threat",
    "salami_slicing",
    "extreme_anchor",
    "linkage",
    "divide_and_rule",
    "disinformation",
    "good_cop_bad_cop",
    "fait_accompli",
    "public_pressure",
    "inducement",
]

TACTIC_IDS: tuple[str, ...] = get_args(TacticId)

TACTIC_DESCRIPTIONS: dict[str, str] = {
    "ultimatum": "a final, take-it-or-leave-it demand with a consequence attached",
    "deadline_pressure": "artificial or real time pressure: 'by midnight', 'the offer expires'",
    "threat": "an explicit threat of punishment: sanctions, force, cut-offs, expulsion",
    "salami_slicing": "asks for one more small concession that builds on an earlier one",
    "extreme_anchor": "opens with, or returns to, an extreme demand to shift the range",
    "linkage": "ties the issue at hand to an unrelated one as a condition",
    "divide_and_rule": "tries to split you from allies, partners or domestic constituencies",
    "disinformation": "asserts false or unverifiable facts, or distorts the record of the talks",
    "good_cop_bad_cop": "invokes a harder-line actor behind them to extract movement",
    "fait_accompli": "presents something already done as settled and beyond discussion",
    "public_pressure": "threatens to go public, leak, or shame your side",
    "inducement": "sweeteners, side payments or flattery offered to lure a concession",
}

TACTIC_COUNTERS: dict[str, str] = {
    "ultimatum": "Do not answer the finality; restate your position and propose a process "
    "with a date you control (tempo is yours too).",
    "deadline_pressure": "Slow the clock: say you will not decide against an artificial "
    "deadline and offer a next meeting date instead.",
    "threat": "Stay calm, name the cost to both sides, and point to your alternative (BATNA) "
    "without a counter-threat.",
    "salami_slicing": "Refuse the next slice explicitly and link any movement to a verifiable, "
    "reciprocal step.",
    "extreme_anchor": "Do not bargain from their number; re-anchor on objective criteria or "
    "precedent.",
    "linkage": "De-link: agree to discuss the other issue in its own channel, not as a price.",
    "divide_and_rule": "Reaffirm your coalition and say you will consult partners before "
    "any answer.",
    "disinformation": "Correct the record calmly and ask for verifiable evidence or a joint "
    "fact-finding step.",
    "good_cop_bad_cop": "Deal with the person in the room; the absent hardliner is their "
    "problem, not your concession.",
    "fait_accompli": "Do not legitimise it: state non-recognition and propose a reversible, "
    "verifiable step back.",
    "public_pressure": "Keep talks private, offer a joint statement, and do not negotiate "
    "through the press.",
    "inducement": "Separate the sweetener from the red line: welcome it on its own merits, "
    "never as a trade for a core interest.",
}


def tactic_label(tactic: str) -> str:
    """Human-readable name of a tactic id: 'deadline_pressure' -> 'deadline pressure'."""
    return tactic.replace("_", " ")
