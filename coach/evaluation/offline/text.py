"""Small text helpers: sentences, clauses, tokens, stems and negation scope."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]*\s+(?=[\"'‘“(]?[A-Z0-9])")
_CLAUSE_SPLIT = re.compile(
    r"\s*(?:;|:|\s[—–]\s|\s-\s|,?\s+but\s+|,?\s+though\s+|,?\s+however,?\s+|\.\.\.|…)\s*",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+(?:[’'][a-z]+)?(?:[.,][0-9]+)*", re.IGNORECASE)

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "nor",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "as",
        "into",
        "onto",
        "its",
        "it",
        "it's",
        "this",
        "that",
        "these",
        "those",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "not",
        "no",
        "any",
        "all",
        "each",
        "every",
        "either",
        "neither",
        "other",
        "another",
        "some",
        "such",
        "our",
        "their",
        "your",
        "his",
        "her",
        "my",
        "we",
        "you",
        "they",
        "he",
        "she",
        "i",
        "me",
        "us",
        "them",
        "him",
        "itself",
        "than",
        "then",
        "there",
        "here",
        "who",
        "whom",
        "which",
        "what",
        "when",
        "where",
        "why",
        "how",
        "also",
        "only",
        "very",
        "more",
        "most",
        "less",
        "least",
        "much",
        "many",
        "own",
        "same",
        "so",
        "too",
        "just",
        "even",
        "ever",
        "again",
        "further",
        "once",
        "about",
        "over",
        "under",
        "up",
        "down",
        "out",
        "off",
        "before",
        "after",
        "while",
        "whether",
        "if",
        "unless",
        "until",
        "upon",
        "within",
        "without",
        "whole",
        "part",
        "including",
        "include",
        "includes",
        "explicitly",
        "implicitly",
        "form",
        "kind",
        "way",
        "ways",
    ]
)

NEGATORS = frozenset(
    [
        "no",
        "not",
        "never",
        "nor",
        "without",
        "none",
        "nobody",
        "nothing",
        "neither",
        "cannot",
        "can't",
        "won't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "don't",
        "doesn't",
        "didn't",
        "couldn't",
        "wouldn't",
        "shouldn't",
        "mustn't",
        "haven't",
        "hasn't",
        "hadn't",
        "shan't",
        "nowhere",
    ]
)

# Tokens that end a negation's scope inside a clause.
_SCOPE_BREAKERS = frozenset({"but", "instead", "rather", "only", "except", "yet", "while"})


def normalise(text: str) -> str:
    """Unify quotes and dashes so the patterns can stay simple."""
    return (
        text.replace("’", "'")
        .replace("‘", "'")
        .replace("“", '"')
        .replace("”", '"')
        .replace("\u00a0", " ")
    )


def sentences(text: str) -> list[str]:
    """Split a turn into sentences, keeping each sentence verbatim."""
    parts = [p.strip() for p in _SENTENCE_END.split(text.strip())]
    return [p for p in parts if p]


def clauses(sentence: str) -> list[str]:
    """Split a sentence at contrastive or list boundaries (but, though, dashes, semicolons)."""
    parts = [p.strip(" ,") for p in _CLAUSE_SPLIT.split(sentence)]
    return [p for p in parts if p]


def words(text: str) -> list[str]:
    """Lower-cased word tokens, contractions kept whole ("won't")."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(normalise(text))]


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light suffix stripper: enough to match inspect/inspection/inspectors."""
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) == 4 and w.endswith("s") and not w.endswith(("ss", "us", "is", "as", "os")):
        return w[:-1]  # keys -> key, logs -> log
    if len(w) <= 4 or w.isdigit():
        return w
    for suffix in (
        "ations", "ation", "itions", "ition", "ments", "ment", "ings", "ing", "ions", "ion",
        "ives", "ive", "ors", "ers", "or", "er", "ies", "ied", "ed", "es", "ly", "s", "e", "y",
    ):  # fmt: skip
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            break
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeiou":
        w = w[:-1]
    return w


def content_stems(text: str, extra_stop: Iterable[str] = ()) -> list[str]:
    """Stems of the content words of a text, in order."""
    stop = STOPWORDS | set(extra_stop)
    return [stem(w) for w in words(text) if w not in stop and w not in NEGATORS and len(w) > 1]


def negated_mask(tokens: list[str], window: int = 8) -> list[bool]:
    """For each token, whether it sits inside a negation's scope (within the same clause)."""
    mask = [False] * len(tokens)
    remaining = 0
    for i, tok in enumerate(tokens):
        if tok in _SCOPE_BREAKERS:
            remaining = 0
        if remaining > 0:
            mask[i] = True
            remaining -= 1
        if tok in NEGATORS or tok.endswith("n't"):
            remaining = window
    return mask


def has_any(text: str, patterns: Iterable[re.Pattern[str]]) -> re.Match[str] | None:
    """The first match of any pattern in the text, or None."""
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match
    return None


_COURTESY = re.compile(  # a greeting, thanks or form of address, saying nothing else
    r"^(?!.*\b(?:no|not|never|yes|agreed?|accept\w*|refuse\w*)\b)"
    r"(?:good (?:morning|afternoon|evening)|thank you|thanks|hello|welcome|"
    r"(?:mr|mrs|ms)\.?|minister|ambassador|excellency|sir|madam)\b[\w\s,.'-]{0,30}[.!]?$",
    re.IGNORECASE,
)


def is_courtesy(sentence: str) -> bool:
    """A greeting, a thank-you or a form of address that says nothing else ("Good morning,
    Minister."; not "Minister, no.")."""
    return bool(_COURTESY.match(sentence.strip()))


def compile_all(*patterns: str) -> tuple[re.Pattern[str], ...]:
    """Compile case-insensitive patterns."""
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)
