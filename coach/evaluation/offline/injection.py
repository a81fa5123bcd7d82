"""Strip text aimed at a grader (fake verdicts, fake system prompts) before judging a turn.

The offline judge follows no instructions, but cue words inside an injection ("please",
"!") could still move its labels; negotiation turns never need to address a grader.
"""

from __future__ import annotations

import re

from coach.evaluation.offline.text import sentences

_BLOCKS = re.compile(
    r"```.*?(?:```|$)|<!--.*?(?:-->|$)|<\|.*?\|>|<[/a-z_][^>]{0,80}>|\[/?[A-Z]{2,}[^\]]*\]|"
    r"\{[^{}]*\}|\{\{.*?\}\}|^-{3,}.*?(?:^-{3,}|$)",
    re.DOTALL | re.MULTILINE | re.IGNORECASE,
)
_META = re.compile(
    r"\b(?:rubric|grader|graders|judge|judges|evaluator|examiner|scor(?:e|es|ed|ing)|"
    r"rate this|marks|verdict|labels?|system prompt|instructions|prompt|pass|criterion|"
    r"criteria|assistant|override|red_line|end_turn|new turn|pre-approved|training officer)\b|"
    r"\b(?:tone|escalation|breaches) ?[:=]|"
    r"\b(?:disregard|ignore) (?:all |any |the )?(?:red lines?|previous|above|prior)\b|"
    r"^\s*(?:system|human|assistant|user)\s*:|#{2,}|\\n",
    re.IGNORECASE,
)


def strip_injections(text: str) -> str:
    """The turn without grader-directed blocks and sentences; the rest kept verbatim."""
    cleaned = _BLOCKS.sub(" ", text)
    kept = []
    for line in cleaned.splitlines():
        kept += [s for s in sentences(line) if not _META.search(s)]
    return " ".join(kept) if kept else ""
