"""The evaluation report as ONE self-contained HTML page: inline CSS, hand-drawn inline SVG.

No scripts, fonts, stylesheets or images are fetched from anywhere; every value that came
from a file is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:72rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}.pass{color:#186a3b}.fail{color:#a93226}
.charts{display:flex;flex-wrap:wrap;gap:1rem}.chart{border:1px solid #eee;padding:.5rem}
blockquote{margin:.25rem 0 .75rem 1rem;padding-left:.5rem;border-left:3px solid #a93226}
pre{background:#f8f8f8;padding:.5rem;white-space:pre-wrap}
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _histogram_svg(title: str, counts: dict[str, int]) -> str:
    """Five vertical bars (scores 1-5) with their counts."""
    width, height, bar, gap, base = 220, 140, 32, 8, 110
    peak = max(counts.values(), default=0) or 1
    parts = [
        f'<svg width="{width}" height="{height}" role="img" aria-label="{_e(title)}">',
        f'<line x1="10" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#999"/>',
    ]
    for i, level in enumerate(("1", "2", "3", "4", "5")):
        n = counts.get(level, 0)
        h = round(90 * n / peak)
        x = 14 + i * (bar + gap)
        parts.append(
            f'<rect x="{x}" y="{base - h}" width="{bar}" height="{h}" fill="#2e86c1">'
            f"<title>score {level}: {n}</title></rect>"
        )
        parts.append(f'<text x="{x + bar / 2}" y="{base + 14}" font-size="11" '
                     f'text-anchor="middle">{level}</text>')  # fmt: skip
        parts.append(f'<text x="{x + bar / 2}" y="{base - h - 3}" font-size="10" '
                     f'text-anchor="middle">{n}</text>')  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def _hbars_svg(rows: list[tuple[str, float | None]], scale_max: float = 5.0) -> str:
    """Horizontal bars for labelled values on 0..scale_max."""
    row_h, label_w, bar_w = 22, 180, 300
    height = row_h * len(rows) + 10
    parts = [f'<svg width="{label_w + bar_w + 60}" height="{height}" role="img">']
    for i, (label, value) in enumerate(rows):
        y = 5 + i * row_h
        w = 0 if value is None else round(bar_w * value / scale_max)
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{_e(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="14" fill="#48c9b0"/>')
        shown = "n/a" if value is None else f"{value:.2f}"
        parts.append(f'<text x="{label_w + w + 5}" y="{y + 14}" font-size="11">{shown}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _transcripts(summary: dict[str, Any]) -> str:
    rows = []
    for t in summary["transcripts"]:
        verdict = (
            '<span class="pass">pass</span>' if t["passed"] else '<span class="fail">fail</span>'
        )
        rows.append([
            _e(t["file"]), _e(t["scenario"]), _e(t["overall"]), verdict,
            _e("; ".join(t["fail_reasons"])), _e(t["unscored_turns"]),
        ])  # fmt: skip
    headers = ["file", "scenario", "overall", "verdict", "why it failed", "unscored turns"]
    return "<h2>Transcripts</h2>" + _table(headers, rows)


def _distributions(summary: dict[str, Any]) -> str:
    charts = "".join(
        f'<div class="chart"><strong>{_e(c["name"])}</strong> (weight {_e(c["weight"])}'
        f"{', blocker' if c['blocker'] else ''})<br>"
        + (
            _histogram_svg(c["name"], c["turn_score_histogram"])
            if c.get("applies_to") != "session"
            else "<p>Session-level criterion: not scored per turn by this judge.</p>"
        )
        + "</div>"
        for c in summary["criteria"]
    )
    return "<h2>Score distributions per criterion (trainee turns)</h2>" + (
        f'<div class="charts">{charts}</div>'
    )


def _scenarios(summary: dict[str, Any]) -> str:
    crit_ids = [c["id"] for c in summary["criteria"]]
    rows = [
        [_e(s["scenario"]), _e(s["transcripts"]), _e(s["passed"]), _e(s["breaches"]),
         _e(s["mean_overall"])] + [_e(s["criteria"].get(c)) for c in crit_ids]
        for s in summary["scenarios"]
    ]  # fmt: skip
    bars = _hbars_svg([(s["scenario"], s["mean_overall"]) for s in summary["scenarios"]])
    headers = ["scenario", "transcripts", "passed", "breaches", "mean overall", *crit_ids]
    return "<h2>Per scenario</h2>" + _table(headers, rows) + bars


def _breaches(summary: dict[str, Any]) -> str:
    items = [
        f"<li>{_e(t['file'])}, turn {_e(b['turn_index'] + 1)}: red line <code>{_e(b['red_line'])}"
        f"</code><blockquote>{_e(b['quote'])}</blockquote></li>"
        for t in summary["transcripts"]
        for b in t["breaches"]
    ]
    body = f"<ul>{''.join(items)}</ul>" if items else "<p>No red-line breach found.</p>"
    note = "<p>Turns are numbered from 1, counting both speakers.</p>" if items else ""
    return f"<h2>Red-line breaches found ({len(items)})</h2>{note}{body}"


def _agreement(summary: dict[str, Any]) -> str:
    a = summary.get("agreement")
    if not a:
        return "<h2>Agreement with gold labels</h2><p>The inputs carry no gold labels.</p>"
    rows = [
        ["red-line breaches", "precision / recall / F1",
         f"{a['red_line']['precision']} / {a['red_line']['recall']} / {a['red_line']['f1']}"],
        ["escalation", "accuracy / macro-F1",
         f"{a['escalation']['accuracy']} / {a['escalation']['macro_f1']}"],
        ["tone", "MAE / within 1 / QWK",
         f"{a['tone']['mae']} / {a['tone']['within_1']} / {a['tone']['qwk']}"],
        ["tactics", "micro precision / recall / F1",
         f"{a['tactics']['precision']} / {a['tactics']['recall']} / {a['tactics']['f1']}"],
    ]  # fmt: skip
    note = (
        f"<p>Over {_e(a['transcripts'])} transcripts with gold labels "
        f"({_e(a['trainee_turns'])} trainee turns).</p>"
    )
    return (
        "<h2>Agreement with gold labels</h2>"
        + note
        + _table(["what", "metric", "value"], [[_e(c) for c in r] for r in rows])
    )


def _failures(summary: dict[str, Any]) -> str:
    if not summary["failures"]:
        return "<h2>Files that failed to load</h2><p>None.</p>"
    items = "".join(
        f"<li>{_e(f['path'])}<pre>{_e(chr(10).join(f['problems']))}</pre></li>"
        for f in summary["failures"]
    )
    return f"<h2>Files that failed to load ({len(summary['failures'])})</h2><ul>{items}</ul>"


def render_html(summary: dict[str, Any]) -> str:
    """The whole report page."""
    r, files, turns = summary["rubric"], summary["files"], summary["turns"]
    header = (
        f"<h1>Evaluation report: {_e(r['title'])}</h1>"
        f"<p>Rubric <code>{_e(r['id'])}</code> (pass mark {_e(r['pass_mark'])}), judge "
        f"<code>{_e(summary['judge'])}</code>. Files evaluated: {_e(files['evaluated'])}, failed: "
        f"{_e(files['failed'])}. Turns judged: {_e(turns['judged'])}, from cache: "
        f"{_e(turns['from_cache'])}, trainee turns unscored by the judge (fallback labels): "
        f"{_e(turns['unscored'])}.</p>"
    )
    sections = [
        header,
        _transcripts(summary),
        _distributions(summary),
        _scenarios(summary),
        _breaches(summary),
        _agreement(summary),
        _failures(summary),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>coach evaluation: {_e(r['id'])}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(sections)}</body></html>\n"
    )
