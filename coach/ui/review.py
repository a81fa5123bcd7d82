"""Pure rendering of the after-action review: markdown, and an SVG chart over the turns."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from html import escape

from coach.domain.assessment import SessionReview
from coach.domain.transcript import Transcript


def move_number(transcript: Transcript, turn_index: int) -> int:
    """The trainee's move number (1-based) of a transcript turn index."""
    moves = [i for i, _ in transcript.trainee_turns()]
    return sum(1 for i in moves if i <= turn_index) or 1


def turn_scores(transcript: Transcript) -> list[float | None]:
    """Mean criterion score of each trainee turn, None when that turn was not scored."""
    scores: list[float | None] = []
    for _, turn in transcript.trainee_turns():
        values = [
            c.score
            for c in (turn.labels.criteria or [] if turn.labels else [])
            if c.score is not None
        ]
        scores.append(sum(values) / len(values) if values else None)
    return scores


def _fmt(score: float | None) -> str:
    return "–" if score is None else f"{score:.1f}"


def review_markdown(review: SessionReview, transcript: Transcript) -> str:
    """The after-action review as markdown: verdict, scores with quotes, three moments."""
    verdict = "PASSED" if review.passed else "FAILED"
    parts = [
        f"## After-action review: {verdict}",
        # two decimals, as in the outcome sentence ("weighted score 3.86 against ...")
        f"**Overall:** {'–' if review.overall is None else f'{review.overall:.2f}'} / 5\n\n"
        f"{review.outcome}",
    ]
    if review.breaches:
        lines = []
        for breach in review.breaches:
            turn = breach.get("turn_index")
            where = f" (move {move_number(transcript, turn)})" if isinstance(turn, int) else ""
            quote = str(breach.get("quote", "")).strip()
            lines.append(
                f"- **{breach.get('red_line')}**{where}" + (f": “{quote}”" if quote else "")
            )
        parts.append("### Red lines breached: the session fails\n" + "\n".join(lines))
    else:
        parts.append("### Red lines\nAll red lines held.")
    rows = ["| Criterion | Weight | Score | In your words |", "|---|---|---|---|"]
    for c in review.criteria:
        quote = " / ".join(f"“{q}”" for q in c.quotes[:2]) or "–"
        rows.append(f"| {c.name} | {c.weight:g} | {_fmt(c.score)} | {quote.replace('|', '¦')} |")
    unscored = [f"- {c.name}: {c.reason}" for c in review.criteria if c.score is None and c.reason]
    if unscored:
        rows += ["", "*Not scored:*", *unscored]
    parts.append("### Scores by criterion\n" + "\n".join(rows))
    if review.moments:
        moments = []
        for n, m in enumerate(review.moments[:3], start=1):
            moments.append(
                f"**{n}. Move {move_number(transcript, m.turn_index)}:** “{m.quote}”  \n"
                f"{m.what_happened}  \n*Better:* {m.better_alternative}"
            )
        parts.append("### Three moments that mattered\n" + "\n\n".join(moments))
    return "\n\n".join(parts)


def review_document(review: SessionReview, transcript: Transcript) -> str:
    """The downloadable review: the markdown followed by the review as JSON."""
    data = json.dumps(review.model_dump(mode="json"), ensure_ascii=False, indent=2)
    return (
        review_markdown(review, transcript)
        + "\n\n---\n\n## Transcript\n\n"
        + "\n\n".join(f"**{t.speaker}:** {t.text}" for t in transcript.turns)
        + f"\n\n---\n\n```json\n{data}\n```\n"
    )


def _points(
    values: Sequence[float | None],
    x_of: Callable[[int], float],
    y_of: Callable[[float | None], float],
) -> list[tuple[float, float]]:
    return [(x_of(i), y_of(v)) for i, v in enumerate(values) if v is not None]


def escalation_chart_svg(
    escalation: list[int],
    scores: list[float | None],
    *,
    max_level: int,
    width: int = 560,
    height: int = 240,
) -> str:
    """A self-contained SVG: the counterpart's escalation level and the trainee's mean score
    after each move (level on the left axis, 0 to max_level; score on the right, 1 to 5)."""
    left, right, top, bottom = 44, 44, 28, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    # The escalation path may start with the opening level, before the first move.
    offset = 1 if len(escalation) == len(scores) + 1 else 0
    n = max(len(escalation), len(scores) + offset, 1)
    max_level = max(max_level, 1)

    def x_of(i: int) -> float:
        return left + (plot_w * (i / (n - 1)) if n > 1 else plot_w / 2)

    def level_y(v: float | None) -> float:
        return top + plot_h * (1 - float(v or 0) / max_level)

    def score_y(v: float | None) -> float:
        return top + plot_h * (1 - (float(v or 1) - 1) / 4)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="16" font-size="12" fill="#111">Escalation level and your '
        "score after each move</text>",
    ]
    for k in range(max_level + 1):
        y = level_y(k)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e5e7eb"/>'
        )
        out.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#b91c1c">{k}</text>'
        )
    for s in range(1, 6):
        out.append(
            f'<text x="{left + plot_w + 8}" y="{score_y(s) + 4:.1f}" fill="#1d4ed8">{s}</text>'
        )
    for i in range(n):
        label = "open" if offset and i == 0 else str(i + 1 - offset)
        out.append(
            f'<text x="{x_of(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'fill="#374151">{label}</text>'
        )
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle" '
        'fill="#374151">move</text>'
    )
    padded_scores: list[float | None] = [None] * offset
    padded_scores.extend(scores)
    series = [
        ("level", _points([float(v) for v in escalation], x_of, level_y), "#b91c1c"),
        ("score", _points(padded_scores, x_of, score_y), "#1d4ed8"),
    ]
    for name, points, colour in series:
        if not points:
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        out.append(
            f'<polyline data-series="{name}" points="{path}" fill="none" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
        out.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points)
    legend_y = top - 2
    out.append(
        f'<text x="{left + plot_w}" y="{legend_y}" text-anchor="end" fill="#374151">'
        f'<tspan fill="#b91c1c">■ escalation (0–{max_level})</tspan>  '
        f'<tspan fill="#1d4ed8">■ score (1–5)</tspan></text>'
    )
    out.append("</svg>")
    return "\n".join(out)


def chart_alt_text(escalation: list[int], scores: list[float | None]) -> str:
    """A text description of the chart's data."""
    levels = ", ".join(str(v) for v in escalation) or "none"
    marks = ", ".join(_fmt(s) for s in scores) or "none"
    return escape(f"Escalation by move: {levels}. Your score by move: {marks}.")
