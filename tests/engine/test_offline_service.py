"""The shipped offline service: the counterpart and the coach agree on what was conceded."""

from __future__ import annotations

from pathlib import Path

from tests.redteam.support import service


async def test_offline_the_counterpart_and_the_coach_read_the_same_verdict(tmp_path: Path) -> None:
    """Fully offline, the strategist acts on the judge's own verdict: a turn the coach marks
    as giving up a red line is a concession for the counterpart too."""
    svc = await service(tmp_path)
    assert svc.quick_judge is svc.judge
    view = await svc.start(user="ana", persona_id="minister-tesk")
    out = await svc.send(view.session_id, "Fine. We accept all of it, whatever you need.")
    values = await svc._values(view.session_id)
    assessment = values["assessments"][str(len(view.transcript.turns))]
    assert values["ledger"], "the turn should give up a red line"
    assert "concedes" in assessment["signals"]
    assert out.reply is not None and (out.reply.model_extra or {})["reaction"] == "press"
    await svc.aclose()


async def test_the_review_and_the_scorecard_score_the_session_criterion(tmp_path: Path) -> None:
    """Coalitions, legitimacy and law is read over the whole session, not left unscored."""
    svc = await service(tmp_path)
    view = await svc.start(user="ana", persona_id="minister-tesk")
    await svc.send(view.session_id, "We stand on the treaty; Article 4 is clear.")
    out = await svc.send(view.session_id, "Our partners have been briefed and agree with us.")
    assert out.view.scorecard["coalitions-legitimacy"] == 4.0
    review = (await svc.end(view.session_id)).criteria
    legit = next(c for c in review if c.criterion == "coalitions-legitimacy")
    assert legit.score == 4.0 and legit.quotes
    await svc.aclose()


async def test_a_breach_hint_quotes_the_words_that_gave_the_line_up(tmp_path: Path) -> None:
    svc = await service(tmp_path)
    view = await svc.start(user="ana", persona_id="minister-tesk")
    out = await svc.send(
        view.session_id, "Good morning. Fine. We accept all of it, whatever you need."
    )
    hint = out.hint or ""
    assert "Red line given up" in hint
    assert '"Fine." gave it up' in hint or '"We accept all of it, whatever you need." gave' in hint
    assert '"Good morning."' not in hint
    await svc.aclose()
