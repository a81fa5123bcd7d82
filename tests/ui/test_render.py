"""Pure rendering: the brief, the scorecard props, input checks, the review and its chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from coach.domain.assessment import CriterionResult
from coach.ui import render, review
from tests.ui import factories as f


def test_brief_has_role_objectives_red_lines_fallback_facts_and_backend() -> None:
    text = render.brief_markdown(
        f.persona(), f.scenario(), mode="practice", difficulty="hard", backend="offline X"
    )
    for expected in [
        "Envoy of Amrana",
        "Orla Test, Minister of Ports",
        "Keep the harbour open",
        "We never cede the harbour to Tarsen.",
        "Refer the dispute to the regional court",
        "A joint port authority",
        "40% of trade",
        "**Difficulty:** hard",
        "**Backend:** offline X",
        "/brief",
    ]:
        assert expected in text


def _props(mode: str, *, ended: bool = False) -> dict:
    return render.scorecard_props(
        rubric=f.rubric(),
        scenario=f.scenario(),
        persona=f.persona(),
        scorecard={"calm": 3.456, "red-lines": None},
        ledger=[{"red_line": "no-veto", "turn_index": 3, "quote": "Fine."}],
        level=2,
        level_name="Ultimatum",
        mode=mode,
        hint="should not show",
        backend="offline",
        trainee_turns=2,
        ended=ended,
    )


def test_scorecard_props_mark_breaches_and_round_scores() -> None:
    props = _props("practice")
    assert props["level"] == {"index": 2, "name": "Ultimatum", "max": 2}
    assert props["criteria"][0]["score"] == 3.5 and props["criteria"][1]["score"] is None
    assert props["criteria"][1]["blocker"] is True
    assert props["scoresHidden"] is False
    by_id = {r["id"]: r for r in props["redLines"]}
    assert by_id["no-veto"]["breached"] and by_id["no-veto"]["turn"] == 3
    assert not by_id["no-cession"]["breached"]
    assert "breached: no-veto" in render.scorecard_summary(props)
    assert "3.5" in render.scorecard_summary(props)


def test_exam_hides_hints_and_scores_until_the_session_ends() -> None:
    props = _props("exam")
    assert props["hint"] is None
    assert props["scoresHidden"] is True
    assert all(c["score"] is None for c in props["criteria"])
    assert {r["id"]: r["breached"] for r in props["redLines"]}["no-veto"]  # still shown
    assert "hidden until the review" in render.scorecard_summary(props)
    ended = _props("exam", ended=True)
    assert ended["scoresHidden"] is False and ended["criteria"][0]["score"] == 3.5


def test_scorecard_props_show_hint_in_practice() -> None:
    kwargs: dict = dict(
        rubric=f.rubric(),
        scenario=f.scenario(),
        persona=f.persona(),
        scorecard={},
        ledger=[],
        level=0,
        level_name="Opening",
        mode="practice",
        hint="Name the threat.",
        backend="offline",
        trainee_turns=0,
    )
    props = render.scorecard_props(**kwargs)
    assert props["hint"] == "Name the threat."
    ended = render.scorecard_props(**{**kwargs, "ended": True})
    assert ended["hint"] is None  # the review has taken over
    assert all(not r["breached"] for r in props["redLines"])
    assert "intact" in render.scorecard_summary(props)


def test_check_message_empty_and_too_long() -> None:
    assert "empty" in (render.check_message("  \n ", 4000) or "")
    too_long = render.check_message("x" * 100_000, 4000) or ""
    assert "100,000" in too_long and "4,000" in too_long and "Nothing was sent" in too_long
    assert render.check_message("We will not sign today.", 4000) is None


def test_review_markdown_has_verdict_breach_scores_quotes_and_moments() -> None:
    text = review.review_markdown(f.review(), f.transcript(2))
    assert "FAILED" in text and "no-veto" in text and "(move 2)" in text
    assert "| Calm | 1 | 3.5 | “My move 1.” |" in text
    assert "**Overall:** 2.50 / 5" in text  # as precise as the outcome sentence
    assert "Three moments" in text and "*Better:* Refuse the slice." in text
    assert "PASSED" in review.review_markdown(f.review(passed=True), f.transcript(2))


def test_turn_scores_and_move_numbers() -> None:
    t = f.transcript(2)
    assert review.turn_scores(t) == [3.0, 4.0]
    assert review.move_number(t, 1) == 1 and review.move_number(t, 3) == 2


def test_chart_is_well_formed_svg_with_both_series() -> None:
    svg = review.escalation_chart_svg([0, 1, 2], [3.0, None, 4.0], max_level=2)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    series = {el.get("data-series"): el for el in root.iter() if el.get("data-series")}
    assert set(series) == {"level", "score"}
    assert len(series["level"].get("points", "").split()) == 3
    assert len(series["score"].get("points", "").split()) == 2  # the unscored move is skipped
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched


def test_chart_with_no_moves_is_still_valid() -> None:
    ET.fromstring(review.escalation_chart_svg([], [], max_level=0))


def test_review_document_contains_transcript_and_json() -> None:
    doc = review.review_document(f.review(), f.transcript(1))
    assert "**trainee:** My move 1." in doc and '"passed": false' in doc


def test_chart_puts_the_opening_level_before_the_first_move() -> None:
    svg = review.escalation_chart_svg([0, 1, 2], [4.0, 3.5], max_level=3)
    root = ET.fromstring(svg)
    labels = [
        t.text for t in root.iter() if t.tag.endswith("text") and t.get("text-anchor") == "middle"
    ]
    assert labels[:3] == ["open", "1", "2"]
    series = {
        el.get("data-series"): el.get("points", "") for el in root.iter() if el.get("data-series")
    }
    first_level_x = series["level"].split()[1].split(",")[0]
    first_score_x = series["score"].split()[0].split(",")[0]
    assert first_level_x == first_score_x  # move 1's score sits on move 1


def test_line_recap_shows_the_last_exchanges_with_move_numbers() -> None:
    recap = render.line_recap(f.transcript(3), "Minister Test", exchanges=2)
    assert recap.startswith("> …")
    assert "**You (move 2):** My move 2." in recap and "**You (move 3):** My move 3." in recap
    assert "move 1" not in recap
    assert "**Minister Test:**" in recap
    whole = render.line_recap(f.transcript(1), "Minister Test")
    assert whole.startswith("> **Minister Test:** Give me the harbour.")
    assert "**You (move 1):** My move 1." in whole


def test_review_markdown_says_why_a_criterion_is_unscored() -> None:
    data = f.review()
    arc = CriterionResult(
        criterion="arc", name="Arc", weight=1, score=None, reason="no offline measure reads it"
    )
    text = review.review_markdown(
        data.model_copy(update={"criteria": [*data.criteria, arc]}), f.transcript(2)
    )
    assert "*Not scored:*\n- Arc: no offline measure reads it" in text
    assert "Red lines:" not in text  # unscored without a reason: no empty excuse
