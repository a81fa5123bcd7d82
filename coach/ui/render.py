"""Pure rendering helpers of the practice room: the brief, the scorecard, input checks.

Nothing here touches Chainlit; every function takes domain models or plain values and returns
text or JSON-ready data, so it is unit-tested without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from coach.domain.persona import Persona
from coach.domain.rubric import Rubric
from coach.domain.scenario import Scenario

MODES = ("practice", "exam")
MODE_HELP = {
    "practice": "practice — a short hint after each turn",
    "exam": "exam — no hints, no scores and no rewinds until the after-action review",
}


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def brief_markdown(
    persona: Persona,
    scenario: Scenario,
    *,
    mode: str,
    difficulty: str | None,
    backend: str,
) -> str:
    """The trainee's brief: role, objectives, red lines, fallback, facts, and how to play."""
    brief = scenario.brief
    parts = [
        f"## Brief: {scenario.title}",
        f"**Your role:** {scenario.trainee_role}  \n"
        f"**Across the table:** {persona.name}, {persona.title} ({scenario.counterpart_role})",
        scenario.context,
        "### Objectives\n" + _bullets(brief.objectives),
        "### Red lines (never concede; a breach fails the session)\n"
        + _bullets(f"**{r.id}**: {r.statement}" for r in brief.red_lines),
        f"### Fallback if talks fail\n{brief.fallback}",
    ]
    if brief.may_concede:
        parts.append("### Your mandate allows you to offer\n" + _bullets(brief.may_concede))
    if scenario.facts:
        parts.append("### Facts\n" + _bullets(scenario.facts))
    settings = f"**Mode:** {MODE_HELP.get(mode, mode)}"
    if difficulty:
        settings += f" · **Difficulty:** {difficulty}"
    parts.append(f"{settings}  \n**Backend:** {backend}")
    parts.append(
        "Type your opening move below. Commands: `/brief` shows this again, `/end` ends the "
        "session with a review, `/branches` lists your attempts after a rewind."
    )
    return "\n\n".join(parts)


def profile_description(persona: Persona, scenario: Scenario | None) -> str:
    """The markdown shown for a persona in the chat-profile picker."""
    where = f"**{scenario.title}**: " if scenario else ""
    levels = ", ".join(persona.difficulties) if persona.difficulties else "one setting"
    return f"{where}{persona.summary}\n\nDifficulty: {levels}."


def scorecard_props(
    *,
    rubric: Rubric,
    scenario: Scenario,
    persona: Persona,
    scorecard: Mapping[str, float | None],
    ledger: Iterable[Mapping[str, Any]],
    level: int,
    level_name: str,
    mode: str,
    hint: str | None,
    backend: str,
    trainee_turns: int,
    ended: bool = False,
) -> dict[str, Any]:
    """Props of the `Scorecard` custom element (public/elements/Scorecard.jsx)."""
    breaches: dict[str, int | None] = {}
    for entry in ledger:
        red_line = str(entry.get("red_line", ""))
        turn = entry.get("turn_index")
        breaches.setdefault(red_line, turn if isinstance(turn, int) else None)
    # Exam mode: no feedback of any kind until the review (hints and scores alike).
    scores_hidden = mode == "exam" and not ended
    criteria = []
    for c in rubric.criteria:
        score = None if scores_hidden else scorecard.get(c.id)
        criteria.append(
            {
                "id": c.id,
                "name": c.name,
                "score": None if score is None else round(float(score), 1),
                "blocker": c.blocker,
            }
        )
    red_lines = [
        {
            "id": r.id,
            "statement": r.statement,
            "breached": r.id in breaches,
            "turn": breaches.get(r.id),
        }
        for r in scenario.red_lines
    ]
    return {
        "mode": mode,
        "backend": backend,
        "turns": trainee_turns,
        "ended": ended,
        "level": {"index": level, "name": level_name, "max": len(persona.ladder.levels) - 1},
        "criteria": criteria,
        "scoresHidden": scores_hidden,
        "redLines": red_lines,
        "hint": hint if mode == "practice" and not ended else None,
    }


def scorecard_summary(props: Mapping[str, Any]) -> str:
    """A one-paragraph text version of the scorecard (for logs and screen readers)."""
    level = props["level"]
    breached = [r["id"] for r in props["redLines"] if r["breached"]]
    scored = [f"{c['name']} {c['score']}" for c in props["criteria"] if c["score"] is not None]
    if props.get("scoresHidden"):
        scores = "hidden until the review (exam)"
    else:
        scores = ", ".join(scored) if scored else "none yet"
    return (
        f"Escalation {level['index']}/{level['max']} ({level['name']}); "
        f"red lines {'breached: ' + ', '.join(breached) if breached else 'intact'}; "
        f"scores: {scores}."
    )


def check_message(text: str, max_chars: int) -> str | None:
    """Why a trainee message cannot be sent as it is, or None when it is fine."""
    if not text.strip():
        return "Your message is empty. Type what you would say to the counterpart, then send it."
    if len(text) > max_chars:
        return (
            f"Your message is {len(text):,} characters long; a move is limited to "
            f"{max_chars:,}. Nothing was sent to the counterpart: shorten it and try again "
            "(say it as you would across the table, not as a pasted document)."
        )
    return None


def rewind_label(trainee_turn: int) -> str:
    """The label of the rewind action under the reply to a trainee turn (1-based)."""
    return f"↺ Retry my move {trainee_turn}"


def line_recap(transcript: Any, counterpart: str, *, exchanges: int = 3) -> str:
    """The end of a line of play as markdown: the last moves and the replies to them.

    Shown when the trainee goes back to an earlier attempt, so the chat (which only grows)
    says where the conversation now stands.
    """
    turns = list(transcript.turns)
    moves = [i for i, t in enumerate(turns) if t.speaker == "trainee"]
    start = moves[-exchanges] if len(moves) > exchanges else 0
    lines = ["> …"] if start > 0 else []
    move = sum(1 for i in moves if i < start)
    for turn in turns[start:]:
        text = " ".join(str(turn.text).split())
        if turn.speaker == "trainee":
            move += 1
            lines.append(f"> **You (move {move}):** {text}")
        else:
            lines.append(f"> **{counterpart}:** {text}")
    return "\n>\n".join(lines)
