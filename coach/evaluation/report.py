"""Writing an evaluation run to a folder: labelled transcripts, summary, CSV and HTML report.

DIR/transcripts/<source file name>   labelled transcripts (interchange format, extras kept)
DIR/summary.json                     run facts, per-transcript scores, aggregates, agreement
DIR/scores.csv                       one row per transcript x criterion
DIR/report.html                      self-contained report (inline CSS and SVG only)
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from coach.domain.rubric import Measure, Rubric
from coach.evaluation.batch import BatchResult, EvaluatedTranscript
from coach.evaluation.report_html import render_html
from coach.evaluation.scoring import aggregate

CSV_COLUMNS = [
    "file",
    "transcript_id",
    "scenario",
    "criterion",
    "score",
    "overall",
    "passed",
]


def session_summary(e: EvaluatedTranscript, rubric: Rubric) -> dict[str, Any]:
    """One transcript's scores (rubric-weighted, blockers applied), breaches and unscored turns."""
    labelled = [(i, t.labels) for i, t in e.predicted.trainee_turns() if t.labels is not None]
    said = [e.predicted.turns[i].text for i, _ in labelled]
    scores = aggregate(rubric, labelled, said, e.session or None)
    red_line_ids = {c.id for c in rubric.criteria if c.measure == Measure.RED_LINES}
    breaches: list[dict[str, Any]] = []
    for i, labels in labelled:
        quote = next(
            (
                c.evidence
                for c in labels.criteria or []
                if c.criterion in red_line_ids and c.evidence
            ),
            e.predicted.turns[i].text,
        )
        breaches.extend(
            {"red_line": r, "turn_index": i, "quote": quote} for r in labels.red_line_breaches
        )
    reasons = list(scores.blockers)
    if scores.overall is None:
        reasons.append("no criterion could be scored")
    elif scores.overall < rubric.pass_mark:
        reasons.append(f"overall {scores.overall} is below the pass mark {rubric.pass_mark}")
    return {
        "file": e.out_name,
        "source": str(e.path),
        "transcript_id": e.predicted.id,
        "scenario": e.predicted.scenario.id,
        "overall": scores.overall,
        "passed": scores.passed,
        "fail_reasons": reasons,
        "criteria": [
            {"criterion": c.criterion, "name": c.name, "weight": c.weight, "score": c.score}
            | ({"judge": c.judge, "reason": c.reason} if c.judge or c.reason else {})
            for c in scores.criteria
        ],
        "breaches": breaches,
        "unscored_turns": sum(1 for _, lab in labelled if lab.unscored_reason),
    }


def build_summary(result: BatchResult) -> dict[str, Any]:
    """Everything the report shows, as JSON-ready data."""
    rubric = result.rubric
    sessions = [session_summary(e, rubric) for e in result.evaluated]
    histograms: dict[str, Counter[int]] = {c.id: Counter() for c in rubric.criteria}
    judges: Counter[str] = Counter()
    for e in result.evaluated:
        for _, turn in e.predicted.trainee_turns():
            if turn.labels is None:
                continue
            judges[_judge_kind(turn.labels.judge)] += 1
            for cs in turn.labels.criteria or []:
                if cs.score is not None and cs.criterion in histograms:
                    histograms[cs.criterion][cs.score] += 1
    gold = [e for e in result.evaluated if e.has_gold]
    return {
        "judge": result.judge,
        "rubric": {"id": rubric.id, "title": rubric.title, "pass_mark": rubric.pass_mark},
        "files": {"evaluated": len(result.evaluated), "failed": len(result.failures)},
        "failures": [{"path": str(f.path), "problems": f.problems} for f in result.failures],
        "turns": {
            "judged": result.judged_turns,
            "from_cache": result.cached_turns,
            "trainee_turns_by_judge": dict(sorted(judges.items())),
            "unscored": sum(s["unscored_turns"] for s in sessions),
        },
        "criteria": [
            {
                "id": c.id,
                "name": c.name,
                "weight": c.weight,
                "blocker": c.blocker,
                "applies_to": c.applies_to,
                "turn_score_histogram": {str(k): histograms[c.id][k] for k in range(1, 6)},
                "mean_session_score": _mean(
                    [
                        sc["score"]
                        for s in sessions
                        for sc in s["criteria"]
                        if sc["criterion"] == c.id
                    ]
                ),
            }
            for c in rubric.criteria
        ],
        "scenarios": _by_scenario(sessions),
        "transcripts": sessions,
        "gold_transcripts": len(gold),
        "agreement": result.agreement(),
    }


def _judge_kind(judge: str | None) -> str:
    if not judge:
        return "unknown"
    return "fallback" if "(fallback:" in judge else judge


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 3) if present else None


def _by_scenario(sessions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in sessions:
        groups[s["scenario"]].append(s)
    rows = []
    for scenario, items in sorted(groups.items()):
        criteria: dict[str, list[float | None]] = defaultdict(list)
        for s in items:
            for c in s["criteria"]:
                criteria[c["criterion"]].append(c["score"])
        rows.append({
            "scenario": scenario,
            "transcripts": len(items),
            "passed": sum(s["passed"] for s in items),
            "breaches": sum(len(s["breaches"]) for s in items),
            "mean_overall": _mean([s["overall"] for s in items]),
            "criteria": {k: _mean(v) for k, v in criteria.items()},
        })  # fmt: skip
    return rows


def write_csv(path: Path, summary: dict[str, Any]) -> None:
    """scores.csv: one row per transcript x criterion."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for t in summary["transcripts"]:
            for c in t["criteria"]:
                writer.writerow([
                    t["file"], t["transcript_id"], t["scenario"], c["criterion"],
                    "" if c["score"] is None else c["score"],
                    "" if t["overall"] is None else t["overall"],
                    "yes" if t["passed"] else "no",
                ])  # fmt: skip


def write_report(result: BatchResult, out_dir: Path) -> dict[str, Any]:
    """Write every output file under `out_dir`; returns the summary."""
    out_dir = Path(out_dir)
    (out_dir / "transcripts").mkdir(parents=True, exist_ok=True)
    for e in result.evaluated:
        (out_dir / "transcripts" / e.out_name).write_text(e.predicted.to_json(), encoding="utf-8")
    summary = build_summary(result)
    (out_dir / "summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    write_csv(out_dir / "scores.csv", summary)
    (out_dir / "report.html").write_text(render_html(summary), encoding="utf-8")
    return summary
