"""Rubric criteria scored from the offline measures, each with a reason and a verbatim quote."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.domain.rubric import Criterion, Measure
from coach.domain.transcript import CriterionScore
from coach.evaluation.offline import cues
from coach.evaluation.offline.signals import NAMED_TACTICS
from coach.evaluation.offline.text import (
    compile_all,
    has_any,
    is_courtesy,
    normalise,
    sentences,
)

NO_MEASURE_REASON = "offline judge has no measure for this criterion; needs the LLM judge"

_LISTENING = compile_all(
    r"\bi (?:understand|appreciate|hear|see|recognise|recognize|believe you)\b",
    r"\bhelp me understand\b|\btell me (?:more|why|what|how)\b|\bwhat exactly\b",
    r"\b(?:your|the) (?:concern|need|pressure|worry)\b|\bfair (?:concern|point)\b",
    r"\bwhat (?:would|does|do) [\w ]*(?:need|want|accept|mind)\b|\?",
)
_ALTERNATIVES = compile_all(
    r"\bwhat (?:i|we) can (?:offer|propose|give|do)\b|\b(?:propose|suggest|instead)\b",
    r"\bhere is\b|\bwe could\b|\bi can offer\b|\balternative\b|\brather than\b",
)
_HOLDING = compile_all(
    r"\b(?:will not|won't|cannot|can't|shall not|do not|don't|not|never|no)\b",
    r"\b(?:stays?|remains?|holds?)\b",
)
_TEMPO = compile_all(
    r"\b(?:by|on|before|within) (?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|"
    r"tonight|the end of|\d)",
    r"\breconvene\b|\bnext (?:meeting|round|week)\b|\bwithin the hour\b|\bdeadline\b",
)


@dataclass(frozen=True)
class TurnFacts:
    """What the offline measures found in one trainee turn."""

    text: str
    tone: int
    escalation: int
    breaches: list[tuple[str, str]]
    """(red line id, evidence sentence)"""
    tactics_named: list[str]
    pending_tactics: list[str]
    """Tactics in the counterpart's previous turn."""


# every cue `tone.score_tone` reads, so a tone below 5 quotes the sentence that lowered it
_TONE_CUES = (
    cues.INSULT
    + cues.PLEA
    + cues.CAPITULATION
    + cues.ACCUSATION
    + cues.SARCASM
    + cues.HEDGE
    + cues.IRRITATION
    + cues.COUNTER_THREAT
)
_RAISING = cues.INSULT + cues.LYING + cues.COUNTER_THREAT + cues.ACCUSATION


def _found(text: str, patterns: tuple[re.Pattern[str], ...]) -> str:
    """The first sentence that matches a pattern ('' if none: absence has no quote)."""
    return next((s for s in sentences(text) if has_any(normalise(s).lower(), patterns)), "")


def _quote(text: str, patterns: tuple[re.Pattern[str], ...] = ()) -> str:
    """The first sentence that matches a pattern; else the first sentence with substance (a
    greeting or a thank-you quotes nothing), or the first sentence."""
    parts = sentences(text) or [text]
    for s in parts:
        if patterns and has_any(normalise(s).lower(), patterns):
            return s
    return next((s for s in parts if not is_courtesy(s)), parts[0])


def _score(c: Criterion, f: TurnFacts) -> tuple[int, str, str]:
    measure = c.measure
    if measure == Measure.TONE:
        cue = _TONE_CUES if f.tone < 5 else ()
        return f.tone, f"tone {f.tone}/5 on the composure scale", _quote(f.text, cue)
    if measure == Measure.RED_LINES:
        if f.breaches:
            ids = ", ".join(b[0] for b in f.breaches)
            return 1, f"gives ground on red line(s): {ids}", f.breaches[0][1]
        return 5, "no red line given up", _found(f.text, _HOLDING)
    if measure == Measure.ESCALATION:
        score = {-1: 5, 0: 4, 1: 2}[f.escalation]
        label = {-1: "lowers", 0: "keeps", 1: "raises"}[f.escalation]
        if f.escalation == 0:
            return score, f"{label} the temperature", ""
        cue = cues.DEESCALATE if f.escalation == -1 else _RAISING
        return score, f"{label} the temperature", _quote(f.text, cue)
    if measure == Measure.TACTIC_RECOGNITION:
        if f.tactics_named:
            named = tuple(p for t in f.tactics_named for p in NAMED_TACTICS.get(t, ()))
            return 5, "names the tactic: " + ", ".join(f.tactics_named), _quote(f.text, named)
        # nothing was said, so nothing is quoted (a quote would look like evidence)
        if f.pending_tactics:
            return 2, "does not name the counterpart's tactic", ""
        return 3, "no tactic to recognise", ""
    if measure == Measure.LISTENING:
        quote = _found(f.text, _LISTENING)
        reason = "acknowledges or probes the other side" if quote else "does not engage with them"
        return (5 if quote else 3), reason, quote
    if measure == Measure.ALTERNATIVES:
        quote = _found(f.text, _ALTERNATIVES)
        if quote and not f.breaches:
            return 5, "offers an alternative that keeps the red lines", quote
        if f.breaches:
            return 2, "gives up a red line instead of offering an alternative", f.breaches[0][1]
        return 3, "no alternative that keeps the line", ""
    quote = _found(f.text, _TEMPO)
    reason = "sets the pace with a date or next step" if quote else "leaves the pace to them"
    return (5 if quote else 3), reason, quote


def score_criteria(criteria: list[Criterion], facts: TurnFacts) -> list[CriterionScore]:
    """One score per trainee-turn criterion; unmeasured criteria are left unscored."""
    out = []
    for c in criteria:
        if c.applies_to != "trainee_turn":
            continue
        if c.measure is None:
            out.append(CriterionScore(criterion=c.id, score=None, reason=NO_MEASURE_REASON))
            continue
        score, reason, evidence = _score(c, facts)
        out.append(CriterionScore(criterion=c.id, score=score, reason=reason, evidence=evidence))
    return out
