"""Red-line breaches: does a trainee turn offer, accept or signal willingness to cross a line?

A red line arrives as one sentence ("X will not accept Y"). Its object Y is compiled into
*acts* (what is forbidden: inspect, withdraw, suspend, share ...) and *anchors* (what it is
about: a consulate, a court case, an operator), each word mapped through the general lexicon
and weighted by how specific it is to that line among the scenario's lines. A turn breaches a
line when a clause that offers or accepts (see `offers`) performs the line's act on its anchor,
or on what the counterpart just demanded; when a bare acceptance answers such a demand; or when
a quantity offered crosses the line's numeric limit ("more than 20%", "longer than five years",
"beyond 31 December 2030"), even named alone as a counter-offer ("Sixty kilometres, then").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from coach.domain.transcript import ScenarioSummary, Turn
from coach.evaluation.offline.lexicon import ACTS, AGENT_ACTS, CONCEPT_OF, FRAME_WORDS
from coach.evaluation.offline.numbers import (
    Limit,
    Quantity,
    dates,
    numbers_named,
    parse_limit,
    quantities,
    with_implied_units,
)
from coach.evaluation.offline.offers import (
    has_acceptance,
    is_bare_acceptance,
    is_question,
    offer_strength,
    refuses,
)
from coach.evaluation.offline.text import (
    NEGATORS,
    STOPWORDS,
    clauses,
    compile_all,
    has_any,
    negated_mask,
    normalise,
    sentences,
    stem,
    words,
)

_FRAME = re.compile(
    r"\b(?:will|shall|does|do|must|may|can)\s*(?:not|n't|never)\b|\bwon't\b|\brefuses? to\b|"
    r"\bnever\b",
    re.IGNORECASE,
)
# Time qualifiers and numeric limits say when or how much, not what: they are not the topic.
_QUALIFIER = re.compile(
    r"\b(?:before|until|while|during|unless)\b[^,;.]*|"
    r"\b(?:more|longer|greater|less|fewer|shorter) than [^,;.]*|\b(?:beyond|exceeding) [^,;.]*",
    re.IGNORECASE,
)
_OWN = frozenset({"our", "my", "own", "ours"})
# "a schedule that lacks binding releases", "access without a warrant": the requirement.
_SAFEGUARD = re.compile(
    r"\b(?:that|which) (?:lacks?|omits?|excludes?)\b([^.;]*)|\b(?:lacking|without|unless)\b"
    r"([^.;]*)",
    re.IGNORECASE,
)
_DROPPING = frozenset({"without", "drop", "dropping", "waive", "waiving", "minus", "lacking"})
_THIRD_PARTY = re.compile(
    r"\b(?:neutral|independent|impartial|third[- ]party|international observers?)\b", re.IGNORECASE
)
_OWN_COMMAND = re.compile(r"\bunder (?:our|\w+an) (?:command|control|flag|authority)\b", re.I)


# Phrasal verbs whose particle comes after the object ("push the hearing back", "walk them
# through"): rewritten to a one-word verb of the lexicon so the object keeps its place.
_PHRASAL = tuple(
    (re.compile(pattern, re.I), verb)
    for pattern, verb in (
        (r"\b(?:push|pushed|pushing|move|moved|put|set) ((?:\w+ ){1,3})(?:back|later|off)\b",
         r"postpone \1"),
        (r"\b(?:put|putting|place|placed) ((?:\w+ ){1,3})on hold\b", r"suspend \1"),
        (r"\b(?:walk|walked|take|took|talk|talked|run|ran) ((?:\w+ ){1,3})through\b",
         r"brief \1"),
        (r"\b(?:hand|handed|turn|turned|give|gave) ((?:\w+ ){1,3})over\b", r"hand over \1"),
        (r"\b(?:take|took|taking) ((?:\w+ ){1,3})back\b", r"retract \1"),
        (r"\b(?:pull|pulled|pulling) ((?:\w+ ){1,3})out\b", r"withdraw \1"),
        (r"\b(?:give|gave|giving) ((?:\w+ ){1,3})up\b", r"give up \1"),
        # "how the attack was traced", "how we found it": the method, not the finding
        (r"\bhow (?:(?:they|we|our|your|the|it|this|that|was|were|is|are|did|had|have|been|"
         r"\w+s)\s+){1,4}(?=\w+ed\b)", "methods "),
    )
)  # fmt: skip
# Apologising for one's own words is not retracting a position.
_OWN_WORDS = re.compile(
    r"\b(?:withdraw|retract|take back)\w* (?:what i (?:said|called)|my (?:remark|words|comment)|"
    r"(?:that|the) (?:remark|comment|word))\b",
    re.I,
)


def _rewrite(text: str) -> str:
    text = _OWN_WORDS.sub("apologise", text)
    for pattern, verb in _PHRASAL:
        text = pattern.sub(verb, text)
    return text


ANCHOR_ONLY_MASS = 1.5


@dataclass(frozen=True)
class Mention:
    """A concept in a text: whether it is negated, and whether it is the speaker's own."""

    concept: str
    negated: bool
    own: bool


def concepts(text: str) -> list[Mention]:
    """The concepts of a text, with negation scope and ownership ('our coast guard')."""
    tokens = words(_rewrite(text))
    neg = negated_mask(tokens)
    stems = [stem(t) for t in tokens]
    third = bool(_THIRD_PARTY.search(text) or _OWN_COMMAND.search(text))
    out: list[Mention] = []
    i = 0
    while i < len(tokens):
        own = third or any(t in _OWN for t in tokens[max(0, i - 3) : i])
        for size in (3, 2):
            key = " ".join(stems[i : i + size])
            if i + size <= len(tokens) and key in CONCEPT_OF:
                out.append(Mention(CONCEPT_OF[key], neg[i], own))
                i += size
                break
        else:
            tok = tokens[i]
            if tok not in STOPWORDS and tok not in NEGATORS and not tok.isdigit() and len(tok) > 2:
                out.append(Mention(CONCEPT_OF.get(stems[i], stems[i]), neg[i], own))
            i += 1
    return out


@dataclass
class RedLineProfile:
    """A red line compiled for matching."""

    id: str
    statement: str
    acts: dict[str, float] = field(default_factory=dict)
    anchors: dict[str, float] = field(default_factory=dict)
    limit: Limit | None = None
    safeguards: frozenset[str] = frozenset()
    """Stems of what the line requires ("a schedule that lacks binding releases"): an offer
    that keeps them keeps the line."""
    takes_away: bool = False
    """Breaking the line is itself a taking-away ("will not withdraw its complaint")."""

    def restated_in(self, sentence: str) -> bool:
        """Whether the sentence restates the line: a negation and most of its words."""
        tokens = words(sentence)
        if not any(t in NEGATORS or t.endswith("n't") for t in tokens):
            return False
        line = {stem(w) for w in words(self.statement) if w not in STOPWORDS}
        said = {stem(w) for w in tokens}
        return bool(line) and len(line & said) / len(line) >= 0.6

    def keeps_safeguard(self, sentence: str) -> bool:
        """Whether the sentence names one of the line's safeguards outside a negation."""
        if not self.safeguards:
            return False
        tokens = words(sentence)
        negated = negated_mask(tokens)
        return any(
            stem(tok) in self.safeguards and not negated[i] and tokens[i - 1] not in _DROPPING
            for i, tok in enumerate(tokens)
            if i > 0
        )

    def act_hit(self, bag: Sequence[Mention], speaker_is_trainee: bool = True) -> float:
        """Weight of the line's most specific act performed (not negated) in the text."""
        hits = [
            self.acts[m.concept]
            for m in bag
            if m.concept in self.acts
            and not m.negated
            and not (speaker_is_trainee and m.own and m.concept in AGENT_ACTS)
        ]
        return max(hits, default=0.0)

    def anchor_mass(self, bag: Sequence[Mention]) -> float:
        """Summed weight of the line's anchors named (not negated) in the text."""
        seen = {m.concept for m in bag if not m.negated}
        return sum(w for c, w in self.anchors.items() if c in seen)


def _party_stems(scenario: ScenarioSummary) -> set[str]:
    """Stems naming the parties (their countries, roles): present everywhere, so weak."""
    text = " ".join([scenario.trainee_role, scenario.counterpart_role])
    for line in scenario.red_lines:
        m = _FRAME.search(line.statement)
        if m:
            text += " " + line.statement[: m.start()]
    return {stem(w) for w in words(text) if w not in STOPWORDS}


# "the stock-sharing pact", "a co-licensing role": the compound names a thing, so its verb
# is an anchor of the line, not an act (else "Let me share ..." would press the pact).
_NAMING_COMPOUND = re.compile(r"\b[A-Za-z]+-[A-Za-z]+ing\b")


def compile_red_lines(scenario: ScenarioSummary) -> list[RedLineProfile]:
    """Profiles of the scenario's red lines: acts, anchors and numeric limits."""
    parties = _party_stems(scenario)
    frame = FRAME_WORDS | {stem(w) for w in FRAME_WORDS}
    bags: list[set[str]] = []
    named: list[set[str]] = []
    for line in scenario.red_lines:
        m = _FRAME.search(line.statement)
        obj = _QUALIFIER.sub(" ", line.statement[m.end() :] if m else line.statement)
        bags.append({c.concept for c in concepts(obj) if c.concept not in frame})
        named.append({c.concept for k in _NAMING_COMPOUND.findall(obj) for c in concepts(k)})
    spread = Counter(c for bag in bags for c in bag)
    profiles = []
    for line, bag, names in zip(scenario.red_lines, bags, named, strict=True):
        acts = {c: 1.0 / spread[c] for c in bag if c in ACTS and c not in names}
        anchors = {
            c: (0.25 if c in parties else 1.0) / spread[c]
            for c in bag
            if c not in ACTS or c in names
        }
        limit = parse_limit(line.statement, scenario.context)
        guard = _SAFEGUARD.search(line.statement)
        safeguards = (
            frozenset(
                stem(w)
                for w in words((guard.group(1) or guard.group(2)) if guard else "")
                if w not in STOPWORDS and w not in NEGATORS and len(w) > 3
            )
            - parties
        )
        takes_away = bool(_PRIVATIVE.search(_content_of(line.statement)))
        profiles.append(
            RedLineProfile(line.id, line.statement, acts, anchors, limit, safeguards, takes_away)
        )
    return profiles


@dataclass(frozen=True)
class Breach:
    """A red line given up in a turn, with the sentence that gave it up."""

    red_line: str
    evidence: str


def _comparable(profile: RedLineProfile, text: str, reference: str) -> list[Quantity]:
    """The quantities of the text that can be read against the line's limit (years for a
    date limit; units implied from the reference or the limit's size)."""
    limit = profile.limit
    if limit is None:
        return []
    if limit.unit == "date":
        return dates(text)
    expected = (Quantity(limit.value, limit.unit, -1),)
    units = limit.units()
    return [q for q in with_implied_units(text, reference, expected) if q.unit in units]


def crossing_amounts(profile: RedLineProfile, text: str, reference: str = "") -> list[Quantity]:
    """The quantities of the text that cross the line's limit."""
    limit = profile.limit
    return [q for q in _comparable(profile, text, reference) if limit and limit.crossed_by(q)]


def numeric_verdict(profile: RedLineProfile, text: str, reference: str = "") -> bool | None:
    """True if the text names a quantity across the line's limit, False if every quantity in
    the limit's units stays inside it, None when no comparable quantity is named."""
    comparable = _comparable(profile, text, reference)
    if profile.limit is None or not comparable:
        return None
    if any(profile.limit.crossed_by(q) for q in comparable):
        return True
    # A year named is as often a reference ("a 2030 lease", "from 2029, eight years") as
    # the end offered: only a year across the limit says anything.
    return None if profile.limit.unit == "date" else False


SHORT_REPLY_WORDS = 12


def demand_within_limit(profile: RedLineProfile, reply: str, demand: str) -> bool:
    """True when a short reply names no amount for the line and the demand it answers names
    amounts for the line that all stay inside the limit ("EUR 9.10 from day one." against
    "nothing below EUR 9.10"): agreeing to it keeps the line."""
    if len(reply.split()) > SHORT_REPLY_WORDS or not demand:
        return False
    if numeric_verdict(profile, reply, demand) is not None:
        return False
    return numeric_verdict(profile, demand) is False


def demanded_lines(profiles: Sequence[RedLineProfile], text: str) -> list[RedLineProfile]:
    """Red lines a counterpart turn presses for: their act named, on their anchor or alone
    when the act belongs to that line only; for numeric lines, a quantity across the limit."""
    bag = concepts(text)
    out = []
    for p in profiles:
        verdict = numeric_verdict(p, text)
        if verdict is False:
            continue
        act = p.act_hit(bag, speaker_is_trainee=False)
        pressed = verdict or (act > 0 and (p.anchor_mass(bag) >= 0.5 or act >= 1.0))
        if pressed and not lets_go(p, text):  # "... and the patrol boats stay out"
            out.append(p)
    return out


def _clause_breaches(
    profiles: Sequence[RedLineProfile],
    clause: str,
    sentence: str,
    demanded: Sequence[RedLineProfile],
    previous: str,
) -> list[RedLineProfile]:
    clause_bag, sentence_bag = concepts(clause), concepts(sentence)
    out = []
    for p in profiles:
        verdict = numeric_verdict(p, clause, previous)
        if verdict is False:
            continue
        act = p.act_hit(clause_bag)
        anchored = p.anchor_mass(sentence_bag) >= 1.0 or p in demanded
        # a date line with no year named is read by its act, like a line with no limit
        if p.limit is not None and (verdict or p.limit.unit != "date"):
            topical = act > 0 or p.anchor_mass(sentence_bag) > 0 or p in demanded
            if (verdict and topical) or (
                verdict is None and act > 0 and p in demanded and anchored
            ):
                out.append(p)
        elif act > 0 and anchored:
            out.append(p)
        elif not p.acts and p.anchor_mass(clause_bag) >= ANCHOR_ONLY_MASS:
            # A line whose forbidden act the lexicon does not know: its specific objects,
            # several of them, named in an offer.
            out.append(p)
    return out


# What may come before an amount proposed on its own: "Maybe 20,000", "Could you do two?"
_PROPOSAL_LEAD = re.compile(
    r"^\W*(?:(?:maybe|perhaps|say|let's say|then|so|ok|okay|well|and|but|or|just|make it|"
    r"how about|what about|(?:could|can|would|will) you (?:do|go to|take|accept|manage)|"
    r"the|a|an|at|to|up to)\W+)*",
    re.I,
)


# The counterpart's amount taken: "Six months, then." (not "Sixty days, then we walk.")
_TAKEN_THEN = re.compile(
    r"^[\w.,€$£%-]+(?:\s+[a-z]+){0,2},?\s+then\b(?!\s+(?:we|i|you|they)\b)", re.I
)


def _unitless(text: str) -> list[Quantity]:
    return [Quantity(v, "", -1) for v in numbers_named(text)]


def _same_amount(heard: Quantity, said: Quantity) -> bool:
    """Whether an amount said is one heard (a bare "three and a quarter" is also 3.25
    million when millions are being discussed)."""
    if said.unit == "date":
        return heard.unit == "date" and int(heard.value) == int(said.value)
    if heard.unit == "date":
        return False
    scales = (1.0,) if heard.unit else (1.0, 1e3, 1e6, 1e9)
    return any(abs(heard.value * k - said.value) <= 1e-3 * abs(said.value) for k in scales)


def _counter_proposal(
    profile: RedLineProfile,
    clause: str,
    sentence: str,
    previous: str,
    heard: Sequence[Quantity],
    pressed: bool,
) -> bool:
    """Whether a clause without offer grammar names an amount of its own across the line
    ("Sixty kilometres, and I'm a fool for saying it.", "Maybe 20,000 in 2027."): an amount
    the counterpart never named (an echo is usually a rejection: "Forty-five is robbery"),
    leading its clause (so neither negated, "not 400 million", nor describing, "rerouting
    adds 380 km"), in a sentence that does not refuse, on the line's topic (its unit named,
    or the line pressed or named)."""
    if refuses(sentence):
        return False
    if is_question(sentence) and len(words(sentence)) > 8:
        return False
    lead = _PROPOSAL_LEAD.match(normalise(clause))
    at = max(0, normalise(sentence).find(normalise(clause)))
    for q in crossing_amounts(profile, clause, previous):
        taken = _TAKEN_THEN.match(normalise(sentence)[at + q.start :])
        if any(_same_amount(h, q) for h in heard) and not taken:
            continue
        if q.start > (lead.end() if lead else 0):
            continue  # an amount inside a sentence describes ("adds 380 km"), not proposes
        explicit = any(e.start == q.start for e in quantities(clause)) or q.unit == "date"
        named = profile.anchor_mass(concepts(sentence)) >= 0.5
        if explicit or pressed or named:
            return True
    return False


def numeric_breaches(
    profiles: Sequence[RedLineProfile], breaches: Sequence[Breach], previous: str = ""
) -> list[str]:
    """Ids of the breaches whose evidence names an amount across the line's limit."""
    by_id = {p.id: p for p in profiles}
    return [
        b.red_line
        for b in breaches
        if b.red_line in by_id
        and any(
            not _DISMISSED.match(normalise(b.evidence)[q.start :])
            and not _IF_BEFORE.search(normalise(b.evidence)[: q.start])
            for q in crossing_amounts(by_id[b.red_line], b.evidence, previous)
        )
    ]


# An amount named to be dismissed ("$0.95 does not cover our costs", "54 is below what we
# can sign") or as someone else's condition ("if they come in under €2,000").
_DISMISSED = re.compile(
    r"^\S+(?:\s+\S+){0,2}?\s+(?:is not|isn't|does not|doesn't|will not|won't|cannot|can't|"
    r"is below|is above|is too|never)\b",
    re.I,
)
_IF_BEFORE = re.compile(r"\b(?:if|unless|when)\b[^,;:]*$", re.I)


_CONDITION = re.compile(r"\b(?:if|unless|provided|as long as|so long as)\b", re.I)


# A first-person refusal to take something away: it keeps a line that forbids taking it.
_WONT_TAKE_AWAY = re.compile(
    r"\b(?:i|we)\s+(?:won't|will not|shall not|will never|cannot|can't|am not going to|"
    r"are not going to|refuse to)\s+(?:\w+\s+){0,2}?(?:stop|cut|suspend|end|withdraw|close|"
    r"cancel|halt|drop|lift|restrict|ban|remove|give up|abandon|revoke|deport|expel|dismiss|"
    r"shut|deny|withhold|freeze|switch off)",
    re.IGNORECASE,
)


def _named(profiles: Sequence[RedLineProfile], text: str) -> set[str]:
    bag = {m.concept for m in concepts(text)}
    return {
        p.id
        for p in profiles
        if sum(w for c, w in {**p.anchors, **p.acts}.items() if c in bag) >= 1.0
    }


def held_lines(profiles: Sequence[RedLineProfile], text: str) -> list[str]:
    """Ids of the red lines a refusing sentence or clause of the text speaks of ("The audit
    findings stay.", "Fine, but no audit."), unless an offer speaks of them too: the turn holds
    these lines."""
    held: set[str] = set()
    offered: set[str] = set()
    for sentence in sentences(text):
        parts = clauses(sentence)
        if not any(offer_strength(c, sentence) > 0 for c in parts):
            if refuses(sentence):
                held |= _named(profiles, sentence)
            elif _WONT_TAKE_AWAY.search(sentence):  # "We won't stop the medicines."
                held |= _named([p for p in profiles if p.takes_away], sentence)
            continue
        # In an offering sentence a refusing clause still holds its line ("Fine, but no X").
        for clause in parts:
            if (
                refuses(clause)
                and offer_strength(clause, sentence) == 0
                and not _CONDITION.search(clause)  # "... if the four stay" sets a price
            ):
                held |= _named(profiles, clause)
            else:
                offered |= _named(profiles, clause)
    return [p.id for p in profiles if p.id in held - offered]


def find_breaches(
    scenario: ScenarioSummary,
    text: str,
    history: Sequence[Turn],
    profiles: Sequence[RedLineProfile] | None = None,
) -> list[Breach]:
    """Red lines the trainee's turn gives up, in the scenario's order."""
    profiles = list(profiles) if profiles is not None else compile_red_lines(scenario)
    counterpart = [t.text for t in history if t.speaker == "counterpart"]
    previous = counterpart[-1] if counterpart else ""
    last = demanded_lines(profiles, previous) if previous else []
    recent = list(last)
    for earlier in counterpart[-2:-1]:
        recent += [p for p in demanded_lines(profiles, earlier) if p not in recent]
    numeric = [p for p in profiles if p.limit is not None]
    heard = [
        q
        for said in ([*counterpart, scenario.context] if numeric else [])
        for q in [*quantities(said), *_unitless(said), *dates(said)]
    ]
    found: dict[str, str] = {}
    for sentence in sentences(text):
        for clause in clauses(sentence):
            if offer_strength(clause, sentence) == 0:
                for p in numeric:
                    if _counter_proposal(p, clause, sentence, previous, heard, p in recent):
                        found.setdefault(p.id, sentence)
                continue
            hits = [
                p
                for p in _clause_breaches(profiles, clause, sentence, recent, previous)
                if not p.keeps_safeguard(sentence) and not p.restated_in(sentence)
            ]
            for p in hits:
                found.setdefault(p.id, sentence)
            own_topic = any(
                p.act_hit(concepts(clause)) or p.anchor_mass(concepts(clause)) >= 1.0
                for p in profiles
            )
            short = len(words(clause)) <= 6
            if not hits and not own_topic and last and short and has_acceptance(clause):
                for p in last:
                    found.setdefault(p.id, sentence)
    if not found and last and is_bare_acceptance(text):
        first = sentences(text)[0] if sentences(text) else text
        for p in last:
            found[p.id] = first
    order = [p.id for p in profiles]
    return [Breach(rid, found[rid]) for rid in order if rid in found]


# A counterpart letting an item of its package go: "no <item>", "<item> out", "<item> set
# aside", "we come back to <item> next year". Agreeing to such a package keeps that line.
_DROPPED = compile_all(
    r"^(?:and |but |so:? )?(?:no|without|minus)\b",
    r"\b(?:out|aside|dropped|withdrawn|shelved|struck|deleted|removed|gone)[.!]?$",
    r"\b(?:set|put|left|leave|leaving|lay|laid) (?:\w+ )?aside\b",
    r"\b(?:drop|drops|dropping|forget|forgo|waive|waived|scrap|scrapped)\b",
    r"\b(?:return|come back|get back|revert) to\b.*\b(?:later|spring|summer|autumn|winter|"
    r"next (?:year|month|round|session)|another (?:day|time))\b",
    r"\b(?:stays?|remains?|kept|keeps?) on (?:my|our|your|their|its|his|her) (?:own )?side\b",
)


# Lines whose breach is itself a taking-away ("will not withdraw its complaint", "will not
# suspend the ferry licences"): there "no complaint" is the demand, not an item dropped.
_PRIVATIVE = re.compile(
    r"\b(?:restrict|ban|bar|deny|denie|waive|suspend|withh[oe]ld|stop|halt|close|cancel|end|"
    r"prevent|limit|cut|reduc|freez|shut|drop|remov|withdr[ae]w|give up|abandon|revok|"
    r"strip|exclude|expel|deport|dissolve|disband|dismiss|curtail|lift|abolish)\w*",
    re.IGNORECASE,
)


def _names_line(profile: RedLineProfile, clause: str) -> bool:
    return bool(_named([profile], clause)) or numeric_verdict(profile, clause) is not None


def demand_drops_line(profile: RedLineProfile, reply: str, demand: str) -> bool:
    """True when a short reply that does not speak of the line itself answers a demand whose
    every mention of the line lets it go ("A fifth of the quota, the records to us, and the
    patrol boats stay out." - "Done." keeps the line on patrol boats)."""
    if len(reply.split()) > SHORT_REPLY_WORDS or not demand:
        return False
    if any(_names_line(profile, c) for s in sentences(reply) for c in clauses(s)):
        return False
    return lets_go(profile, demand)


# A demand that closes a whole package ("Then I shall send the text", "Sign tonight", "So:
# ..."), as against one item put on the table ("One detail: the generators go too").
_CLOSING = re.compile(
    r"\b(?:text|sign|signs|signed|signing|signature|draft|drafted|minutes|paper|communiqu\w*|"
    r"shake|deal|agreement|summary|summari[sz]e|final shape)\b|\bso:",
    re.I,
)


def answers_other_item(profile: RedLineProfile, reply: str, demand: str) -> bool:
    """True when a short reply says yes to one item of a demand that is not a whole package
    (no list of three items or more, no closing of the text) and neither the reply nor the
    demand speaks of the line: agreeing to that item does not give up the line again
    ("Good. One detail: the generators go too." - "Fine, the generators go.")."""
    if len(reply.split()) > SHORT_REPLY_WORDS or not demand:
        return False
    asked = [_items(s) for s in sentences(demand)]
    said = [c for s in sentences(reply) for c in _items(s)] + [c for items in asked for c in items]
    if any(_names_line(profile, c) for c in said):
        return False
    package = max((len(items) for items in asked), default=0) >= 3
    return not package and not _CLOSING.search(demand)


def lets_go(profile: RedLineProfile, demand: str) -> bool:
    """Whether every item of a counterpart's demand that speaks of the line lets it go
    ("the patrol boats out", "no records", "the quota we come back to next year")."""
    if profile.takes_away:
        return False
    mentions = [c for s in sentences(demand) for c in _items(s) if _names_line(profile, c)]
    return bool(mentions) and all(
        (refuses(c) or has_any(normalise(c).strip(), _DROPPED))
        and numeric_verdict(profile, c) is not True
        for c in mentions
    )


def _items(sentence: str) -> list[str]:
    """A package's items: a sentence cut at clauses, commas and 'and'."""
    return [
        p.strip()
        for c in clauses(sentence)
        for p in re.split(r",\s*|;\s*|\s+and\s+", c)
        if p.strip()
    ]


def _content_of(statement: str) -> str:
    """What a line forbids: the words after its frame ("will not")."""
    m = _FRAME.search(statement)
    return statement[m.end() :] if m else statement


__all__ = [
    "Breach",
    "RedLineProfile",
    "answers_other_item",
    "compile_red_lines",
    "demand_drops_line",
    "demand_within_limit",
    "demanded_lines",
    "find_breaches",
    "held_lines",
    "lets_go",
    "numeric_breaches",
]
