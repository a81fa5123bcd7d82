"""What a simulated trainee reads off the scenario: red lines in its own voice, the items it
may concede, its fallback, and which of the counterpart's demands is being pressed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.domain.persona import Persona
from coach.domain.scenario import Scenario
from coach.engine.safety import content_words

_FRAME = re.compile(r"\b(?:will|shall|does|do|must)\s+(?:not|never)\b|\bwon't\b|\bnever\b", re.I)
_VERB = r"[a-z]+(?: for| to)?"
_VERB_LIST = re.compile(rf"^((?:{_VERB}, )*{_VERB},? or )?({_VERB}) (.+)$")

PARAPHRASE = 0.9
"""Share of a demand's content words a text must contain to count as naming it."""


@dataclass(frozen=True)
class RedLineText:
    """A red line taken apart so templates can restate it, or (for a weak style) give it up."""

    id: str
    holding: str
    """The line in the first person: 'we will not renounce ... our allocation ...'."""
    verbs: tuple[str, ...]
    """The forbidden acts: ('renounce', 'suspend', 'reopen')."""
    object: str
    """What the acts apply to: 'our allocation of 41 billion cubic metres a year ...'."""


def _own_voice(text: str) -> str:
    return re.sub(r"\bits\b", "our", text)


def read_red_line(line_id: str, statement: str) -> RedLineText:
    """Split 'X will not A, B or C the thing' into the holding sentence, acts and object."""
    text = statement.strip().rstrip(".")
    m = _FRAME.search(text)
    vp = text[m.end() :].strip() if m else text
    vp = _own_voice(vp)
    holding = f"we will not {vp}"
    core = re.split(r",? nor |; ", vp)[0]
    parsed = _VERB_LIST.match(core)
    if parsed:
        listed = parsed.group(1) or ""
        verbs = [v for v in re.split(r",? or |, ", listed) if v.strip()] + [parsed.group(2)]
        obj = parsed.group(3)
    else:
        first, _, rest = core.partition(" ")
        verbs, obj = [first], rest
    obj = re.sub(r"^any\b", "a", obj)
    return RedLineText(line_id, holding, tuple(v.strip() for v in verbs), obj)


def _lower_first(text: str) -> str:
    """Lower-case the first letter to fit mid-sentence, unless it opens an acronym (WTO)."""
    text = text.strip().rstrip(".")
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and first.isupper() else text[:1].lower() + text[1:]


def _first_clause(text: str) -> str:
    """Up to the first semicolon, 'and, if' or sentence end; long lists cut at a comma."""
    head = re.split(r";|,? and,? if\b|\. ", text.strip())[0]
    cut = head.find(", ", 30)
    return head[:cut] if cut > 0 else head


@dataclass(frozen=True)
class BriefText:
    """The trainee's brief, in pieces that fit mid-sentence."""

    red_lines: tuple[RedLineText, ...]
    may_concede: tuple[str, ...]
    fallback: str
    """The fallback's first clause."""
    terms: dict[str, str]


def read_brief(scenario: Scenario) -> BriefText:
    """The scenario's brief as template material."""
    fallback = _first_clause(scenario.brief.fallback)
    terms = {
        "trainee_country": "our government",
        "counterpart_country": "your government",
        "trainee_capital": "our capital",
        **scenario.terms,
    }
    return BriefText(
        red_lines=tuple(read_red_line(r.id, r.statement) for r in scenario.red_lines),
        may_concede=tuple(_lower_first(m) for m in scenario.brief.may_concede)
        or ("a joint review of the facts",),
        fallback=_lower_first(fallback),
        terms=terms,
    )


def mentions_demand(text: str, demand: str) -> bool:
    """Whether a text names a demand: verbatim, or (for a close paraphrase) with at least
    PARAPHRASE of its content words and every one of its numbers.

    The bar is high on purpose: a line that talks about a demand's subject ("Decree 114 is now
    law") is not pressing that demand, and a looser match reads such lines as demands.
    """
    if demand.lower() in text.lower():
        return True
    wanted = set(content_words(demand))
    if len(wanted) < 3:
        return False
    said = set(content_words(text))
    numbers = {w for w in wanted if any(c.isdigit() for c in w)}
    return numbers <= said and len(wanted & said) / len(wanted) >= PARAPHRASE


def pressed_demand(persona: Persona, text: str) -> int | None:
    """Index of the furthest of the persona's demands a counterpart turn names, if any.

    Phrasebook lines name `{demand}` and sometimes `{previous_demand}`; the furthest one named
    is the one pressed now.
    """
    found = [i for i, d in enumerate(persona.demands) if mentions_demand(text, d)]
    return max(found) if found else None
