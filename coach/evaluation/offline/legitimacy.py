"""Coalitions, legitimacy and international law, read over a whole session.

A session criterion: what counts is whether the trainee draws on partners, the forum and the
law at several points, not any single turn. Three kinds of appeal are read in the trainee's
turns (the law and treaties; an institution or forum; partners and allies), and disowning any
of them ("forget the treaty", "the Commission is irrelevant") caps the score at 1, the
descriptor's "concedes that the law or the forum does not matter".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from coach.evaluation.offline.text import compile_all, has_any, normalise, sentences

LAW = compile_all(
    r"\binternational law\b|\b(?:the )?law of the sea\b|\bunder (?:the )?(?:law|treaty|"
    r"convention|charter|agreement|protocol)\b",
    r"\b(?:treaty|treaties|convention|charter|covenant|protocol)\b",
    r"\barticle \d+\b|\bclause \d+\b",
    r"\b(?:legal|legally|lawful|unlawful|illegal|binding) (?:obligation|right|duty|basis|"
    r"framework|commitment|ruling)s?\b|\bour obligations\b",
    r"\b(?:sovereign|sovereignty|territorial integrity|due process|rule of law|"
    r"humanitarian law|human rights)\b",
)
FORUM = compile_all(
    r"\b(?:the|its|our) (?:\w+ ){0,2}(?:commission|council|tribunal|court|panel|committee|"
    r"assembly|secretariat|ombudsman)\b",
    r"\b(?:arbitration|arbitrator|mediation|mediator|ombudsman|independent observers?|"
    r"international observers?|inspectors? from)\b",
    r"\b(?:the|a) (?:red cross|united nations|world bank|security council|general assembly)\b",
    r"\b(?:multilateral|the forum|the agreed forum|the proper forum)\b",
)
# Institutions by their acronyms, read with their case ("WHO", not "who").
ACRONYMS = re.compile(
    r"\b(?:UN|EU|WTO|IMF|IAEA|WHO|OSCE|ICJ|ICC|NATO|AU|ASEAN|ILO|ICAO|IMO|UNHCR|ICRC|OAS)\b"
)
PARTNERS = compile_all(
    r"\b(?:our|the other|its|my) (?:\w+ )?(?:partners|allies|neighbours|neighbors|"
    r"co-signatories|riparians|member states|coalition)\b",
    r"\b(?:consult|inform|brief|coordinate with|speak to|speak with) (?:\w+ ){0,2}"
    r"(?:partners|allies|capitals|neighbours|neighbors|members|the others)\b",
    r"\b(?:jointly|together) with\b|\ba joint (?:statement|position|declaration)\b",
    r"\b(?:coalition|alliance|solidarity)\b",
)
DISOWN = compile_all(
    r"\b(?:forget|ignore|never mind|set aside|drop|leave aside|leave out) (?:about )?"
    r"(?:the |our )?(?:treaty|law|court|commission|council|tribunal|partners|allies|"
    r"international law|rules)\b",
    r"\b(?:treaty|law|court|commission|council|partners|allies|rules) (?:is|are|does not|"
    r"doesn't|do not|don't) (?:irrelevant|not matter|matter|count|bind us)\b",
    r"\bwe (?:don't|do not) need (?:our |the )?(?:partners|allies|the commission|the court)\b",
)
KINDS = {"law": LAW, "forum": FORUM, "partners": PARTNERS}


@dataclass(frozen=True)
class LegitimacyRead:
    """The session's score on the measure, why, and the sentences that earned it."""

    score: int
    reason: str
    quotes: list[str]


def _appeals(sentence: str, low: str) -> set[str]:
    """Kinds of appeal in a sentence (`low`: the sentence normalised, in lower case)."""
    found = {kind for kind, patterns in KINDS.items() if has_any(low, patterns)}
    return found | ({"forum"} if ACRONYMS.search(sentence) else set())


def read_legitimacy(trainee_turns: Sequence[str]) -> LegitimacyRead:
    """Score 1-5: 2 with no appeal at all, 3 for one turn, 4 for two turns or more, 5 for
    three turns or more that use two kinds of appeal; 1 when a turn disowns the law, the
    forum or the partners."""
    turns_with: list[set[str]] = []
    quotes: list[str] = []
    for text in trainee_turns:
        kinds: set[str] = set()
        for sentence in sentences(text) or [text]:
            low = normalise(sentence).lower()
            if has_any(low, DISOWN):
                return LegitimacyRead(
                    1, "disowns the law, the forum or the partners", [sentence.strip()]
                )
            found = _appeals(sentence, low)
            if found and len(quotes) < 3 and not (found <= kinds):
                quotes.append(sentence.strip())
            kinds |= found
        if kinds:
            turns_with.append(kinds)
    used = set().union(*turns_with)
    n = len(turns_with)
    if n == 0:
        return LegitimacyRead(2, "never draws on partners, the forum or the law", [])
    named = ", ".join(sorted(used))
    if n >= 3 and len(used) >= 2:
        return LegitimacyRead(5, f"builds on {named} in {n} turns", quotes)
    if n >= 2:
        return LegitimacyRead(4, f"draws on {named} in {n} turns", quotes)
    return LegitimacyRead(3, f"refers to {named} once", quotes)
