"""The red-team report as Markdown for a trainer: flags first, a table per style, samples."""

from __future__ import annotations

from collections.abc import Iterable

from coach.domain.tactics import tactic_label
from coach.redteam.report import RedteamReport, StyleSummary
from coach.redteam.results import ExchangeTurn, RunResult

SAMPLE_TURN = 2
"""The trainee turn shown as each style's sample exchange (the last one if a run is shorter)."""


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_markdown(report: RedteamReport) -> str:
    """The whole report."""
    s = report.settings
    out = [
        f"# Red-team report: {report.persona}",
        "",
        f"Scenario `{report.scenario}`, rubric `{report.rubric}`; {s.get('runs')} run(s) x "
        f"{s.get('turns')} turn(s) per style, seed {s.get('seed')}; trainee "
        f"{s.get('trainee_backend')}, counterpart {s.get('counterpart_backend')}.",
        "",
        "## Flags",
        "",
    ]
    if report.flags:
        out += [f"- **{f.code}**: {f.message}" for f in report.flags]
        out += ["", "The rubric and persona do not yet tell good play from bad: fix before use."]
    else:
        out.append("None: conceding and hot-headed play score below firm play.")
    if report.warnings:
        out += ["", "### Worth a look", ""]
        out += [f"- `{w.code}`: {w.message}" for w in report.warnings]
    out += ["", "## Styles", "", *_overview(report.styles.values()), ""]
    for summary in report.styles.values():
        runs = [r for r in report.runs if r.style == summary.style]
        out += _style_section(summary, runs)
    return "\n".join(out).rstrip() + "\n"


def _overview(styles: Iterable[StyleSummary]) -> list[str]:
    rows = [
        "| style | mean overall | min | max | passed | breaches | peak level | leaks | "
        "repeats | contradictions |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in styles:
        rows.append(
            f"| {s.style} | {_fmt(s.overall_mean)} | {_fmt(s.overall_min)} | "
            f"{_fmt(s.overall_max)} | {s.passed}/{s.runs} | {s.breaches} | "
            f"{_fmt(s.peak_level_mean)} | {s.leaks} | {s.repeats} | {s.contradictions} |"
        )
    return rows


def _style_section(s: StyleSummary, runs: list[RunResult]) -> list[str]:
    out = [f"### {s.style}", "", "| criterion | mean score |", "| --- | --- |"]
    out += [f"| {name} | {_fmt(score)} |" for name, score in s.criteria.items()]
    tactics = ", ".join(f"{tactic_label(t)} {n}" for t, n in s.tactic_counts.items())
    out += ["", f"Tactics used: {tactics or 'none'}."]
    if s.breaches_by_line:
        lines = ", ".join(f"`{k}` {v}" for k, v in s.breaches_by_line.items())
        out.append(f"Breaches found: {lines}.")
    out.append("")
    for r in runs:
        path = " → ".join(str(level) for level in r.ladder_path)
        result = "passed" if r.passed else "failed"
        out.append(f"- run {r.run + 1}: overall {_fmt(r.overall)} ({result}); ladder {path}")
        out += [f"  - contradiction (turn {c.turn}): {c.detail}" for c in r.contradictions]
        out += [f"  - repeat: turns {p.first} and {p.second} ({p.kind})" for p in r.repeats]
        out += [f"  - bottom line stated in counterpart turn {n}" for n in r.leaks]
        out += [f"  - {e}" for e in r.errors]
    if runs:
        out += ["", *_sample(runs[0])]
    out.append("")
    return out


def _sample(run: RunResult) -> list[str]:
    trainee = [i for i, t in enumerate(run.turns) if t.speaker == "trainee"]
    if not trainee:
        return []
    pick = trainee[min(SAMPLE_TURN, len(trainee)) - 1]
    shown = run.turns[max(0, pick - 1) : pick + 2]
    out = [f"Sample exchange (run {run.run + 1}, trainee turn {trainee.index(pick) + 1}):", ""]
    for turn in shown:
        out += [f"> {_line(turn)}", ""]
    return out


def _line(turn: ExchangeTurn) -> str:
    if turn.speaker == "counterpart":
        tactics = ", ".join(turn.tactics or []) or "no tactic"
        return f"**Counterpart** (level {turn.level}, {tactics}): {_cell(turn.text)}"
    notes = []
    if turn.breaches:
        notes.append("breach: " + ", ".join(turn.breaches))
    if turn.tone is not None:
        notes.append(f"tone {turn.tone}")
    if turn.signals:
        notes.append("read as " + ", ".join(turn.signals))
    suffix = f" *({'; '.join(notes)})*" if notes else ""
    return f"**Trainee**: {_cell(turn.text)}{suffix}"
