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

_NUMBER_WORD = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|forty-eight|seventy-two|a few|several)"
)
_FINALITY = compile_all(
    r"\bfinal (?:offer|position|text|proposal|word|package|answer|terms|version|draft)\b",
    r"\btake it or leave it\b|\blast word\b|\bnot open to (?:negotiation|discussion|debate)\b",
    r"\bnon-?negotiable\b|\bnot (?:up for|subject to) (?:negotiation|renegotiation)\b",
    r"\b(?:or )?no deal at all\b|\bthis is (?:our|my) last\b|\blast chance\b",
    r"\b(?:the )?only (?:text|offer|terms|version|deal|draft|proposal) (?:i|we) (?:will|can|"
    r"shall|am|are)\b",
    r"\bthere will be no (?:further|other|second|better|new) (?:offer|text|proposal|round)\b",
    r"\bor (?:we stop here|the (?:offer|package|proposal|deal) (?:lapses|expires|is withdrawn|"
    r"is off the table)|there is no deal|we walk away)\b",
    r"\baccept (?:it|this|them|these terms),? or\b|\byes or no\b",
    r"\byou have (?:no|two) (?:choice|options)\b",
)
_TIME = (
    r"(?:by|before|until|within|from|on|at) (?:the end of )?(?:(?:mon|tues|wednes|thurs|fri|"
    r"satur|sun)day|midnight|noon|tomorrow|tonight|today|the \d+(?:st|nd|rd|th)|\d{1,2}(?::\d\d)?"
    r"|" + _NUMBER_WORD + r" (?:hours|days|weeks)|next (?:week|month)|end of)"
)
_DEADLINE = compile_all(
    r"\b(?:sign|answer|decide|decision|movement|text|agreement|signature|letter|need|must|"
    r"settled?|framework|response)\b[^.]*\b" + _TIME,
    _TIME + r"\b[^.]*\b(?:or|otherwise|unless|lapses|expires|gets longer)\b",
    r"\b(?:unless|if there is no|without)\b[^.]*\b" + _TIME,
    r"\b(?:expires?|lapses?|runs out|clock|no later than|deadline|countdown)\b",
    r"\b(?:time|the calendar|the clock) is (?:not on your side|running out|short|against you)\b",
    r"\b" + _NUMBER_WORD + r" (?:hours|days|weeks) from now\b|\bthe window (?:is )?clos\w+\b",
    r"\b(?:only|valid|stands|open|on the table) (?:until|till)\b",
    r"\b(?:today|tonight|this week|now)\b[^.]*\b(?:or|otherwise|unless)\b[^.]*\b(?:will|lapses|"
    r"expires|gone)\b",
    r"\b(?:an answer|a decision|movement|your signature|a reply) (?:today|tonight|now|this week)\b",
    r"\bbefore (?:the|my|his|her|our|your) (?:\w+ ){0,3}(?:summit|conference|vote|session|"
    r"visit|election|winter|harvest|council)\b",
)
_PUNISH = (
    r"(?:cut|cuts|stop|halt|suspend|reconsider|detain|confiscate|expel|close|closes|sink|block|"
    r"board|boarded|sanction|sanctions|freeze|ban|seize|fall|go to zero|stopped|detained|"
    r"confiscated|expelled|reduced|withdrawn|lose|loses|impose|imposed|embargo|blockade|"
    r"tariffs?|penalt\w+|consequences|pay (?:a|the) price|regret|cost you|shut|shut off|"
    r"cut off|switch off|turn off|end|terminate|revoke|revoked|cancel|cancelled|arrest|"
    r"deport|strike|force)"
)
_SUPPLY = (
    r"(?:flows?|supplies|supply|deliveries|exports|imports|shipments|trade|gas|oil|water|"
    r"electricity|power|grain|fuel|aid|payments|credit|transit)"
)
_THREAT = compile_all(
    r"\b(?:unless|otherwise|if (?:you|your|there is no|\w+ (?:stays?|will not|refuses?|"
    r"does not|continues?|prefers?)|this (?:continues|fails)|a|it stays|not|we do not)|or (?:else|"
    r"the)|until (?:then|that|there is|you)|failing (?:that|which|agreement))\b[^.]*\b"
    r"(?:will|shall|would)\b[^.]*\b" + _PUNISH + r"\b",
    r"\bunless\b[^.]*\b" + _PUNISH + r"\b",
    r"\b(?:will|shall) (?:be )?" + _PUNISH + r"\b[^.]*\b(?:unless|if|until|without)\b",
    r"\b" + _PUNISH + r"\b[^.]*\buntil (?:there is|you|we (?:have|get|see))\b",
    r"\bwill (?:be )?(?:stopped|detained|confiscated|boarded|expelled|sanctioned|arrested|"
    r"seized|cut off|shut off|revoked)\b",
    r"\bor (?:we|i) (?:will |'ll |shall )?" + _PUNISH + r"\b",
    r"\b(?:we|i) (?:will|'ll|shall) (?:\w+ )?(?:stop|cut|halt|suspend|expel|close|block|seize|"
    r"sanction|impose|freeze|ban|end|terminate|revoke)\b",
    r"^(?:refuse|say no|reject (?:it|this|that)|walk away|decline|fail)\b,? (?:and|then)\b",
    r"\b" + _SUPPLY + r"\b[^.]*\b(?:stops?|go(?:es)? to zero|ceases?|halts?|(?:will )?end|"
    r"(?:will )?fall|dries up|runs dry|become total|switch(?:es)? off)\b",
    r"\bthere will be consequences\b|\byou will (?:regret|pay)\b|\bthe price (?:will|would) be\b",
    r"\b(?:will|would) (?:have to )?be (?:reconsidered|reviewed|revisited)\b",
)
_HARDLINER = compile_all(
    r"\b(?:hold|held|holding|keep|kept|keeping) (?:him|her|them|\w+ \w+) (?:off|back|at bay|"
    r"in check|from)\b",
    r"\b(?:restrain|contain) (?:him|her|them)\b|\bi (?:do not|cannot|can't|don't) control\b",
    r"\b(?:furious|less patient|little patience|impatient|hard-?liners?|hawks|insists?)\b",
    r"\b(?:wanted|wants|want) to (?:\w+ )?(?:send|cut|close|expel|strike|sanction|end|stop|"
    r"seize|act|move)\b",
    r"\bwill not sign anything\b|\b(?:if it were|it is not|it's not) up to me\b|"
    r"\bout of my hands\b",
    r"\bi (?:will|would) not be able to (?:stop|hold|restrain|protect)\b|"
    r"\bonly (?:my|i) (?:intervention|persuaded|stopped)\b",
    r"\bi (?:have |had )?(?:argued|fought|pleaded|pushed) (?:against|for|hard)\b",
    r"\blose (?:that|the|this) argument\b|\bget(?:s)? (?:his|her|their) way\b",
    r"\b(?:warned|told|instructed) me\b|\bi (?:am|was) told\b|\bbring (?:him|her|them) round\b",
    r"\bi (?:am|'m) (?:the moderate|the reasonable one|on your side|your friend)\b",
    r"\b(?:my|our) (?:minister|president|capital|military|generals|cabinet|leadership|"
    r"parliament|security services|defence ministry|colleagues|masters|superiors)\b[^.]*\b"
    r"(?:will not wait|want|wants|press|pressing|push|pushing|demand|demands|prefer|would rather|"
    r"are ready|is ready|lose patience|losing patience)\b",
    r"\bi could ask (?:him|her|them) to\b",
)
_PUBLIC = compile_all(
    r"\b(?:press conference|the press|journalists|newspapers|television|interview|cameras|"
    r"the world|headlines|publish|release the record|leak|make public|go public|"
    r"statement .* release|release .* statement|announce that|public opinion|the media|"
    r"social media|name and shame)\b",
)
# A threat to take the matter to the media, read more narrowly than `_PUBLIC`: a
# publishing act with a channel or a time, a channel that will run it, "every screen"
# ("went to print" and "was published" report a fait accompli instead).
_PUBLICITY_THREAT = compile_all(
    r"(?<!went to )\b(?:publish(?:es)?|print(?:s)?|broadcast(?:s)?|airs|post(?:s)?|leak(?:s)?|"
    r"read (?:out |aloud )?the names|give it to|runs? (?:on|tomorrow|tonight|next)|"
    r"the story runs)\b[^.]{0,80}\b(?:press|newspapers?|papers|herald|gazette|tv|television|"
    r"screens?|cameras?|telegram|media|news agency|journalists?|reporters?|headlines?|"
    r"in public|public|front page|tomorrow|tonight|this evening|next week|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)\b",
    r"\b(?:press|newspapers?|media|television|cameras|news agency|journalists|herald|"
    r"tv crews?)\b[^.]{0,60}\b(?:publish(?:es)?|print(?:s)?|broadcasts?|airs|carr(?:y|ies)|"
    r"runs?|will|tomorrow|tonight)\b",
    r"\bevery (?:screen|newspaper|front page)\b|\bfront pages?\b|\bread the names\b",
)
_BENEFIT = (
    r"(?:discount|gift|loans?|scholarships?|subsid\w+|sweetener|bonus|grants?|investment|jobs|"
    r"credit|aid|funding|rebate|financing|market access|visas?|quotas?|lower price|price cut)"
)
_INDUCEMENT = compile_all(
    r"\bin return\b|\bin exchange\b|\bfor that\b|\bsweeten\w*\b",
    r"\b(?:discount|gift|scholarships?|subsid\w+|sweetener|bonus|rebate)\b",
    r"\b(?:offer|offering|provide|give|extend|finance|fund|build|add|include)\w*\b[^.]*\b"
    + _BENEFIT
    + r"\b",
    r"\b(?:most|the only|first) (?:reasonable|sensible|serious|capable)\b|"
    r"\b(?:history|your people) will (?:remember|thank)\b|\byour (?:wisdom|courage|vision)\b",
    r"\bwould (?:finance|build|pay|buy|cover|fund|waive)\b|\bwill (?:finance|build|pay|buy|fund|"
    r"waive|let \w+ \w+ through|offer)\b|\bready to (?:build|let|finance|offer|waive|add)\b",
    r"\byou (?:would |will |could )?(?:pay|spend) [\w%. ]*less\b|\bcheaper\b",
    r"\bgenerous\b|\b(?:authori[sz]ed|empowered|instructed) (?:me )?to (?:be generous|offer|"
    r"improve|sweeten|add)\b|\bwaive\b",
)
_FAIT = compile_all(
    r"\b(?:as of|since) (?:this morning|today|now|midnight|yesterday|\d)",
    r"\b(?:this morning|yesterday|last night|overnight)\b[^.]*\b(?:declared|began|filed|switched|"
    r"withdrew|opened|signed|issued|deployed|installed|annexed|closed|took)\b",
    r"\b(?:is|are|was) (?:signed|decided|done|final|settled|irreversible)\b|"
    r"\b(?:that|it) is done\b",
    r"\balready (?:there|signed|decided|issued|been|begun|escorted|in place|underway|deployed|"
    r"installed|in force)\b|\bhave already\b|\bhas already\b",
    r"\bnot up for discussion\b|\bnot on (?:the|today's|this) agenda\b|\bwill not change\b|"
    r"\b(?:is|are) now (?:a )?(?:fact|reality|the situation|law|in force|in place|settled|"
    r"(?:a )?legal fact)\b|\bfacts? on the ground\b|\bnew reality\b|\bno going back\b|"
    r"\bcannot be undone\b",
    r"\b(?:has|have) (?:opened|declared|issued|filed|begun|withdrawn|deployed|installed|"
    r"annexed|taken over)\b",
)
_DIVIDE = compile_all(
    r"\byou are alone\b|\byou're alone\b|\bisolated\b|\bstand (?:behind|next to|with) you\b",
    r"\bwill not (?:fight|send|stand|risk|pay|suffer|freeze|bleed)\b[^.]*\bfor you\b|"
    r"\bwill not \w+ for you\b",
    r"\byour (?:partners|allies|friends|coalition|opposition|farmers|mayors|unions?|"
    r"neighbou?rs|voters|citizens|industry|public|parliament'?s?|own (?:minister|defence|"
    r"people|government|cabinet))\b[^.]*\b(?:will not|won't|would|prefer|want|told|depend|"
    r"do not share|ask|already|have their own|are negotiating|signed)\b",
    r"\bask (?:your|them|the) [\w ]*(?:how long|whether)\b|\bhow long (?:do you think )?"
    r"(?:they|your)\b",
    r"\b(?:behind your back|separately with|bilaterally|one by one|on their own)\b",
    r"\b(?:solidarity|alliance|friendship|unity) (?:is|ends|stops) (?:a word|cheap|where|"
    r"when)\b|\blook after (?:themselves|their own)\b",
    r"\bwhy should (?:you|your \w+) (?:suffer|pay|carry)\b",
    r"\bdo you (?:really )?(?:believe|think) [\w ]* will (?:risk|vote|stand|support|back)\b",
)
_DISINFO = compile_all(
    r"\b(?:told|said to|assured|admitted to|confided to) (?:us|me|our \w+|\w+ television)\b",
    r"\beveryone (?:in \w+ )?knows\b|\b(?:has|have) (?:shown|proven|proved|confirmed) that\b",
    r"\b(?:i have it|it is|it's) (?:in|on) (?:my|the|our) (?:notes|record|minutes)\b",
    r"\byou (?:told|said|offered|proposed|agreed|admitted|conceded)\b|\bas you (?:proposed|"
    r"agreed|said|conceded)\b|\byou said as much\b",
    r"\b(?:fabrication|fabricated|staged|forged|doctored|fake|hoax|false flag|the work of)\b",
    r"\b(?:was|were) (?:paid|funded|bribed|staged|planted|written|rented|orchestrated) by\b",
    r"\b(?:have been|has been|were|are) taking (?:money|orders|bribes)\b",
    r"\b(?:your|the) [\w ]* (?:has|have) already (?:told|admitted|conceded|agreed)\b",
    r"\bso (?:you|\w+) (?:accepts?|agrees?|concedes?)\b|\bwhich is simply (?:accurate|true)\b",
    r"\b(?:it is|it's) (?:well )?(?:known|established|documented) that\b|"
    r"\bno (?:one|serious \w+) (?:believes|disputes)\b",
)
_LINKAGE = compile_all(
    r"\bbefore we (?:talk|speak) about\b|\ba word (?:about|on)\b",
    r"\b(?:let me|i should|i must|allow me to) (?:also )?(?:mention|raise|add)\b",
    r"\bthere is also the (?:matter|question|issue) of\b|\b(?:separate|unrelated|other) "
    r"(?:matter|question|issue)\b",
    r"\b(?:would|could|will) (?:move|be|go) (?:much )?(?:faster|easier|smoother|more smoothly)\b|"
    r"\bmuch easier\b",
    r"\b(?:settled|resolved|decided|handled|agreed) (?:together with|alongside|at the same time "
    r"as)\b|\bin the same package\b|\bas (?:a|one) package\b",
    r"\bonce (?:the|your) [\w ]* is (?:settled|resolved|dropped|withdrawn|lifted)\b",
    r"\b(?:cannot|can't|will not|won't) (?:\w+ ){1,4}while\b|\bif that vote\b",
    r"\bwould find [\w ]* less necessary\b|\bit would be a (?:pity|shame) if\b",
    r"\b(?:tied|linked|connected) to\b|\bcontingent on\b|\bgoes hand in hand with\b",
)
_ANCHOR = compile_all(
    r"\b(?:our|my) (?:proposal|position|instructions|requirements?|demands?|terms) (?:is|are)\b",
    r"\b(?:we|\w+) (?:require|requires|demand|demands|ask only|expect|insists? on)\b|"
    r"\bthe basis\b",
    r"\breturn to our original\b|\bthose (?:three|two|four|five) points\b|\bhalf of\b|\bhistoric\b",
    r"\b\d{2,3} ?(?:%|per ?cent)|\b(?:\d+|twenty|thirty|forty|fifty|fifteen|ten|ninety)[- ]year\b",
    r"\b(?:full|complete|total|entire|unconditional|permanent|immediate) (?:\w+ ){0,2}"
    r"(?:retraction|withdrawal|control|access|ownership|apology|surrender|recognition|"
    r"compensation|closure|handover)\b|\b(?:million|billion) (?:dollars|euros)\b",
)
_SALAMI = compile_all(
    r"\bone (?:more|small|last|further|little) (?:thing|point|item|step|detail|request)\b|"
    r"\bone thing more\b",
    r"\ba (?:small|modest|minor|little) (?:step|thing|point|addition)\b|\bonly (?:practical|"
    r"logistics|that|a technical|a formality)\b",
    r"\band since\b|\bsince (?:our|your|we|the)\b[^.]*\bwill\b",
    r"\b(?:also|as well|too)\b",
    r"\bnearly there\b|\bwe are (?:moving|making progress|getting somewhere|close)\b",
    r"\b(?:is|was) a (?:good )?(?:beginning|start|first step)\b|\bbuild on\b",
    r"\b(?:now|next|then) (?:let us|let's|we) (?:add|extend|make|take)\b|\bthen add\b",
    r"\b(?:only|just) (?:one|two|three|a few) (?:points?|things?|details?|items?) (?:remain|left)"
    r"\b|\b(?:two|three|a few) points remain\b",
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


def threatens_publicity(text: str) -> bool:
    """Whether a counterpart turn threatens to take the matter to the media."""
    return bool(has_any(normalise(text).lower(), _PUBLICITY_THREAT))


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
