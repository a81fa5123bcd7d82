"""Tag a counterpart turn with the coercive tactics of the labelling guide.

Conventions kept from the guide: `ultimatum` needs explicit finality; a punishment voiced by
a harder-line actor behind the speaker is `good_cop_bad_cop`, not `threat`; a threat to
publish or shame is `public_pressure`; asserting one's own legal position is not
`disinformation` (hearsay about what others said, and misquoting the talks, are).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coach.domain.tactics import TACTIC_IDS
from coach.domain.transcript import Turn
from coach.evaluation.offline.offers import has_acceptance, offer_strength
from coach.evaluation.offline.text import clauses, compile_all, has_any, normalise, sentences

_FINALITY = compile_all(
    r"\bfinal (?:offer|position|text|proposal|word|package|answer|terms)\b",
    r"\btake it or leave it\b|\blast word\b|\bnot open to (?:negotiation|discussion)\b",
    r"\bno deal at all\b|\bonly text i will\b|\bthis is (?:our|my) last\b",
    r"\bor (?:we stop here|the (?:offer|package) (?:lapses|is withdrawn))\b",
    r"\baccept it, or\b|\bno choice\b.*\bor\b",
)
_TIME = (
    r"(?:by|before|until|within|from|on|at) (?:the end of )?(?:(?:mon|tues|wednes|thurs|fri|"
    r"satur|sun)day|midnight|noon|tomorrow|tonight|today|the \d+(?:st|nd|rd|th)|\d{1,2}(?::\d\d)?"
    r"|\d+ (?:hours|days|weeks)|next (?:week|month)|end of)"
)
_DEADLINE = compile_all(
    r"\b(?:sign|answer|decide|decision|movement|text|agreement|signature|letter|need|must|"
    r"settled?|framework|response)\b[^.]*\b" + _TIME,
    _TIME + r"\b[^.]*\b(?:or|otherwise|unless|lapses|expires|gets longer)\b",
    r"\b(?:unless|if there is no|without)\b[^.]*\b" + _TIME,
    r"\b(?:expires?|lapses?|runs out|clock|calendar is not on your side|no later than|"
    r"\d+ days from now|twelve days from now|only until then|think (?:very )?carefully before)\b",
    r"\bsettled today\b|\bmovement today\b|\bbefore (?:my|his|the) [\w ]*(?:conference|"
    r"programme|office|visit)\b",
)
_PUNISH = (
    r"(?:cut|stop|halt|suspend|reconsider|detain|confiscate|expel|close|closes|sink|block|"
    r"board|boarded|sanction|freeze|ban|seize|fall|go to zero|stopped|detained|confiscated|"
    r"expelled|reduced|withdrawn|lose|loses|move .* onto)"
)
_THREAT = compile_all(
    r"\b(?:unless|otherwise|if (?:you|there is no|lunaria|\w+ (?:stays?|will not|refuses?)|"
    r"this (?:continues|fails)|a|it stays|not)|or (?:else|the)|until there is)\b[^.]*\b"
    r"(?:will|shall|would)\b[^.]*\b" + _PUNISH + r"\b",
    r"\b(?:will|shall) (?:be )?" + _PUNISH + r"\b[^.]*\b(?:unless|if|until|without)\b",
    r"\bwill (?:be )?(?:stopped|detained|confiscated|boarded|expelled|sanctioned)\b",
    r"\bor (?:we|i) (?:will |'ll |shall )?" + _PUNISH + r"\b",
    r"\bfall by [\w%]+ every\b|\bthe flows? [\w ]* stop\b|\bflows? at \w+ (?:go to zero|stop)\b",
    r"\bwill be reconsidered\b|\bheating (?:its|their) homes\b",
)
_HARDLINER = compile_all(
    r"\b(?:hold|held|keep|kept) (?:him|them|\w+ \w+) (?:off|back|from)\b",
    r"\brestrain\b|\bi am the moderate\b|\bi do not control\b|\bi cannot control\b",
    r"\b(?:furious|less patient|little patience|impatient|hard-?liners?|wanted to|wants to|"
    r"insists?|will not sign anything)\b",
    r"\bi will not be able to stop\b|\bonly my intervention\b|\bi have argued against\b",
    r"\breads every line\b|\blose (?:that|the) argument\b|\bgets his way\b|\bwarned me\b",
    r"\bi (?:am told|need to bring him)\b|\bi could ask him to hold\b",
)
_PUBLIC = compile_all(
    r"\b(?:press conference|the press|journalists|newspapers|television|interview|cameras|"
    r"the world|headlines|publish|release the record|leak|make public|go public|"
    r"statement .* release|release .* statement|announce that)\b",
)
_INDUCEMENT = compile_all(
    r"\bin return\b|\bin exchange\b|\bfor that\b",
    r"\b(?:discount|gift|loan|scholarships?|subsid\w+|sweetener|bonus|grant|cold[- ]storage|"
    r"processing plant|investment package|package|jobs|runway|credit)\b",
    r"\b(?:most|the only|first) (?:reasonable|sensible)\b|\bwho talks sense\b|"
    r"\bcarry your name\b",
    r"\bwould (?:finance|build|pay|buy|cover|fund)\b|\bwill (?:finance|build|pay|buy|fund|waive|"
    r"let \w+ \w+ through|offer)\b|\bready to (?:build|let|finance|offer|waive)\b",
    r"\bgenerous\b|\bauthorised me to be\b|\bwaive\b",
)
_FAIT = compile_all(
    r"\b(?:as of|since) (?:this morning|today|now|\d)",
    r"\bthis morning\b[^.]*\b(?:declared|began|filed|switched|withdrew|opened|signed|issued)\b",
    r"\b(?:is|are|was) (?:signed|decided|done|final)\b|\bthat is done\b|\bit is done\b",
    r"\balready (?:there|signed|decided|issued|been|begun|escorted)\b|\bhave already\b",
    r"\bnot up for discussion\b|\bnot on today's agenda\b|\bwill not change\b|"
    r"\bis now (?:the situation|a legal fact)\b|\bsimply how\b|\blegal fact\b",
    r"\b(?:has|have) (?:opened|declared|issued|filed|begun|withdrawn)\b",
)
_DIVIDE = compile_all(
    r"\byou are alone\b|\byou're alone\b|\bisolated\b|\bstand (?:behind|next to|with) you\b",
    r"\bwill not (?:fight|send|stand|risk)\b[^.]*\bfor you\b|\bwill not \w+ for you\b",
    r"\byour (?:partners|allies|friends|coalition|opposition|farmers|mayors|union|"
    r"parliament's|own (?:minister|defence|people))\b[^.]*\b(?:will not|won't|would|prefer|"
    r"want|told|depend|do not share|ask)\b",
    r"\bask (?:your|them|the) [\w ]*(?:how long|whether)\b|\bhow long (?:do you think )?they\b",
    r"\bshould be having this conversation with\b|\bmore attached\b|\blet \w+ be the one\b",
    r"\bforget the\b|\bsolidarity is a word\b|\bkeep their [\w ]* for their own\b",
    r"\bdo you (?:really )?(?:believe|think) [\w ]* will (?:risk|vote|stand)\b",
)
_DISINFO = compile_all(
    r"\b(?:told|said to|assured) (?:us|me|our \w+|\w+ television)\b",
    r"\beveryone (?:in \w+ )?knows\b|\bhas shown that\b|\bi have it in my notes\b",
    r"\byou (?:told|said|offered|proposed)\b|\bas you proposed\b|\byou said as much\b",
    r"\b(?:rammed|fabrication|the work of)\b|\bhave been taking money\b",
    r"\bhas been (?:rented|written|compiled)\b|\bwere rented\b|\bwas written by\b",
    r"\b(?:your|the) [\w ]* (?:has|have) already told\b|\balready dead\b",
    r"\bso \w+ accepts\b|\bwhich is simply accurate\b",
)
_LINKAGE = compile_all(
    r"\bbefore we talk about\b|\ba word about\b|\blet me mention something else\b",
    r"\bthere is also the matter of\b|\bi should also mention\b",
    r"\bwould (?:move|be|go) (?:faster|easier|smoother)\b|\bmuch easier\b",
    r"\bsettled together with\b|\bin the same package\b|\bonce the [\w ]* is settled\b",
    r"\bcannot sign [\w ]* while\b|\bif that vote\b|\bwould find [\w ]* less necessary\b",
    r"\bit would be a pity if\b",
)
_ANCHOR = compile_all(
    r"\b(?:our|my) (?:proposal|position|instructions|requirements?|demands?) (?:is|are)\b",
    r"\bwe (?:require|demand|ask only|expect)\b|\bserevan requires\b|\bthe basis\b",
    r"\breturn to our original\b|\bthose (?:three|two|four) points\b|\bhalf of\b|\bhistoric\b",
    r"\b\d{2}%|\bfifteen[- ]year|\bfull (?:public )?retraction\b|\bmillion dollars in\b",
)
_SALAMI = compile_all(
    r"\bone (?:more|small|last) (?:thing|point|item|step)\b|\bone thing more\b",
    r"\ba small (?:step|thing|point)\b|\bonly (?:practical|logistics|that|a technical)\b",
    r"\band since\b|\bsince (?:our|your|we|the)\b[^.]*\bwill\b",
    r"\b(?:also|as well|too|in the same room)\b",
    r"\bnearly there\b|\bwe are (?:moving|making progress|getting somewhere|close)\b",
    r"\bis a beginning\b|\bthen add\b|\bthen let us make\b|\btwo points remain\b",
)
_AFFIRM_START = re.compile(
    r"^(?:good|excellent|fine|now you are|'[^']+'|[\w ,]{0,40}(?:\bgood|\bis a beginning))\b",
    re.IGNORECASE,
)


def _trainee_conceded(history: Sequence[Turn]) -> bool:
    """Whether the trainee's last turn offered or accepted something."""
    last = next((t.text for t in reversed(history) if t.speaker == "trainee"), "")
    for sentence in sentences(last):
        for clause in clauses(sentence):
            if offer_strength(clause, sentence) > 0 or has_acceptance(clause):
                return True
    return False


def tag_tactics(text: str, history: Sequence[Turn] = ()) -> list[str]:
    """Tactic ids applied in a counterpart turn, in the guide's order."""
    t = normalise(text)
    low = t.lower()
    first_turn = not any(h.speaker == "counterpart" for h in history)
    found: set[str] = set()
    hardliner = bool(has_any(low, _HARDLINER))
    if has_any(low, _FINALITY):
        found.add("ultimatum")
    if has_any(low, _DEADLINE):
        found.add("deadline_pressure")
    if hardliner:
        found.add("good_cop_bad_cop")
    if has_any(low, _THREAT) and not hardliner:
        found.add("threat")
    if has_any(low, _PUBLIC):
        found.add("public_pressure")
    if has_any(low, _INDUCEMENT):
        found.add("inducement")
    if has_any(low, _FAIT):
        found.add("fait_accompli")
    if has_any(low, _DIVIDE):
        found.add("divide_and_rule")
    if has_any(low, _DISINFO):
        found.add("disinformation")
    if has_any(low, _LINKAGE):
        found.add("linkage")
    if (first_turn and has_any(low, _ANCHOR)) or re.search(r"\breturn to our original\b", low):
        found.add("extreme_anchor")
    if not first_turn and (
        (_AFFIRM_START.search(t.strip()) or _trainee_conceded(history)) and has_any(low, _SALAMI)
    ):
        found.add("salami_slicing")
    return [tactic for tactic in TACTIC_IDS if tactic in found]
