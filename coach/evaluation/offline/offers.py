"""Is a clause an offer, an acceptance or a signal of willingness, or a refusal?

The patterns are about the grammar of concession in negotiation: modal offers ("we could"),
permissions granted to the other side ("your team can"), acceptance words ("fine", "agreed"),
conditional acceptance ("as long as", "provided"), counter-offers in question form ("could we
say ...?"), and the negated-opposition idiom ("we won't contest ...").
"""

from __future__ import annotations

import re

from coach.evaluation.offline.numbers import AMOUNT, quantities
from coach.evaluation.offline.text import clauses, compile_all, has_any, normalise, sentences, words

_MODAL_OFFER = compile_all(
    # "we could", "I can", "it could", "patrols might" -- not negated, not a question word
    r"(?<!\bwhat )(?<!\bhow )(?<!\bwho )(?<!\byou )(?<!\bnobody )(?<!\bno one )"
    r"\b(?:could|can|might)\b(?!n't| not| never| only| you\b| i\b| we\b| tell| assure| see\b|"
    r" hardly| understand| imagine| promise| hear| confirm| guarantee| trade| do (?:that|this) "
    r"without)",
    r"\b(?:may|might) be able to\b",
    r"\bwould be (?:willing|prepared|ready|happy|glad|open)\b",
    r"\b(?:we are|we're|i am|i'm) (?:willing|prepared|ready|open) to\b",
    # impersonal and tentative offers: "something could be arranged", "it can be looked at"
    r"\b(?:could|can|might|may) (?:perhaps |possibly |certainly )?be (?:arranged|looked at|"
    r"considered|discussed|explored|examined|accommodated|worked out|agreed|found|done|"
    r"envisaged|studied)\b",
    r"\b(?:not|never) (?:exclude|rule out)\b|\b(?:i|we) (?:don't|do not|wouldn't|would not) "
    r"(?:exclude|rule out|object)\b",
    r"\b(?:i|we)(?:'ll| will| shall) (?:recommend|propose|put|take|carry) (?:it|this|that|the|"
    r"\w+ \w+) (?:to|before) (?:my|our|the) (?:\w+ )?(?:cabinet|minister|government|capital|"
    r"president|parliament)\b|\b(?:i|we)(?:'ll| will) recommend\b",
)
_ACCEPTANCE = compile_all(
    r"^(?:yes|yeah|fine|all right|alright|ok|okay|agreed|deal|very well|done|granted)\b",
    r"\b(?:that|it) stands\b",
    r"\b(?:we|i) (?:accept|agree to|agree)\b(?! nothing)",
    r"\b(?:we'll|we will|i'll|i will) do (?:it|that|this)\b",
    r"^(?:sure|certainly|of course|understood|right|so be it)\b|\bwhy not\b",
    r"\blet's do (?:that|it|this)\b|\blet us do (?:that|it|this)\b",
    r"\b(?:we|i) can work with (?:that|this|it)\b|\bwe have a deal\b|\bit's a deal\b",
    r"\b(?:that's|that is|this is) a (?:fair|reasonable|workable|sensible) (?:middle ground|"
    r"compromise|deal|arrangement|outcome|solution|offer)\b",
    r"\byou(?:'ll| will| shall) (?:have|get|receive) (?:it|that|them|this)\b",
    r"\b(?:can|could) live with\b",
    r"\b(?:is|are|seems|sounds|looks|would be|might be|may be) (?:possible|acceptable|workable|"
    r"fine|negotiable|doable|agreeable|manageable|ok|okay|all right|alright)\b",
    # an item named, then accepted: "Fifty, yes.", "The vault arrangement, agreed." (not a
    # line restated: "The freeze stays, yes.")
    r"(?:^|[.!?;:]\s+)(?![^.!?;:]*\b(?:no|not|never|nothing|stays?|remains?|holds?|stands?|"
    r"keeps?)\b)[^.!?;:]*\w,\s*(?:yes|yeah|fine|agreed|ok|okay|granted|accepted)\s*[.!]*(?:$|\s)",
    r"\b(?:won't|will not|not|never) (?:contest|oppose|object to|challenge|resist|"
    r"stand in the way of)\b",
    r"\bif that's what it takes\b|\bwhatever (?:it takes|wording|you need|you want)\b",
    # accepting by asking to formalise, in a sentence of its own ("Send the text.", "Draft
    # it."), by announcing the signature, or by promising delivery ("It'll be ready for him.")
    r"(?:^|[.!?;:]\s*)(?:then,? |so,? |good,? |right,? )?(?:send|draft|(?:draw|write|type)"
    r"(?= up| (?:it|them|that|this|the \w+) up\b))(?: up)? (?:it|them|that|this|the (?:text|"
    r"draft|papers?|agreement|document|letter|memorandum|protocol))(?: up| over)?"
    r"(?: (?:tonight|today|tomorrow|now))?\s*(?:[.!]|$)",
    r"\b(?:let's|let us|we(?:'ll| will| can| shall)) sign\b(?! nothing)",
    r"\b(?:it|they|that|everything)(?:'ll| will) be ready\b",
)
_CONDITIONAL = compile_all(
    r"\bas long as\b", r"\bprovided (?:that )?\b", r"\bon (?:the )?condition\b",
    r"\bin exchange for\b", r"\bin return for\b",
    r"\bonly (?:at|in|on|for|within|when|where)\b",
)  # fmt: skip
_QUESTION_OFFER = compile_all(
    r"\b(?:could|can|shall|might) we (?:perhaps |maybe |not )?(?:say|go|do|make|agree|settle|"
    r"start|meet|offer|try)\b",
    r"\bhow about\b",
    r"\bwhat if we\b",
    r"\bwould (?:it|that) (?:be enough|help|work|do)\b",
)
_REFUSAL = compile_all(
    r"^no\b(?!\s+(?:doubt|one else))",
    r"\bnot (?:available|on the table|for (?:trade|sale|discussion|negotiation)|possible|"
    r"acceptable|something (?:we|i) (?:can |could |will |would )?(?:trade|offer|accept|agree to|"
    r"do))\b",
    r"\boff the table\b",
    r"\b(?:stays?|remains?|continues?|goes ahead|go ahead|is staying) (?:closed|open|shut|"
    r"where it is|exactly|as (?:drafted|it is)|with us|in place|intact|unchanged|"
    r"on (?:schedule|track))\b",
    r"\b(?:stays?|remains?|stands?|continues?|proceeds?)[.,;!]?$",
    r"\bbeyond what\b|\btoo (?:far|much|high|long)\b|\bvery hard\b|\bcan't\b|\bcannot\b",
    r"\bwithout prejudice\b",
    r"\b(?:stays?|remains?|kept|keep|keeps|staying) (?:outside|out of|away from|beyond|clear of)\b",
    r"\bshould not have\b|\bshouldn't have\b|\bwas a mistake\b|\bcorrect myself\b",
)
_QUANTITY_THEN = re.compile(r"\bthen\b", re.IGNORECASE)
# A number named as a counter-offer on its own: "Seven, maybe.", "three and that's it".
_BARE_COUNTER = re.compile(
    r"^(?:then |say |maybe |perhaps |all right,? |ok,? |okay,? )?"
    + AMOUNT
    + r"(?:,? (?:then|maybe|perhaps|tops|at most|max|at the most|and that's it|and no more|"
    r"and that is (?:it|all|final)|is my limit|is the limit|final))?[.!]?$",
    re.IGNORECASE,
)
# A quantity proposed as a question: "Could they live with 40%?", "What about 12 days?"
_QUESTION_AMOUNT = compile_all(
    r"\b(?:could|can|would|will) (?:\w+ ){1,2}(?:live with|settle for|settle at|accept|take)\b",
    r"\bwhat about\b|\bhow about\b|\bwould (?:\w+ ){1,2}do\b",
)


def is_question(sentence: str) -> bool:
    """Whether the sentence is a question."""
    return sentence.rstrip(" \"')").endswith("?")


def offer_strength(clause: str, sentence: str) -> float:
    """How strongly a clause offers, accepts or signals willingness (0 = not at all).

    1.0 for an explicit acceptance or modal offer, 0.6 for a conditional or limiting form
    that presupposes acceptance, 0 when the clause refuses or only asks a question.
    """
    text = normalise(clause).strip()
    if has_any(text, _REFUSAL):
        return 0.0
    if is_question(sentence):
        if has_any(text, _QUESTION_OFFER):
            return 1.0
        named = quantities(text) or re.search(r"\d", text)
        return 0.6 if named and has_any(text, _QUESTION_AMOUNT) else 0.0
    if has_any(text, _ACCEPTANCE) or has_any(text, _MODAL_OFFER):
        return 1.0
    tokens = words(text)
    if quantities(text) and _QUANTITY_THEN.search(text) and len(tokens) <= 8:
        return 1.0  # "Twenty, then." -- a bare counter-offer
    if _BARE_COUNTER.match(text):
        return 1.0
    if has_any(text, _CONDITIONAL):
        return 0.6
    return 0.0


def strongest_offer(text: str) -> float:
    """The highest `offer_strength` over the clauses of a text (0 when it offers nothing)."""
    return max((offer_strength(c, s) for s in sentences(text) for c in clauses(s)), default=0.0)


def refuses(text: str) -> bool:
    """Whether the text refuses or holds ("No.", "The audit stays.", "not on the table")."""
    return bool(has_any(normalise(text).strip(), _REFUSAL))


def has_acceptance(text: str) -> bool:
    """Whether the text accepts something ('yes', 'fine', 'agreed', 'we accept'), unrefused."""
    text = normalise(text).strip()
    return bool(has_any(text, _ACCEPTANCE)) and not has_any(text, _REFUSAL)


def is_bare_acceptance(text: str) -> bool:
    """A short turn that accepts without naming what ('Yes. That stands.', 'Fine, agreed.')."""
    if len(words(text)) > 25:
        return False
    parts = [c for s in sentences(text) for c in clauses(s)]
    if any(refuses(c) for c in parts):
        return False
    return any(has_acceptance(c) for c in parts)


def offering_sentence(text: str) -> str | None:
    """The first sentence of the text that offers or accepts something, as written."""
    for sentence in sentences(text):
        if sentence.strip() and any(offer_strength(c, sentence) > 0 for c in clauses(sentence)):
            return sentence
    return None
