"""Batch evaluation: gold hidden from the judge, malformed files reported, cache, concurrency."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from coach.domain.assessment import TurnAssessment
from coach.domain.rubric import Rubric
from coach.domain.transcript import CriterionScore, TurnLabels
from coach.evaluation.base import Judge, TurnContext
from coach.evaluation.batch import evaluate_files, strip_gold
from coach.evaluation.cache import JudgeCache
from coach.evaluation.llm_judge import LLMJudge
from coach.llm.base import ChatMessage
from coach.llm.fake import FunctionModel

OWN = Path(__file__).resolve().parents[2] / "evals" / "transcripts"
LEVELS = {i: f"descriptor for level {i}" for i in range(1, 6)}
RUBRIC = Rubric.model_validate({
    "id": "batch-test",
    "title": "Batch test rubric",
    "criteria": [
        {"id": "composure", "name": "Composure", "description": "Stays calm under pressure.",
         "weight": 1, "measure": "tone", "levels": LEVELS},
        {"id": "red-lines", "name": "Red lines", "description": "Keeps every red line intact.",
         "weight": 2, "measure": "red_lines", "blocker": True, "levels": LEVELS},
    ],
})  # fmt: skip


class RecordingJudge(Judge):
    """Records every context it is given; labels every trainee turn tone 4."""

    name = "recording"

    def __init__(self) -> None:
        self.contexts: list[TurnContext] = []

    async def assess_trainee_turn(self, ctx: TurnContext, rubric: Rubric) -> TurnAssessment:
        self.contexts.append(ctx)
        labels = TurnLabels(
            tone=4,
            escalation=0,
            judge=self.name,
            criteria=[CriterionScore(criterion=c.id, score=4) for c in rubric.criteria],
        )
        return TurnAssessment(turn_index=ctx.turn_index, labels=labels)

    async def tag_counterpart_turn(self, ctx: TurnContext) -> list[str]:
        self.contexts.append(ctx)
        return ["threat"]


def reply_for(messages: list[ChatMessage], json_schema: dict | None = None) -> str:
    """A valid verdict for whatever schema the judge sent."""
    assert json_schema is not None
    if json_schema["title"] == "TacticVerdict":
        return json.dumps({"reasoning": "r", "tactics": ["ultimatum"]})
    if json_schema["title"] == "SessionVerdict":
        names = json_schema["$defs"]["SessionCriteriaVerdicts"]["properties"]
        return json.dumps({"criteria": {c: {"reasoning": "r", "score": 3, "evidence": ""}
                                        for c in names}})  # fmt: skip
    criteria = json_schema["$defs"]["CriteriaVerdicts"]["properties"]
    return json.dumps({
        "criteria": {c: {"reasoning": "r", "score": 4, "evidence": ""} for c in criteria},
        "labels_reasoning": "r", "tone": 4, "escalation": 0,
        "red_line_breaches": [], "tactics_named": [],
    })  # fmt: skip


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Our own transcripts plus one malformed file (a trainee turn with a bad tone)."""
    target = tmp_path / "in"
    shutil.copytree(OWN, target)
    bad = json.loads((OWN / "river-dam-02.json").read_text("utf-8"))
    bad["turns"][1]["labels"]["tone"] = 9
    (target / "broken-tone.json").write_text(json.dumps(bad), encoding="utf-8")
    (target / "not-json.json").write_text("{ nope", encoding="utf-8")
    return target


async def test_judge_never_sees_gold_and_labels_are_filled(folder: Path) -> None:
    judge = RecordingJudge()
    result = await evaluate_files([folder], judge, RUBRIC)
    assert judge.contexts
    for ctx in judge.contexts:
        assert ctx.turn.labels is None and ctx.turn.tactics is None
        assert all(t.labels is None and t.tactics is None for t in ctx.history)
    for e in result.evaluated:
        for gold, pred in zip(e.gold.turns, e.predicted.turns, strict=True):
            assert gold.text == pred.text
            if pred.speaker == "trainee":
                assert pred.labels is not None and pred.labels.judge == "recording"
                assert pred.tactics is None
            else:
                assert pred.tactics == ["threat"] and pred.labels is None
                assert pred.model_extra == {"tactics_judge": "recording"}
    river = next(e for e in result.evaluated if e.gold.id == "river-dam-01")
    assert river.gold.turns[3].labels is not None
    assert river.gold.turns[3].labels.red_line_breaches == ["no-flow-below-treaty"]
    unlabelled = next(e for e in result.evaluated if e.gold.id == "orbital-station-unlabelled")
    assert not unlabelled.has_gold and unlabelled.predicted.model_extra == {
        "recorded_by": "practice session (no gold labels)"
    }


async def test_malformed_files_are_reported_and_the_others_evaluated(folder: Path) -> None:
    result = await evaluate_files([folder, folder / "missing.json"], RecordingJudge(), RUBRIC)
    assert len(result.evaluated) == 4
    problems = {f.path.name: " ".join(f.problems) for f in result.failures}
    assert set(problems) == {"broken-tone.json", "not-json.json", "missing.json"}
    assert "broken-tone.json" in problems["broken-tone.json"]
    assert "turns[1].labels.tone" in problems["broken-tone.json"]
    assert "invalid JSON" in problems["not-json.json"]
    assert "no such file" in problems["missing.json"]
    agreement = result.agreement()
    assert agreement is not None and agreement["transcripts"] == 3


def test_strip_gold_copies_without_labels(folder: Path) -> None:
    from coach.domain.transcript import load_transcript

    t = load_transcript(folder / "river-dam-01.json")
    clean = strip_gold(t.turns)
    assert all(c.labels is None and c.tactics is None for c in clean)
    assert t.turns[0].tactics  # the original is untouched


async def test_cache_answers_a_rerun_without_model_calls(folder: Path, tmp_path: Path) -> None:
    cache = JudgeCache.under(tmp_path / "data")
    first = FunctionModel(reply_for)
    run1 = await evaluate_files([OWN], LLMJudge(first, RecordingJudge()), RUBRIC, cache=cache)
    turns = sum(len(e.gold.turns) for e in run1.evaluated)
    assert len(first.requests) == turns == run1.judged_turns
    second = FunctionModel(reply_for)
    run2 = await evaluate_files([OWN], LLMJudge(second, RecordingJudge()), RUBRIC, cache=cache)
    assert second.requests == [] and run2.cached_turns == turns
    assert [e.predicted.to_dict() for e in run2.evaluated] == [
        e.predicted.to_dict() for e in run1.evaluated
    ]
    assert (tmp_path / "data" / "cache" / "judge").is_dir()
    # another rubric is another key: only the rubric-dependent trainee turns are asked again
    other = RUBRIC.model_copy(update={"pass_mark": 4.0})
    third = FunctionModel(reply_for)
    await evaluate_files([OWN], LLMJudge(third, RecordingJudge()), other, cache=cache)
    trainee_turns = sum(len(e.gold.trainee_turns()) for e in run1.evaluated)
    assert len(third.requests) == trainee_turns


async def test_fallback_verdicts_are_not_cached(tmp_path: Path) -> None:
    cache = JudgeCache.under(tmp_path)
    broken = FunctionModel(lambda messages: "not json")
    run1 = await evaluate_files([OWN], LLMJudge(broken, RecordingJudge()), RUBRIC, cache=cache)
    labels = [t.labels for e in run1.evaluated for _, t in e.predicted.trainee_turns()]
    assert all(lab and lab.unscored_reason and "fallback" in (lab.judge or "") for lab in labels)
    again = FunctionModel(reply_for)
    await evaluate_files([OWN], LLMJudge(again, RecordingJudge()), RUBRIC, cache=cache)
    assert len(again.requests) == run1.judged_turns


async def test_a_failed_session_call_is_not_cached(tmp_path: Path) -> None:
    """A session criterion no offline measure reads stays unscored when the call fails; it
    is marked as a fallback all the same, so a re-run asks the model again."""
    arc = RUBRIC.criteria[0].model_copy(
        update={"id": "arc", "name": "Arc", "applies_to": "session", "measure": None}
    )
    rubric = RUBRIC.model_copy(update={"criteria": [*RUBRIC.criteria, arc]})
    cache = JudgeCache.under(tmp_path)
    broken = FunctionModel(lambda messages: "not json")
    run1 = await evaluate_files([OWN], LLMJudge(broken, RecordingJudge()), rubric, cache=cache)
    for e in run1.evaluated:
        [result] = e.session
        assert result.score is None and (result.judge or "").startswith("unscored (fallback:")
    again = FunctionModel(reply_for)
    run2 = await evaluate_files([OWN], LLMJudge(again, RecordingJudge()), rubric, cache=cache)
    asked = [r for r in again.requests if "WHOLE session" in r[0].content]
    assert len(asked) == len(run1.evaluated)
    assert all(e.session[0].score == 3.0 for e in run2.evaluated)


@pytest.mark.parametrize("limit", [1, 3])
async def test_concurrency_is_bounded(limit: int) -> None:
    in_flight = peak = 0

    async def slow(messages: list[ChatMessage], json_schema: dict | None = None) -> str:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return reply_for(messages, json_schema)

    judge = LLMJudge(FunctionModel(slow), RecordingJudge())
    progress: list[tuple[int, int]] = []
    await evaluate_files(
        [OWN], judge, RUBRIC, concurrency=limit, progress=lambda d, t: progress.append((d, t))
    )
    assert peak == limit
    assert progress[-1][0] == progress[-1][1] == len(progress)
