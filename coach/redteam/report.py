"""Aggregate red-team runs per style, check that the rubric tells good play from bad, write
`redteam.json` and `redteam.md`."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from statistics import mean
from typing import Any

from pydantic import BaseModel, Field

from coach.redteam.results import RunResult

MARGIN = 0.5
"""How far below the firm style's mean overall the conceding style's mean must be."""

WEAK_STYLES = ("hothead", "evasive")
"""Styles a trainer would not want to pass; a pass is a warning, not a flag."""


class Flag(BaseModel):
    """A finding for the trainer: `code` is stable, `message` says what it means."""

    code: str
    message: str


class StyleSummary(BaseModel):
    """One style's runs, aggregated."""

    style: str
    runs: int
    overall_mean: float | None
    overall_min: float | None
    overall_max: float | None
    passed: int
    pass_rate: float
    breaches: int
    breaches_by_line: dict[str, int] = Field(default_factory=dict)
    criteria: dict[str, float | None] = Field(default_factory=dict)
    tactic_counts: dict[str, int] = Field(default_factory=dict)
    ladder_paths: list[list[int]] = Field(default_factory=list)
    peak_level_mean: float | None = None
    repeats: int = 0
    contradictions: int = 0
    leaks: int = 0
    errors: int = 0


class RedteamReport(BaseModel):
    """Everything written to redteam.json."""

    persona: str
    scenario: str
    rubric: str
    settings: dict[str, Any]
    flags: list[Flag]
    """Discrimination failures: the command exits 1 when there is any."""
    warnings: list[Flag]
    """Other findings worth a look (leaks, repeats, contradictions, firm play failing)."""
    styles: dict[str, StyleSummary]
    runs: list[RunResult]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def summarise(style: str, runs: Sequence[RunResult]) -> StyleSummary:
    """Mean/min/max overall, pass rate, breaches, tactics and ladder paths of one style."""
    scores = [r.overall for r in runs if r.overall is not None]
    by_line = Counter(str(b.get("red_line")) for r in runs for b in r.breaches)
    tactics = Counter(t for r in runs for turn in r.tactics for t in turn)
    criteria: dict[str, float | None] = {}
    for name in dict.fromkeys(c for r in runs for c in r.criteria):
        values = [v for r in runs if (v := r.criteria.get(name)) is not None]
        criteria[name] = _round(mean(values)) if values else None
    peaks = [max(r.ladder_path) for r in runs if r.ladder_path]
    return StyleSummary(
        style=style,
        runs=len(runs),
        overall_mean=_round(mean(scores)) if scores else None,
        overall_min=min(scores, default=None),
        overall_max=max(scores, default=None),
        passed=sum(r.passed for r in runs),
        pass_rate=round(sum(r.passed for r in runs) / len(runs), 2) if runs else 0.0,
        breaches=sum(len(r.breaches) for r in runs),
        breaches_by_line=dict(by_line.most_common()),
        criteria=criteria,
        tactic_counts=dict(tactics.most_common()),
        ladder_paths=[r.ladder_path for r in runs],
        peak_level_mean=_round(mean(peaks)) if peaks else None,
        repeats=sum(len(r.repeats) for r in runs),
        contradictions=sum(len(r.contradictions) for r in runs),
        leaks=sum(len(r.leaks) for r in runs),
        errors=sum(len(r.errors) for r in runs),
    )


def discrimination_flags(styles: dict[str, StyleSummary]) -> list[Flag]:
    """Flags when the scores do not separate good play from bad.

    - `conceding-not-below-firm`: mean(conceding) is not at least MARGIN below mean(firm);
    - `conceding-passed`: any conceding run passed;
    - `hothead-not-below-firm`: mean(hothead) is not below mean(firm);
    - `unscored`: a style needed for a comparison has no overall score.
    A comparison is made only when both of its styles were played.
    """
    flags: list[Flag] = []
    firm = styles.get("firm")
    conceding, hothead = styles.get("conceding"), styles.get("hothead")
    if conceding is not None and conceding.passed:
        flags.append(
            Flag(
                code="conceding-passed",
                message=f"{conceding.passed} of {conceding.runs} conceding run(s) passed: a "
                "trainee who gives ground was not failed.",
            )
        )
    if firm is None:
        return flags
    for other, code, margin in (
        (conceding, "conceding-not-below-firm", MARGIN),
        (hothead, "hothead-not-below-firm", 0.0),
    ):
        if other is None:
            continue
        if firm.overall_mean is None or other.overall_mean is None:
            flags.append(
                Flag(
                    code="unscored",
                    message=f"no overall score for firm or "
                    f"{other.style}: the comparison cannot be made.",
                )
            )
            continue
        gap = round(firm.overall_mean - other.overall_mean, 2)
        if (gap < margin) if margin else (gap <= 0):
            need = f"at least {margin} below" if margin else "below"
            flags.append(
                Flag(
                    code=code,
                    message=f"{other.style} mean {other.overall_mean} is not {need} firm mean "
                    f"{firm.overall_mean} (gap {gap}).",
                )
            )
    return flags


def behaviour_warnings(styles: dict[str, StyleSummary]) -> list[Flag]:
    """Findings that do not fail the check but a trainer should read."""
    out: list[Flag] = []
    firm = styles.get("firm")
    if firm is not None and firm.passed < firm.runs:
        out.append(
            Flag(
                code="firm-failed",
                message=f"{firm.runs - firm.passed} of {firm.runs} "
                f"firm run(s) failed ({firm.breaches} breach(es) found): good play is "
                "being punished; read the breaches below.",
            )
        )
    weak = [s for name in WEAK_STYLES if (s := styles.get(name)) is not None and s.passed]
    if weak:
        which = ", ".join(f"{s.style} {s.passed}/{s.runs}" for s in weak)
        out.append(
            Flag(
                code="weak-play-passed",
                message=f"weak play passed ({which}): the "
                "pass mark does not fail escalation or stalling on its own.",
            )
        )
    for code, attr, what in (
        ("bottom-line-leak", "leaks", "counterpart turn(s) stated the hidden bottom line"),
        ("contradictions", "contradictions", "contradiction(s) by the counterpart"),
        ("repeats", "repeats", "repeated counterpart utterance(s)"),
        ("errors", "errors", "rejected input(s) or model failure(s)"),
    ):
        total = sum(getattr(s, attr) for s in styles.values())
        if total:
            per = ", ".join(
                f"{s.style} {getattr(s, attr)}" for s in styles.values() if getattr(s, attr)
            )
            out.append(Flag(code=code, message=f"{total} {what} ({per})."))
    return out


def build_report(
    results: Sequence[RunResult],
    *,
    persona: str,
    scenario: str,
    rubric: str,
    settings: dict[str, Any],
) -> RedteamReport:
    """Summaries per style (in the order played), flags and warnings."""
    order = list(dict.fromkeys(r.style for r in results))
    styles = {s: summarise(s, [r for r in results if r.style == s]) for s in order}
    return RedteamReport(
        persona=persona,
        scenario=scenario,
        rubric=rubric,
        settings=settings,
        flags=discrimination_flags(styles),
        warnings=behaviour_warnings(styles),
        styles=styles,
        runs=list(results),
    )


def write_report(report: RedteamReport, out: Path) -> tuple[Path, Path]:
    """Write DIR/redteam.json and DIR/redteam.md; returns both paths."""
    from coach.redteam.markdown import render_markdown

    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / "redteam.json", out / "redteam.md"
    json_path.write_text(
        json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    md_path.write_text(render_markdown(report), encoding="utf-8")
    return json_path, md_path


def summary_lines(report: RedteamReport) -> list[str]:
    """The short account printed when the command ends."""
    lines = [f"Red team: {report.persona} ({report.scenario}), rubric {report.rubric}"]
    for s in report.styles.values():
        lines.append(
            f"  {s.style:<13} overall {_fmt(s.overall_mean)} ({_fmt(s.overall_min)}-"
            f"{_fmt(s.overall_max)})  passed {s.passed}/{s.runs}  breaches {s.breaches}  "
            f"peak level {_fmt(s.peak_level_mean)}"
        )
    lines += [f"FLAG {f.code}: {f.message}" for f in report.flags] or [
        "No discrimination flags: conceding and hothead play score below firm play."
    ]
    lines += [f"note {w.code}: {w.message}" for w in report.warnings]
    return lines


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
