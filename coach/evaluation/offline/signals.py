"""Signals for the strategist, and the tactics a trainee named out loud."""

from __future__ import annotations

from coach.domain.persona import Signal
from coach.evaluation.offline.text import compile_all, has_any, normalise

_NAMED: dict[str, tuple[str, ...]] = {
    "deadline_pressure": (
        r"\b(?:artificial|arbitrary|imposed|your) (?:deadline|timetable|clock|date)\b",
        r"\bdeadline\b[^.]*\b(?:will not|won't|doesn't|does not|isn't)\b",
        r"\b(?:won't|will not|don't|do not) (?:decide|be rushed|negotiate) (?:against|under|"
        r"to) (?:a|the|your|any) (?:clock|deadline)\b",
        r"\bnot a deadline for\b|\brather than a cliff edge\b|\bisn't ours\b",
    ),
    "threat": (r"\b(?:that|this) (?:sounds|is|reads) like a threat\b", r"\bunder threat\b",
               r"\bthreats? (?:will not|won't|don't|do not)\b"),
    "ultimatum": (r"\bultimatum\b", r"\b'?final (?:text|offer)'?\b[^.]*\b(?:hoped|won't|not)\b"),
    "salami_slicing": (
        r"\bevery (?:figure|step|concession)\b[^.]*\b(?:floor|next)\b",
        r"\bpocketed it and asked for more\b|\bone slice\b|\bsalami\b|\bpiece by piece\b",
    ),
    "linkage": (r"\b(?:you've|you have) (?:connected|linked|tied)\b",
                r"\b(?:separate|unrelated) (?:questions?|issues?|matters?)\b",
                r"\bwon't link\b|\bnot (?:on this table|a condition)\b"),
    "divide_and_rule": (r"\b(?:divide|split) us\b", r"\bco-?signed\b",
                        r"\bno daylight\b|\bnot your negotiating partners\b"),
    "disinformation": (r"\bthat (?:isn't|is not|wasn't) what\b", r"\bnever took place\b",
                       r"\bcorrect the record\b|\bcan't verify\b|\bcannot verify\b",
                       r"\bno such\b"),
    "good_cop_bad_cop": (r"\bkind envoy and the wicked\b|\bgood cop\b",
                         r"\bthe person in (?:the|this) room\b"),
    "fait_accompli": (r"\bno legal effect\b|\bdoes not accept it\b|\bnon-recognition\b",
                      r"\bdon't create\b|\bdo not create\b"),
    "public_pressure": (r"\bnegotiate through the press\b|\bkeep (?:this|the talks) private\b",),
    "inducement": (r"\bon its own merits\b|\bset [\w ]* aside\b|\bisn't for sale\b|"
                   r"\bnot for sale\b",),
    "extreme_anchor": (r"\bnot (?:bargain|negotiate) from\b", r"\bnone of (?:those|these)\b"),
}  # fmt: skip
_NAMED_RE = {k: compile_all(*v) for k, v in _NAMED.items()}

_STEPS = compile_all(
    r"\b(?:verification|verify|verifiable|phased|reversible|reciprocal|pilot|interim|"
    r"observers?|monitoring|hotline|notification|protocol|review|terms of reference|"
    r"mutual(?:ly)?|joint (?:statement|declaration|review|centre|team|log)|process|panel|"
    r"timetable|calendar|draft|without prejudice)\b",
    r"\b(?:propose|suggest)\b|\bhere is a proposal\b|\bwhat (?:i|we) can offer\b",
    r"\bprovided (?:serevan|\w+) does the same\b|\bin return\b|\bif you\b[^.]*\bwe (?:will|'ll)\b",
)
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
    r"\bnone of\b|\bnever\b|\bis no\b|\bare both no\b",
)


def tactics_named(text: str) -> list[str]:
    """Tactic ids the trainee named or neutralised out loud."""
    low = normalise(text).lower()
    return [tactic for tactic, patterns in _NAMED_RE.items() if has_any(low, patterns)]


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
    proposes = bool(has_any(low, _STEPS)) and escalation <= 0
    if proposes:
        out.append(Signal.PROPOSES_STEPS)
    if not conceded and escalation <= 0 and tone >= 4 and has_any(low, _FIRM):
        out.append(Signal.HOLDS_CALMLY)
    if not out and (has_any(low, _STALL) or len(low.split()) < 6):
        out.append(Signal.STALLS)
    if not out:
        out.append(Signal.HOLDS_CALMLY if tone >= 4 else Signal.STALLS)
    return out
