"""The session graph end to end through SessionService, with the marker judge."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.config import Settings
from coach.domain.errors import UserError
from coach.engine.session import SessionService
from tests.engine.fixtures import FixedLibrary
from tests.engine.judges import MarkerJudge


async def service(tmp_path: Path, **kwargs) -> SessionService:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path)
    return await SessionService.open(settings, FixedLibrary(), quick_judge=MarkerJudge(), **kwargs)


def counterpart_tactics(view) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [t.tactics for t in view.transcript.turns if t.speaker == "counterpart"]


async def test_opening_move_is_spoken_with_its_tactics(tmp_path: Path) -> None:
    svc = await service(tmp_path)
    view = await svc.start(user="ana", persona_id="deputy-vorn")
    assert [t.speaker for t in view.transcript.turns] == ["counterpart"]
    assert view.transcript.turns[0].tactics == ["extreme_anchor"]
    assert view.transcript.turns[0].text
    await svc.aclose()


async def test_concession_meets_salami_and_firmness_meets_a_switch(tmp_path: Path) -> None:
    svc = await service(tmp_path)
    view = await svc.start(user="ana", persona_id="deputy-vorn")
    out = await svc.send(view.session_id, "We could accept that. [concede]")
    assert out.reply is not None and out.reply.tactics[0] == "salami_slicing"
    out = await svc.send(view.session_id, "No. [firm]")
    assert out.reply is not None and "salami_slicing" not in out.reply.tactics
    assert (out.reply.model_extra or {})["reaction"] == "switch"
    await svc.aclose()


async def test_salami_slicing_quotes_what_the_trainee_conceded(tmp_path: Path) -> None:
    """The counterpart builds on the trainee's own words, not on the demand it had made."""
    svc = await service(tmp_path)
    view = await svc.start(user="ana", persona_id="deputy-vorn")
    out = await svc.send(
        view.session_id, "[concede] Good morning. We could look at a joint safety inspection."
    )
    assert out.reply is not None and out.reply.tactics[0] == "salami_slicing"
    assert '"we could look at a joint safety inspection"' in out.reply.text
    assert "5% toll surcharge" not in out.reply.text  # the demand it never got
    # a firm turn keeps the quote: the next slice still builds on the same words
    out = await svc.send(view.session_id, "No. [firm]")
    assert (await svc._values(view.session_id))["plan"]["conceded"] == (
        "We could look at a joint safety inspection."
    )
    await svc.aclose()


async def test_escalation_and_naming_get_their_responses(tmp_path: Path) -> None:
    svc = await service(tmp_path)
    view = await svc.start(user="ana", persona_id="deputy-vorn")
    out = await svc.send(view.session_id, "Then we will block your trucks. [escalate]")
    assert out.view.level == 1
    assert (out.reply.model_extra or {})["reaction"] == "counter"  # type: ignore[union-attr]
    out = await svc.send(view.session_id, "That is an artificial deadline. [name]")
    assert (out.reply.model_extra or {})["reaction"] == "deny"  # type: ignore[union-attr]
    await svc.aclose()


async def test_rejected_input_changes_nothing(tmp_path: Path) -> None:
    svc = await service(tmp_path)
    view = await svc.start(user="ana", persona_id="deputy-vorn")
    for bad in ["", "   ", "x" * 4001, "hello\x00there", "x" * 100_000]:
        out = await svc.send(view.session_id, bad)
        assert not out.accepted and out.error
    assert len((await svc.view(view.session_id)).transcript.turns) == 1
    out = await svc.send(view.session_id, "Now a real message. [firm]")
    assert out.accepted and len(out.view.transcript.turns) == 3
    await svc.aclose()


async def test_breach_is_in_the_ledger_and_fails_the_review(tmp_path: Path) -> None:
    svc = await service(tmp_path)
    view = await svc.start(user="ana", persona_id="deputy-vorn")
    await svc.send(view.session_id, "Fine, a surcharge. [concede] [breach:no-toll-surcharge]")
    now = await svc.view(view.session_id)
    assert now.ledger == [
        {
            "red_line": "no-toll-surcharge",
            "turn_index": 1,
            "quote": "Fine, a surcharge. [concede] [breach:no-toll-surcharge]",
        }
    ]
    review = await svc.end(view.session_id)
    assert not review.passed and "no-toll-surcharge" in review.outcome
    assert review.moments and review.moments[0].turn_index == 1
    await svc.aclose()


async def test_exam_mode_gives_no_hints(tmp_path: Path) -> None:
    svc = await service(tmp_path)
    practice = await svc.start(user="ana", persona_id="deputy-vorn")
    exam = await svc.start(user="ana", persona_id="deputy-vorn", mode="exam")
    assert (await svc.send(practice.session_id, "No. [firm]")).hint
    assert (await svc.send(exam.session_id, "No. [firm]")).hint is None
    await svc.aclose()


async def test_session_resumes_after_a_restart(tmp_path: Path) -> None:
    svc = await service(tmp_path)
    view = await svc.start(user="ana", persona_id="deputy-vorn")
    await svc.send(view.session_id, "No. [firm]")
    await svc.aclose()
    again = await service(tmp_path)
    resumed = await again.view(view.session_id)
    assert len(resumed.transcript.turns) == 3
    out = await again.send(view.session_id, "Still no. [firm]")
    assert len(out.view.transcript.turns) == 5
    assert [s.session_id for s in await again.sessions_of("ana")] == [view.session_id]
    assert await again.sessions_of("bob") == []
    await again.aclose()


async def test_rewind_branches_and_keeps_the_old_line(tmp_path: Path) -> None:
    svc = await service(tmp_path)
    view = await svc.start(user="ana", persona_id="deputy-vorn")
    sid = view.session_id
    await svc.send(sid, "First. [firm]")
    await svc.send(sid, "Second, we give in. [concede]")
    await svc.send(sid, "Third. [firm]")
    rewound = await svc.rewind(sid, 2)
    assert rewound.trainee_turns == 1
    out = await svc.send(sid, "Second, differently. [firm]")
    texts = [t.text for t in out.view.transcript.turns if t.speaker == "trainee"]
    assert texts == ["First. [firm]", "Second, differently. [firm]"]
    tips = await svc.branches(sid)
    assert len(tips) == 2
    assert sum(b.current for b in tips) == 1
    old = next(b for b in tips if not b.current)
    assert old.trainee_turns == 3
    back = await svc.checkout(sid, old.checkpoint_id)
    assert back.trainee_turns == 3
    with pytest.raises(Exception, match="cannot rewind"):
        await svc.rewind(sid, 9)
    await svc.aclose()


async def test_an_exam_cannot_be_rewound_or_switched(tmp_path: Path) -> None:
    svc = await service(tmp_path)
    exam = await svc.start(user="ana", persona_id="deputy-vorn", mode="exam")
    sid = exam.session_id
    await svc.send(sid, "First. [firm]")
    await svc.send(sid, "Second, we give in. [concede]")
    with pytest.raises(UserError, match="cannot rewind in exam mode"):
        await svc.rewind(sid, 2)
    tip = (await svc.branches(sid))[0]
    with pytest.raises(UserError, match="cannot switch attempts in exam mode"):
        await svc.checkout(sid, tip.checkpoint_id)
    assert (await svc.view(sid)).trainee_turns == 2  # nothing was lost or forked
    assert len(await svc.branches(sid)) == 1
    await svc.aclose()


async def test_offline_speaker_never_repeats_itself(tmp_path: Path) -> None:
    svc = await service(tmp_path)
    view = await svc.start(user="ana", persona_id="deputy-vorn")
    for i in range(12):
        await svc.send(view.session_id, f"No, point {i}. [firm]")
    final = await svc.view(view.session_id)
    said = [t.text for t in final.transcript.turns if t.speaker == "counterpart"]
    assert len(said) == len(set(said)) == 13
    await svc.aclose()


async def test_a_fixed_session_id_replays_the_same_offline_session(tmp_path: Path) -> None:
    texts = []
    for run in range(2):
        svc = await service(tmp_path / str(run))
        view = await svc.start(user="ana", persona_id="deputy-vorn", session_id="s-fixed")
        out = await svc.send(view.session_id, "No. [firm]")
        texts.append([t.text for t in out.view.transcript.turns])
        await svc.aclose()
    assert texts[0] == texts[1]
