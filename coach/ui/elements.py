"""Chainlit elements built from an engine `SessionView`: the scorecard and the review files."""

from __future__ import annotations

from typing import Any

import chainlit as cl

from coach.ui.render import scorecard_props
from coach.ui.review import (
    chart_alt_text,
    escalation_chart_svg,
    review_document,
    review_markdown,
    turn_scores,
)

SCORECARD_TITLE = "Scorecard"


def props_of(view: Any) -> dict[str, Any]:
    """Scorecard props of a session view."""
    return scorecard_props(
        rubric=view.rubric,
        scenario=view.scenario,
        persona=view.persona,
        scorecard=view.scorecard,
        ledger=view.ledger,
        level=view.level,
        level_name=view.level_name,
        mode=view.mode,
        hint=view.last_hint,
        backend=view.backend,
        trainee_turns=len(view.transcript.trainee_turns()),
        ended=view.ended,
    )


async def show_scorecard(view: Any) -> None:
    """Open (or refresh) the scorecard in the element sidebar."""
    element = cl.CustomElement(name="Scorecard", props=props_of(view), display="inline")
    await cl.ElementSidebar.set_title(SCORECARD_TITLE)
    await cl.ElementSidebar.set_elements([element])


def review_message(view: Any, review: Any) -> cl.Message:
    """The after-action review: markdown, the chart, and the two downloads."""
    transcript = view.transcript
    escalation = list(review.escalation_path)
    scores = turn_scores(transcript)
    svg = escalation_chart_svg(escalation, scores, max_level=len(view.persona.ladder.levels) - 1)
    stem = f"coach-{view.persona.id}-{view.session_id[:8]}"
    elements: list[Any] = [
        cl.Image(
            name="escalation-chart.svg",
            content=svg.encode("utf-8"),
            mime="image/svg+xml",
            display="inline",
            size="large",
        ),
        cl.File(
            name=f"{stem}-transcript.json",
            content=transcript.to_json().encode("utf-8"),
            mime="application/json",
            display="inline",
        ),
        cl.File(
            name=f"{stem}-review.md",
            content=review_document(review, transcript).encode("utf-8"),
            mime="text/markdown",
            display="inline",
        ),
    ]
    content = (
        review_markdown(review, transcript)
        + f"\n\n*Chart: {chart_alt_text(escalation, scores)}*"
        + "\n\nDownloads: the transcript (interchange JSON) and this review are attached."
    )
    return cl.Message(content=content, author="Coach", elements=elements)
