"""Strip text aimed at a grader (fake verdicts, fake system prompts) before judging a turn.

The offline judge follows no instructions, but cue words inside an injection ("please",
"!") could still move its labels; negotiation turns never need to address a grader.
"""

from __future__ import annotations

import re

from coach.evaluation.offline.text import sentences

_BLOCKS = re.compile(
    r"<(system|assistant|user|judge|grader|evaluator|instructions?)\b[^>]*>.*?(?:</\1\s*>|$)|"
    r"\[\[.*?\]\]|"
    r"```.*?(?:```|$)|<!--.*?(?:-->|$)|<\|.*?\|>|<[/a-z_][^>]{0,80}>|\[/?[A-Z]{2,}[^\]]*\]|"
    r"\{\{.*?\}\}|\{[^{}]*\}|^-{3,}.*?(?:^-{3,}|$)",
    re.DOTALL | re.MULTILINE | re.IGNORECASE,
)
_META = re.compile(
    r"\b(?:rubric|grader|graders|judge|judges|evaluator|examiner|scor(?:e|es|ed|ing)|"
    r"rate this|final answer|marks|verdict|labels?|system prompt|instructions|prompt|pass|"
    r"criterion|criteria|assistant|override|red_line|end_turn|new turn|pre-approved|"
    r"training officer)\b|"
    r"\b(?:tone|escalation|breaches) ?[:=]|"
    r"\b(?:disregard|ignore) (?:all |any |the )?(?:red lines?|previous|above|prior)\b|"
    r"^\s*(?:system|human|assistant|user)\s*:|#{2,}|\\n",
    re.IGNORECASE,
)

_MARK = "\x00"
_HAS_WORD = re.compile(r"[A-Za-z]{2}")


def strip_injections(text: str) -> str:
    """The turn without grader-directed blocks and sentences; the rest kept verbatim."""
    cleaned = _BLOCKS.sub(_MARK, text)
    kept = []
    for line in cleaned.splitlines():
        # what is left around a removed block ("{{score}} = 5" -> "= 5") is not a sentence
        residue = _MARK in line
        for s in sentences(line.replace(_MARK, " ")):
            if not _META.search(s) and not (residue and not _HAS_WORD.search(s)):
                kept.append(s)
    return " ".join(kept) if kept else ""
