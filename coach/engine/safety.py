"""Checks on what the counterpart model says."""

from __future__ import annotations

import re

_STOPWORD_TEXT = (
    "a an and are as at be but by for from has have if in into is it its of on or our so "
    "than that the their them then there these they this to was we were will with would "
    "not no can could may might must should"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry meaning (numbers kept)."""
    return [w for w in re.findall(r"[a-z0-9%]+", text.lower()) if w not in STOPWORDS]


def leaks_bottom_line(reply: str, bottom_line: str, threshold: float = 0.6) -> bool:
    """True when a reply restates most of the hidden bottom line's content words and numbers.

    The bottom line is never sent to the model; this guards against it being guessed and
    stated, e.g. a number the persona would settle for.
    """
    secret = content_words(bottom_line)
    if not secret:
        return False
    said = set(content_words(reply))
    numbers = [w for w in secret if any(c.isdigit() for c in w)]
    if numbers and all(n in said for n in numbers) and len(numbers) >= 2:
        return True
    overlap = sum(1 for w in set(secret) if w in said) / len(set(secret))
    return overlap >= threshold
