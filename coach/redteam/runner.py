"""Play K runs x styles x N turns against a persona through SessionService and collect metrics."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from coach.domain.persona import Persona
from coach.domain.transcript import Turn
from coach.engine.session import SessionService
from coach.engine.views import SessionView, TurnOutcome
from coach.llm.base import ChatModel
from coach.redteam.metrics import demand_path, find_contradictions, find_leaks, find_repeats
from coach.redteam.results import ExchangeTurn, RunResult
from coach.redteam.styles import STYLES, SimulatedTrainee, TraineeTurnContext, make_trainee

USER = "redteam"
"""The user the simulated sessions are recorded under."""

Progress = Callable[[str, int], None]
"""Called with (style, run index) as each run starts."""


async def run_redteam(
    service: SessionService,
    persona_id: str,
    *,
    styles: Sequence[str] = STYLES,
    turns: int = 8,
    runs: int = 3,
    seed: int = 0,
    trainee_model: ChatModel | None = None,
    difficulty: str | None = None,
    rubric_id: str | None = None,
    progress: Progress | None = None,
) -> list[RunResult]:
    """Every style, `runs` times, `turns` trainee turns each; results in style-then-run order.

    The trainee of run k of a style is seeded with (seed, k), and the session id (which
    seeds the offline counterpart's phrasing) is derived from the same, so an offline run
    replays exactly.
    """
    results = []
    for style in styles:
        for run in range(runs):
            if progress is not None:
                progress(style, run)
            view = await service.start(
                user=USER,
                persona_id=persona_id,
                difficulty=difficulty,
                rubric_id=rubric_id,
                session_id=f"rt-{persona_id}-{style}-{seed}-{run}",
            )
            trainee = make_trainee(style, view.scenario, f"{seed}:{run}", trainee_model)
            results.append(await play_run(service, view, trainee, run=run, turns=turns))
    return results


async def play_run(
    service: SessionService, view: SessionView, trainee: SimulatedTrainee, *, run: int, turns: int
) -> RunResult:
    """Play one started session to `turns` trainee turns, end it and measure it."""
    outcomes: dict[int, TurnOutcome] = {}
    errors: list[str] = []
    for number in range(1, turns + 1):
        ctx = TraineeTurnContext(
            view.scenario, view.persona, list(view.transcript.turns), number, turns
        )
        text = await trainee.next_turn(ctx)
        outcome = await service.send(view.session_id, text)
        view = outcome.view
        if not outcome.accepted:
            errors.append(f"turn {number} rejected: {outcome.error}")
            break
        if outcome.model_error:
            errors.append(f"turn {number}: {outcome.model_error}")
        if outcome.assessment is not None:
            outcomes[outcome.assessment.turn_index] = outcome
    review = await service.end(view.session_id)
    view = await service.view(view.session_id)
    counterpart = [t for t in view.transcript.turns if t.speaker == "counterpart"]
    texts = [t.text for t in counterpart]
    tactics = [list(t.tactics or []) for t in counterpart]
    return RunResult(
        style=trainee.style,
        run=run,
        session_id=view.session_id,
        trainee_backend=trainee.backend,
        counterpart_backend=view.backend,
        turns=_exchange(view.transcript.turns, outcomes, view.persona),
        tactics=tactics,
        ladder_path=review.escalation_path,
        demand_path=demand_path(view.persona, texts),
        repeats=find_repeats(texts),
        contradictions=find_contradictions(view.persona, texts, tactics),
        leaks=find_leaks(view.persona.hidden_bottom_line, texts),
        overall=review.overall,
        passed=review.passed,
        criteria={c.criterion: c.score for c in review.criteria},
        breaches=review.breaches,
        errors=errors,
        stand_ins=getattr(trainee, "stand_ins", 0),
    )


def _exchange(
    turns: list[Turn], outcomes: dict[int, TurnOutcome], persona: Persona
) -> list[ExchangeTurn]:
    out = []
    for index, turn in enumerate(turns):
        extra = turn.model_extra or {}
        if turn.speaker == "counterpart":
            out.append(
                ExchangeTurn(
                    speaker="counterpart",
                    text=turn.text,
                    tactics=list(turn.tactics or []),
                    level=extra.get("level"),
                    reaction=extra.get("reaction"),
                    leaked=bool(find_leaks(persona.hidden_bottom_line, [turn.text])),
                )
            )
            continue
        record = ExchangeTurn(speaker="trainee", text=turn.text)
        outcome = outcomes.get(index)
        if outcome is not None and outcome.assessment is not None:
            a = outcome.assessment
            record.breaches = list(a.labels.red_line_breaches)
            record.tone, record.escalation = a.labels.tone, int(a.labels.escalation)
            record.signals = [s.value for s in a.signals]
            record.tactics_named = list(a.tactics_named)
        out.append(record)
    return out
