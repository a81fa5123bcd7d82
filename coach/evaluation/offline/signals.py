"""Signals for the strategist, and the tactics a trainee named out loud."""

from __future__ import annotations

import re

from coach.domain.persona import Signal
from coach.evaluation.offline.offers import is_bare_acceptance, offer_strength
from coach.evaluation.offline.text import (
    clauses,
    compile_all,
    content_stems,
    has_any,
    normalise,
    sentences,
)

_NAMED: dict[str, tuple[str, ...]] = {
    "deadline_pressure": (
        r"\b(?:artificial|arbitrary|imposed|your|invented|self-imposed) (?:deadline|timetable|"
        r"clock|date|calendar)\b",
        r"\bdeadline\b[^.]*\b(?:will not|won't|doesn't|does not|isn't|is not)\b",
        r"\b(?:won't|will not|don't|do not|cannot|can't) (?:decide|be rushed|negotiate|be hurried)"
        r" (?:against|under|to) (?:a|the|your|any) (?:clock|deadline|stopwatch)\b",
        r"\bnot a deadline for\b|\b(?:your|that) (?:deadline|date) is not ours\b|\bcliff[- ]edge\b",
    ),
    "threat": (r"\b(?:that|this) (?:sounds|is|reads) like a threat\b",
               r"\bunder (?:threat|duress)\b",
               r"\bthreats? (?:will not|won't|don't|do not|are not|is not)\b"),
    "ultimatum": (r"\bultimatum\b", r"\b'?final (?:text|offer)'?\b[^.]*\b(?:hoped|won't|not)\b",
                  r"\btake[- ]it[- ]or[- ]leave[- ]it\b"),
    "salami_slicing": (
        r"\bevery (?:figure|step|concession)\b[^.]*\b(?:floor|next|more)\b",
        r"\b(?:pocket|bank)(?:ed|s)? (?:it|each|every)\b[^.]*\b(?:more|next)\b|\bone slice\b|"
        r"\bsalami\b|\bpiece by piece\b|\bstep by step\b[^.]*\bmore\b",
    ),
    "linkage": (r"\b(?:you've|you have) (?:connected|linked|tied)\b",
                r"\b(?:separate|unrelated) (?:questions?|issues?|matters?|files?|tracks?)\b",
                r"\b(?:won't|will not|do not|don't) link\b|\bnot (?:on this table|a condition)\b"),
    "divide_and_rule": (r"\b(?:divide|split|separate) us\b|\bdrive a wedge\b|\bwith one voice\b",
                        r"\b(?:jointly|together) with (?:our )?(?:partners|allies)\b",
                        r"\bno daylight\b|\b(?:they|our partners|our allies) are not "
                        r"(?:your|the) (?:negotiating )?partners?\b"),
    "disinformation": (r"\bthat (?:isn't|is not|wasn't|was not) what\b",
                       r"\bnever (?:took place|happened|said|agreed)\b",
                       r"\bcorrect the record\b|\bcan't verify\b|\bcannot verify\b|"
                       r"\bunverifi\w+\b", r"\bno such\b"),
    "good_cop_bad_cop": (r"\bgood cop\b|\bbad cop\b|\bthe (?:kind|nice|friendly) \w+ and the\b",
                         r"\bthe person in (?:the|this) room\b",
                         r"\bi (?:negotiate|deal|talk) with you, not\b"),
    "fait_accompli": (r"\bno legal (?:effect|force|standing|validity)\b",
                      r"\b(?:does|do|will) not (?:accept|recognise|recognize) (?:it|this|that)\b",
                      r"\bnon-recognition\b|\bfacts? on the ground\b|\bunilateral (?:step|act)",
                      r"\b(?:don't|do not|cannot|can't) create (?:rights|facts|law)\b"),
    "public_pressure": (r"\bnegotiate (?:through|in) the press\b|"
                        r"\bkeep (?:this|the talks|these talks) (?:private|confidential)\b",),
    "inducement": (r"\bon (?:its|their) own merits\b|\bset [\w ]* aside\b|\bisn't for sale\b|"
                   r"\bnot for sale\b|\bcannot be bought\b",),
    "extreme_anchor": (r"\bnot (?:bargain|negotiate|start) from\b",
                       r"\bnone of (?:those|these) (?:demands|points)\b|\bstarting point\b"),
}  # fmt: skip
NAMED_TACTICS = {k: compile_all(*v) for k, v in _NAMED.items()}
"""Per tactic, the phrases by which a trainee names or neutralises it out loud."""

_STEPS = compile_all(
    r"\b(?:verification|verify|verifiable|phased|reversible|reciprocal|pilot|interim|"
    r"observers?|monitoring|hotline|notification|protocol|review|terms of reference|"
    r"mutual(?:ly)?|joint (?:statement|declaration|review|centre|team|log)|process|panel|"
    r"(?:a|joint|phased|clear) timetable|draft|without prejudice)\b",
    r"\b(?:propose|suggest)\b|\bhere is a proposal\b|\bwhat (?:i|we) can offer\b",
    r"\bprovided (?:\w+ )?(?:does|do) the same\b|\bin return\b|\bif you\b[^.]*\bwe (?:will|'ll)\b",
)
# "What does your side need to verify the flows?" asks about their needs; it proposes
# nothing (a yes/no question, "Would a joint review help?", still can)
_ASKS_ABOUT = re.compile(r"^\W*(?:what|how|why|which|who|whom|when|where)\b[^?]*\?\W*$")
_STALL = compile_all(
    r"\b(?:i'll|i will|we'll|we will|let me) (?:have to )?(?:consult|check|think|get back|"
    r"take it back|come back|look into|mention it|reflect)\b",
    r"\bneed (?:more )?time\b|\bnot in a position to\b|\bi'd have to\b|\bi would have to\b",
)
_FIRM = compile_all(
    r"^no\b",
    r"\b(?:won't|will not|cannot|can't|isn't|is not|not) (?:available|on the table|accept|"
    r"agree|sign|change|move|trade|for sale|open for)\b",
    r"\b(?:stands|stays|remains)\b",
    r"\bnone of\b|\bnever\b|\bis no\b|\b(?:are|is) (?:both |still )?(?:a )?no\b",
)


def stalls_or_holds(text: str) -> bool:
    """Whether the turn asks for time ("I will have to consult the capital") or holds a
    position in firm words ("The complaint stays."): the guide's not-a-breach moves."""
    low = normalise(text).lower()
    return bool(has_any(low, _STALL) or has_any(low, _FIRM))


def tactics_named(text: str) -> list[str]:
    """Tactic ids the trainee named or neutralised out loud."""
    low = normalise(text).lower()
    return [tactic for tactic, patterns in NAMED_TACTICS.items() if has_any(low, patterns)]


def gives_ground(text: str, demand: str | None) -> bool:
    """Whether the turn gives the counterpart something it asked for, red line or not.

    A bare acceptance ("Fine.", "Agreed.") after a demand gives ground; so does an offer or
    acceptance clause that takes up the demand's own content (two or more shared content
    stems). An offer of something else (an alternative) does not.
    """
    if demand and is_bare_acceptance(text):
        return True
    asked = set(content_stems(demand or ""))
    for sentence in sentences(text):
        for clause in clauses(sentence):
            if offer_strength(clause, sentence) < 0.6:
                continue
            if len(asked & set(content_stems(clause))) >= 2:
                return True
    return False


def derive_signals(
    text: str, tone: int, escalation: int, conceded: bool, named: list[str]
) -> list[Signal]:
    """Deterministic signals: what the strategist should read into the turn."""
    low = normalise(text).lower()
    out: list[Signal] = []
    if conceded:
        out.append(Signal.CONCEDES)
    if escalation == 1:
        out.append(Signal.ESCALATES)
    if named:
        out.append(Signal.NAMES_TACTIC)
    said = [s.lower() for s in sentences(normalise(text))]
    proposes = escalation <= 0 and any(has_any(s, _STEPS) for s in said if not _ASKS_ABOUT.match(s))
    if proposes:
        out.append(Signal.PROPOSES_STEPS)
    if not conceded and escalation <= 0 and tone >= 4 and has_any(low, _FIRM):
        out.append(Signal.HOLDS_CALMLY)
    if not out and (has_any(low, _STALL) or len(low.split()) < 6):
        out.append(Signal.STALLS)
    if not out:
        out.append(Signal.HOLDS_CALMLY if tone >= 4 else Signal.STALLS)
    return out
