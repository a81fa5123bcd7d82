"""Tone, 1 to 5: composure and professionalism, read from cues in the turn."""

from __future__ import annotations

import re

from coach.evaluation.offline import cues
from coach.evaluation.offline.text import normalise

_YIELD_START = re.compile(r"\W*(?:yes|fine|ok|okay|all right|very well|agreed)\b")


def _count(text: str, patterns: tuple[re.Pattern[str], ...]) -> int:
    return sum(len(p.findall(text)) for p in patterns)


def score_tone(text: str, conceded: bool = False) -> int:
    """Tone per the guide: 5 calm and firm ... 1 insulting or abject capitulation."""
    t = normalise(text)
    low = t.lower()
    if _count(t, cues.INSULT):
        return 1
    pleas = _count(low, cues.PLEA)
    yielding = pleas or conceded or _YIELD_START.match(low)
    if _count(low, cues.CAPITULATION) and yielding:
        return 1
    accusations = _count(low, cues.ACCUSATION)
    exclaims = t.count("!")
    if pleas:
        return 2
    if accusations and (exclaims or accusations > 1):
        return 2
    sarcasm = _count(low, cues.SARCASM)
    hedges = _count(low, cues.HEDGE)
    irritation = _count(low, cues.IRRITATION)
    if _count(low, cues.COUNTER_THREAT):
        return 2 if sarcasm or irritation or accusations else 4
    if accusations or exclaims >= 2:
        return 2 if sarcasm or irritation else 3
    if sarcasm:
        return 3
    if hedges >= 3 or (hedges >= 2 and conceded):
        return 3
    if irritation or hedges:
        return 4
    return 5
