"""`coach chat`: a practice session in the terminal (or scripted through stdin)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TextIO

from coach.domain.errors import UserError
from coach.engine.views import SessionView
from coach.runtime import open_service

HELP = "Commands: /brief  /rewind N  /branches  /end (or end of input)  /help"


def register(sub: argparse._SubParsersAction) -> None:
    """Add `coach chat`."""
    p = sub.add_parser("chat", help="negotiate in the terminal", description=__doc__)
    p.add_argument("--persona", required=True, help="persona id (see `coach personas`)")
    p.add_argument("--scenario", help="scenario id (default: the persona's own)")
    p.add_argument("--mode", choices=["practice", "exam"], default="practice")
    p.add_argument("--difficulty", help="a difficulty the persona defines")
    p.add_argument("--rubric", help="rubric id (default: default, or exam in exam mode)")
    p.add_argument("--transcript-out", type=Path, help="write the transcript (interchange JSON)")
    p.add_argument("--user", default="local", help="who is practising (for the session list)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the session loop."""
    return asyncio.run(_chat(args, sys.stdin, sys.stdout))


def brief_text(view: SessionView) -> str:
    """The trainee's brief as plain text."""
    s, b = view.scenario, view.scenario.brief
    lines = [
        f"== {s.title} ==",
        f"You are: {s.trainee_role}. Across the table: {view.persona.name}, {s.counterpart_role}.",
        "",
        s.context,
        "",
        "Objectives:",
        *[f"  - {o}" for o in b.objectives],
        "Red lines (never cross):",
        *[f"  - [{r.id}] {r.statement}" for r in b.red_lines],
        f"Fallback (BATNA): {b.fallback}",
    ]
    if b.may_concede:
        lines += ["You may concede:", *[f"  - {c}" for c in b.may_concede]]
    if s.facts:
        lines += ["Facts:", *[f"  - {f}" for f in s.facts]]
    return "\n".join(lines)


async def _chat(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    interactive = stdin.isatty()
    service = await open_service()
    try:
        view = await service.start(
            user=args.user,
            persona_id=args.persona,
            scenario_id=args.scenario,
            mode=args.mode,
            difficulty=args.difficulty,
            rubric_id=args.rubric,
        )
        print(
            f"[backend: {service.backend}] [mode: {args.mode}] [session: {view.session_id}]",
            file=out,
        )
        print(brief_text(view), file=out)
        print(HELP, file=out)
        _say(out, view.persona.name, view.transcript.turns[-1].text)
        while True:
            if interactive:
                out.write("\nyou> ")
                out.flush()
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            text = line.rstrip("\n")
            if text.strip() in ("/end", "/quit"):
                break
            if text.strip().startswith("/"):
                await _command(service, view.session_id, text.strip(), out)
                continue
            if not interactive:
                print(f"\nyou> {text}", file=out)
            outcome = await service.send(view.session_id, text)
            if outcome.error:
                print(f"[not sent] {outcome.error}", file=out)
                continue
            if outcome.model_error:
                print(f"[model problem] {outcome.model_error}", file=out)
            if outcome.reply:
                _say(out, view.persona.name, outcome.reply.text)
            if outcome.hint:
                print(f"  [coach] {outcome.hint}", file=out)
        if service.review_calls_a_model:
            print("\n(writing the after-action review: one more call to the judge)", file=out)
        await service.end(view.session_id)
        final = await service.view(view.session_id)
        print("\n" + review_text(final), file=out)
        if args.transcript_out:
            args.transcript_out.write_text(final.transcript.to_json(), encoding="utf-8")
            print(f"\nTranscript written to {args.transcript_out}", file=out)
    finally:
        await service.aclose()
    return 0


async def _command(service, session_id: str, text: str, out: TextIO) -> None:  # type: ignore[no-untyped-def]
    word, _, rest = text.partition(" ")
    try:
        if word == "/brief":
            print(brief_text(await service.view(session_id)), file=out)
        elif word == "/rewind":
            view = await service.rewind(session_id, int(rest.strip() or "0"))
            print(f"[rewound: new branch from before your turn {rest.strip()}]", file=out)
            _say(out, view.persona.name, view.transcript.turns[-1].text)
        elif word == "/branches":
            for b in await service.branches(session_id):
                mark = "*" if b.current else " "
                print(
                    f" {mark} {b.checkpoint_id[:8]}  turns={b.trainee_turns}  {b.last_text}",
                    file=out,
                )
        else:
            print(HELP, file=out)
    except (UserError, ValueError) as err:
        print(f"[error] {err}", file=out)


def _say(out: TextIO, name: str, text: str) -> None:
    print(f"\n{name}> {text}", file=out)


def review_text(view: SessionView) -> str:
    """The after-action review as plain text."""
    review = view.review
    if review is None:
        return "(no review)"
    lines = ["== After-action review ==", review.outcome, ""]
    width = max([len("Overall (weighted)"), *(len(c.name) for c in review.criteria)])
    for c in review.criteria:
        score = "unscored" if c.score is None else f"{c.score:.1f}/5"
        lines.append(f"  {c.name:<{width}} {score}")
        if c.score is None and c.reason:
            lines.append(f"      ({c.reason})")
        for q in c.quotes[:1]:
            lines.append(f'      "{q}"')
    if review.overall is not None:
        lines.append(f"  {'Overall (weighted)':<{width}} {review.overall:.2f}/5")
    if review.escalation_path:
        lines.append(
            "Counterpart's ladder level by exchange: "
            + " ".join(str(x) for x in review.escalation_path)
        )
    lines.append("\nMoments that mattered:")
    for m in review.moments:
        lines += [
            f'  Turn {m.turn_index + 1}: "{m.quote}"',
            f"    {m.what_happened}",
            f"    Better: {m.better_alternative}",
        ]
    return "\n".join(lines)
