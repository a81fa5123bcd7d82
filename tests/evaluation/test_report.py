"""The report folder: labelled transcripts, summary.json, scores.csv, a self-contained HTML page."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from coach.domain.rubric import Rubric
from coach.domain.transcript import CriterionScore, Transcript, load_transcript
from coach.evaluation.batch import BatchResult, EvaluatedTranscript, LoadFailure
from coach.evaluation.report import write_report

OWN = Path(__file__).resolve().parents[2] / "evals" / "transcripts"
LEVELS = {i: f"descriptor for level {i}" for i in range(1, 6)}
RUBRIC = Rubric.model_validate({
    "id": "report-test",
    "title": "Report test rubric",
    "pass_mark": 3.0,
    "criteria": [
        {"id": "composure", "name": "Composure", "description": "Stays calm under pressure.",
         "weight": 1, "measure": "tone", "levels": LEVELS},
        {"id": "red-lines", "name": "Red lines", "description": "Keeps every red line intact.",
         "weight": 2, "measure": "red_lines", "blocker": True, "levels": LEVELS},
    ],
})  # fmt: skip
EXTERNAL = re.compile(r"(src|href|action)\s*=\s*[\"']?\s*(https?:)?//|url\(|@import|<script|<link")


def labelled(path: Path, score: int = 5) -> Transcript:
    """The gold transcript with criterion scores added, as a judge would (breaches kept)."""
    t = load_transcript(path)
    for turn in t.turns:
        if turn.speaker == "trainee":
            if turn.labels is None:
                from coach.domain.transcript import TurnLabels

                turn.labels = TurnLabels(tone=4, escalation=0)
            evidence = turn.text.split(".")[0] if turn.labels.red_line_breaches else ""
            turn.labels.judge = "test"
            turn.labels.criteria = [
                CriterionScore(criterion="composure", score=score, evidence=""),
                CriterionScore(criterion="red-lines", score=score, evidence=evidence),
            ]
    return t


def make_result() -> BatchResult:
    evaluated = [
        EvaluatedTranscript(path=p, out_name=p.name, gold=load_transcript(p), predicted=labelled(p))
        for p in sorted(OWN.glob("*.json"))
    ]
    failures = [LoadFailure(Path("in/bad.json"), ["in/bad.json: turns[1].labels.tone: too big"])]
    return BatchResult(
        judge="test", rubric=RUBRIC, evaluated=evaluated, failures=failures, judged_turns=14
    )


def test_report_files(tmp_path: Path) -> None:
    summary = write_report(make_result(), tmp_path)
    names = sorted(p.name for p in (tmp_path / "transcripts").iterdir())
    assert names == sorted(p.name for p in OWN.glob("*.json"))
    copy = json.loads((tmp_path / "transcripts" / "orbital-station-unlabelled.json").read_text())
    assert copy["recorded_by"] == "practice session (no gold labels)"  # extras kept
    assert json.loads((tmp_path / "summary.json").read_text()) == summary
    assert summary["files"] == {"evaluated": 4, "failed": 1}
    assert summary["gold_transcripts"] == 3
    assert summary["agreement"]["red_line"]["f1"] == 1.0
    with (tmp_path / "scores.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4 * len(RUBRIC.criteria)
    assert list(rows[0]) == [
        "file", "transcript_id", "scenario", "criterion", "score", "overall", "passed",
    ]  # fmt: skip


def test_breach_fails_the_session_whatever_the_scores(tmp_path: Path) -> None:
    summary = write_report(make_result(), tmp_path)
    by_id = {t["transcript_id"]: t for t in summary["transcripts"]}
    assert by_id["river-dam-02"]["overall"] == 5.0 and by_id["river-dam-02"]["passed"]
    breached = by_id["river-dam-01"]
    assert breached["overall"] == 5.0 and not breached["passed"]
    assert any("no-flow-below-treaty" in r for r in breached["fail_reasons"])
    assert breached["breaches"] == [{
        "red_line": "no-flow-below-treaty", "turn_index": 3,
        "quote": "Perhaps we could live with 250 for one summer if the compensation is generous",
    }]  # fmt: skip
    orbital = by_id["orbital-station-01"]
    assert orbital["breaches"][0]["red_line"] == "no-raw-data-access"
    # the CSV says the same
    with (tmp_path / "scores.csv").open(newline="") as fh:
        verdicts = {r["transcript_id"]: r["passed"] for r in csv.DictReader(fh)}
    assert verdicts["river-dam-01"] == "no" and verdicts["river-dam-02"] == "yes"


def test_weighted_overall_and_pass_mark(tmp_path: Path) -> None:
    result = make_result()
    e = next(x for x in result.evaluated if x.gold.id == "river-dam-02")
    for _, turn in e.predicted.trainee_turns():
        assert turn.labels and turn.labels.criteria
        turn.labels.criteria[0].score = 1  # composure, weight 1
        turn.labels.criteria[1].score = 3  # red lines, weight 2
    summary = write_report(result, tmp_path)
    row = next(t for t in summary["transcripts"] if t["transcript_id"] == "river-dam-02")
    assert row["overall"] == round((1 * 1 + 3 * 2) / 3, 2)
    assert not row["passed"] and "below the pass mark" in row["fail_reasons"][-1]


def test_html_is_self_contained_and_shows_everything(tmp_path: Path) -> None:
    write_report(make_result(), tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert "http://" not in html and "https://" not in html
    assert html.count("<svg") >= len(RUBRIC.criteria) + 1  # histograms + scenario bars
    assert "Perhaps we could live with 250" in html  # the breach quote
    assert "in/bad.json: turns[1].labels.tone: too big" in html  # the failed file
    assert "Agreement with gold labels" in html and "QWK" in html
    for scenario in ("river-dam", "orbital-station"):
        assert scenario in html


def test_html_escapes_transcript_text(tmp_path: Path) -> None:
    result = make_result()
    e = next(x for x in result.evaluated if x.gold.id == "river-dam-01")
    e.predicted.turns[3].text = '<script src="https://evil.example/x.js"></script> we give in'
    labels = e.predicted.turns[3].labels
    assert labels and labels.criteria
    labels.criteria[1].evidence = ""
    write_report(result, tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script" in html
