"""`coach chat` scripted through stdin, on the shipped library and the offline backend."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from coach.cli import main
from coach.domain.transcript import load_transcript

REPO = Path(__file__).resolve().parents[2]

CONCEDING = [
    "We could accept a pause in new listings while we talk.",
    "Fine, a joint working group can review the three firms.",
    "All right, we can take Dalun Semiconductor off the list as a gesture.",
    "If it helps, we could consider a licence exemption for your buyers.",
    "Very well, we will consult you before any new Harbour Group measure.",
    "We accept. Let us suspend the controls for your end users.",
]
FIRM = [
    "Our export controls are not on the table. We can talk about licence timelines.",
    "No. We will not pause listings, but we can explain our criteria case by case.",
    "What evidence do you have that the firms were listed wrongly?",
    "Our partners in the Harbour Group are consulted on every measure; that will not change.",
    "We propose a technical dialogue every quarter, with written answers on each case.",
    "Our position is unchanged. We can meet again next month.",
]


def run_chat(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lines: list[str]) -> dict:
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COACH_LIBRARY_DIR", str(REPO))
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    out = tmp_path / "t.json"
    assert main(["chat", "--persona", "vice-minister-lum", "--transcript-out", str(out)]) == 0
    load_transcript(out)  # a valid interchange transcript
    return json.loads(out.read_text(encoding="utf-8"))


def tactics_of(transcript: dict) -> list[list[str]]:
    return [t["tactics"] for t in transcript["turns"] if t["speaker"] == "counterpart"]


def test_six_piped_lines_give_a_labelled_interchange_transcript(monkeypatch, tmp_path) -> None:
    data = run_chat(monkeypatch, tmp_path, FIRM)
    speakers = [t["speaker"] for t in data["turns"]]
    assert speakers == ["counterpart", "trainee"] * 6 + ["counterpart"]
    for turn in data["turns"]:
        if turn["speaker"] == "trainee":
            assert set(turn["labels"]) >= {"tone", "escalation", "red_line_breaches", "judge"}
        else:
            assert isinstance(turn["tactics"], list) and turn["text"]
    assert {r["id"] for r in data["scenario"]["red_lines"]}


def test_a_conceding_trainee_meets_salami_and_a_firm_one_does_not(monkeypatch, tmp_path) -> None:
    conceding = tactics_of(run_chat(monkeypatch, tmp_path / "c", CONCEDING))
    firm = tactics_of(run_chat(monkeypatch, tmp_path / "f", FIRM))
    salami_when_conceding = sum("salami_slicing" in t for t in conceding[1:])
    salami_when_firm = sum("salami_slicing" in t for t in firm[1:])
    assert salami_when_conceding >= 4, conceding
    assert salami_when_firm == 0, firm
    assert conceding != firm


def test_rejected_lines_are_reported_and_the_session_goes_on(monkeypatch, tmp_path, capsys):
    data = run_chat(monkeypatch, tmp_path, ["", "x" * 5000, FIRM[0]])
    printed = capsys.readouterr().out
    assert "[not sent]" in printed and "limit is 4,000" in printed
    assert sum(t["speaker"] == "trainee" for t in data["turns"]) == 1


def test_review_text_says_why_a_criterion_is_unscored() -> None:
    from types import SimpleNamespace

    from coach.cli.chat import review_text
    from coach.domain.assessment import CriterionResult, SessionReview

    arc = CriterionResult(criterion="arc", name="Arc", weight=1, score=None, reason="no measure")
    tone = CriterionResult(criterion="tone", name="Tone", weight=1, score=4.0, quotes=["No."])
    view = SimpleNamespace(
        review=SessionReview(passed=True, outcome="Passed.", overall=4.0, criteria=[tone, arc])
    )
    text = review_text(view)  # type: ignore[arg-type]
    assert "Arc                unscored\n      (no measure)" in text
    assert "(no measure)" not in text.split("Arc")[0]  # a scored criterion gives no reason


def test_with_an_llm_judge_the_review_is_announced_and_scored_by_it(
    monkeypatch, tmp_path, capsys
) -> None:
    from tests.cli.test_eval import verdict_for
    from tests.support.stub_server import Call, StubServer

    def reply(body: dict) -> str:
        if "response_format" in body:  # the judge
            return verdict_for(body)
        return "We require the listing withdrawn by Friday."

    with StubServer(default_reply=Call(reply)) as stub:  # type: ignore[arg-type]
        monkeypatch.setenv("OPENAI_BASE_URL", stub.url)
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        monkeypatch.setenv("COACH_EVALUATOR_MODEL", "stub-judge")
        data = run_chat(monkeypatch, tmp_path, FIRM[:2])
    out = capsys.readouterr().out
    assert "(writing the after-action review: one more call to the judge)" in out
    trainee = [t for t in data["turns"] if t["speaker"] == "trainee"]
    assert all(t["labels"]["judge"] == "llm:openai/stub-judge" for t in trainee)
    assert "Coalitions, legitimacy and international law 3.0/5" in out  # the stub's session score
