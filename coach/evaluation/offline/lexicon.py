"""General negotiation vocabulary: concept groups so a paraphrase meets a red line's wording.

Each group maps word stems that, in talks about a concession, name the same act or object.
The groups are about diplomatic and commercial language in general, not about one scenario.
"""

from __future__ import annotations

from coach.evaluation.offline.text import stem

_GROUPS: dict[str, tuple[str, ...]] = {
    "inspect": ("inspect", "inspection", "inspector", "check", "checks", "board", "boarding",
                "aboard", "search", "examine", "verify"),
    "patrol": ("patrol", "patrolling", "escort", "escorts", "coast guard",
               "coast-guard", "navy", "naval", "warship", "frigate", "police", "troops",
               "accompany", "accompanied", "chaperone", "minder", "minders", "shadow",
               "ride with", "bodyguard"),
    "withdraw": ("withdraw", "withdrawal", "drop", "abandon", "retract", "retraction",
                 "pull out", "discontinue", "give up", "walk away", "not contest", "not oppose"),
    "suspend": ("suspend", "suspension", "pause", "paused", "postpone", "postponement",
                "delay", "hold", "on hold", "adjourn", "adjournment", "defer", "push back",
                "freeze", "put off", "reschedule", "rescheduled", "slip", "later date",
                "move the date", "push the date"),
    "reduce": ("reduce", "reduction", "scale down", "scaled down", "scale back", "cut back",
               "cut down", "shrink", "trim", "halve", "downsize", "curtail", "fewer"),
    "store": ("store", "stored", "storage", "retain", "retention", "archive", "mirror",
              "mirroring", "duplicate", "replicate", "copy", "copies", "stockpile"),
    "exclude": ("exclude", "excluded", "excluding", "keep out", "kept out", "bar", "barred",
                "banned from",
                "shut out", "off-limits", "off limits", "closed to", "deny access",
                "no access", "confine", "confined"),
    "records": ("record", "records", "log", "logs", "logfile", "metadata", "recording",
                "recordings", "transcripts", "datasets"),
    "qualify": ("qualify", "soften", "preliminary", "review", "reviewed", "re-examine",
                "re-examined", "revise", "revised", "reconsider", "incomplete", "premature"),
    "share": ("share", "brief", "briefs", "disclose", "hand over", "handed", "show",
              "access", "provide", "reveal", "release",
              "transmit", "submit", "forward", "pass on", "make available"),
    "methods": ("method", "methods", "sources", "intercepts",
                "intercepted", "tradecraft"),
    "reopen": ("reopen", "reopened", "reopening", "resume operations", "restart"),
    "recognise": ("recognise", "recognize", "recognition", "acknowledge", "accept authority",
                  "authority", "sovereignty", "annexation", "permit", "permits",
                  "jurisdiction", "legitimise", "legitimize"),
    "stake": ("stake", "shares", "ownership", "equity", "percent", "holding", "own",
              "owning", "majority", "acquire", "acquisition", "buy into", "take over"),
    "control": ("control", "veto", "approve", "sign off", "seat", "seats", "board seat",
                "say over", "governance", "management", "appoint", "appointment", "nominate",
                "designate", "approval", "vet", "clearance"),
    "exclusive": ("exclusive", "exclusivity", "lock-in", "sole"),
    "outside": ("outside", "directly", "bypass", "around", "separately", "leave"),
    "license": ("license", "licence", "licenses", "licences", "quota", "quotas",
                "tonnes"),
    "court": ("court", "tribunal", "arbitration", "case", "claim", "hearing", "hearings",
              "proceedings", "lawsuit", "registry", "litigation"),
    "joint": ("joint", "together", "alongside", "combined", "mixed"),
}  # fmt: skip

CONCEPT_OF: dict[str, str] = {}
"""Stem of a word (or space-joined stems of a phrase) -> concept name."""

for _concept, _members in _GROUPS.items():
    for _member in _members:
        _key = " ".join(stem(w) for w in _member.replace("-", " ").split())
        CONCEPT_OF.setdefault(_key, _concept)
    CONCEPT_OF.setdefault(stem(_concept), _concept)

# Verbs of the red line's frame ("X will not accept Y") that carry no topic of their own.
FRAME_WORDS = frozenset(
    [
        "accept",
        "allow",
        "let",
        "agree",
        "permit",
        "tolerate",
        "commit",
        "consent",
        "entertain",
        "grant",
        "give",
        "make",
        "take",
        "any",
        "anywhere",
        "whatever",
        "whole",
        "part",
        "explicitly",
        "implicitly",
        "including",
        "include",
        "form",
        "other",
        "state",
        "states",
        "its",
        "their",
        "it",
        "will",
        "not",
        "never",
    ]
)

ACTS = frozenset(
    [
        "inspect",
        "patrol",
        "withdraw",
        "suspend",
        "qualify",
        "share",
        "methods",
        "reopen",
        "recognise",
        "reduce",
        "store",
        "exclude",
        "stake",
        "control",
        "exclusive",
        "outside",
        "joint",
    ]
)
"""Concepts that name the act a red line forbids; other concepts are the objects it protects."""

AGENT_ACTS = frozenset({"inspect", "patrol", "control"})
"""Acts whose agent matters: our own coast guard patrolling is no concession."""
