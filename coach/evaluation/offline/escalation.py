"""Escalation, -1/0/1: what a turn does to the temperature of the exchange."""

from __future__ import annotations

from coach.evaluation.offline import cues
from coach.evaluation.offline.text import compile_all, has_any, normalise

_ACCOMMODATING = compile_all(
    r"\b(?:we|i) (?:could|can|might)\b",
    r"\bif (?:that|it) (?:helps|is what it takes|'s what it takes)\b|\bif that's what\b",
    r"\bwould that (?:help|be enough|work)\b",
    r"\bthank you\b|\bi'm sorry\b|\bi didn't mean\b",
)


def is_hostile(text: str) -> bool:
    """An insult or an accusation of lying: escalation +1 by the guide, whatever else the
    turn does (the ensemble lets the learned head overrule the rules' other +1 cues)."""
    t = normalise(text)
    return bool(has_any(t, cues.INSULT) or has_any(t.lower(), cues.LYING))


def score_escalation(text: str, conceded: bool = False) -> int:
    """1 for counter-threats, insults, accusations of lying, going public or walking out;
    -1 for acknowledging, proposing a process or step, or conceding in accommodating words;
    0 otherwise (holding, asking, stating facts, pleading, bare or resentful concessions)."""
    t = normalise(text)
    low = t.lower()
    if (
        has_any(t, cues.INSULT)
        or has_any(low, cues.LYING)
        or has_any(low, cues.COUNTER_THREAT)
        or (has_any(low, cues.ACCUSATION) and "!" in t)
    ):
        return 1
    if conceded:
        return -1 if has_any(low, _ACCOMMODATING) or has_any(low, cues.DEESCALATE) else 0
    if has_any(low, cues.PLEA):
        return 0
    if has_any(low, cues.DEESCALATE):
        return -1
    return 0
