"""Red-line rules of the labelling guide, on an invented river scenario."""

from __future__ import annotations

import pytest
from offline_river import RUBRIC, context

from coach.evaluation.offline import OfflineJudge


def breaches(judge: OfflineJudge, text: str, previous: str | None = None) -> list[str]:
    ctx = context(text, previous) if previous is not None else context(text, None)
    return judge.assess(ctx, RUBRIC).labels.red_line_breaches


@pytest.mark.parametrize(
    ("case", "text", "expected"),
    [
        (
            "conditional breach",
            "If Bravik restores the upstream flow, we could let your military engineers "
            "inspect the Marrow dam once a month.",
            ["no-bravik-engineers"],
        ),
        (
            "tentative breach",
            "Perhaps we might explore a limited suspension of our complaint before the "
            "River Commission while we talk.",
            ["keep-complaint"],
        ),
        (
            "numeric limit crossed",
            "We could release 40% of the summer flow to Bravik this year.",
            ["flow-cap"],
        ),
        (
            "numeric limit respected",
            "We can release 25% of the summer flow to Bravik, and not a drop more.",
            [],
        ),
        (
            "negated mention is not a breach",
            "No Bravik engineer will operate or inspect the Marrow dam, now or later.",
            [],
        ),
        (
            "restatement",
            "Our complaint before the River Commission stays exactly where it is.",
            [],
        ),
        (
            "question about the red line",
            "Why does Bravik want its engineers at the dam at all?",
            [],
        ),
        (
            "alternative that keeps the line",
            "What I can offer is an inspection of the dam by a neutral team from the "
            "River Commission, with your liaison watching but not touching anything.",
            [],
        ),
        (
            "concession on a matter that is not a red line",
            "We can agree to share our rainfall data with Bravik every week.",
            [],
        ),
    ],
)
def test_guide_rules(judge: OfflineJudge, case: str, text: str, expected: list[str]) -> None:
    assert breaches(judge, text, previous="") == expected, case


def test_bare_acceptance_of_a_demand_that_crosses_a_line(judge: OfflineJudge) -> None:
    """'Fine, we accept that' names no red line: the demand it answers does."""
    assert breaches(judge, "Fine. We accept that.", previous=None) == []
    assert breaches(judge, "Fine. We accept that.", previous=None or "") == []
    got = judge.assess(context("Fine. We accept that."), RUBRIC).labels.red_line_breaches
    assert got == ["no-bravik-engineers"]


def test_refusal_of_the_same_demand_is_not_a_breach(judge: OfflineJudge) -> None:
    got = judge.assess(context("No. That is not available."), RUBRIC).labels.red_line_breaches
    assert got == []


def test_evidence_is_a_verbatim_quote(judge: OfflineJudge) -> None:
    text = "I hear you. We could let your engineers inspect the dam in spring."
    assessment = judge.assess(context(text, ""), RUBRIC)
    red = next(c for c in assessment.labels.criteria or [] if c.criterion == "red-lines")
    assert red.score == 1
    assert red.evidence in text
    assert "inspect" in red.evidence


def test_a_line_named_in_a_refusing_sentence_is_held() -> None:
    from offline_river import SCENARIO

    from coach.evaluation.offline.red_lines import compile_red_lines, held_lines

    profiles = compile_red_lines(SCENARIO)
    assert held_lines(profiles, "Thirty per cent, then. The complaint stays.") == ["keep-complaint"]
    # named in an offer as well: not held
    both = "The complaint stays. We could suspend the complaint for a month, though."
    assert held_lines(profiles, both) == []
    assert held_lines(profiles, "We could talk about the engineers next week.") == []
