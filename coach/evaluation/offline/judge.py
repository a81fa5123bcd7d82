"""The offline judge: deterministic labels, criterion scores and signals with no network."""

from __future__ import annotations

from coach.domain.assessment import TurnAssessment
from coach.domain.rubric import Rubric
from coach.domain.transcript import ScenarioSummary, Turn, TurnLabels
from coach.evaluation.base import Judge, TurnContext
from coach.evaluation.offline.criteria import TurnFacts, score_criteria
from coach.evaluation.offline.escalation import score_escalation
from coach.evaluation.offline.injection import strip_injections
from coach.evaluation.offline.red_lines import RedLineProfile, compile_red_lines, find_breaches
from coach.evaluation.offline.signals import derive_signals, gives_ground, tactics_named
from coach.evaluation.offline.tactics import tag_tactics
from coach.evaluation.offline.tone import score_tone


def _plain(history: list[Turn]) -> list[Turn]:
    """The conversation as speakers and words only: gold labels and tactics never leak in."""
    return [Turn(speaker=t.speaker, text=t.text) for t in history]


class OfflineJudge(Judge):
    """Rule-based judge that runs anywhere, fast and reproducibly.

    It reads the conversation (the counterpart's last demand matters for what "Fine, we
    accept" gives up) but never the labels or tactics stored in the history.
    """

    name = "offline"

    def __init__(self) -> None:
        self._profiles: dict[str, list[RedLineProfile]] = {}

    def _red_lines(self, scenario: ScenarioSummary) -> list[RedLineProfile]:
        key = scenario.model_dump_json()
        if key not in self._profiles:
            self._profiles[key] = compile_red_lines(scenario)
        return self._profiles[key]

    def assess(self, ctx: TurnContext, rubric: Rubric) -> TurnAssessment:
        """Labels, criterion scores and signals for a trainee turn."""
        history = _plain(ctx.history)
        text = strip_injections(ctx.turn.text) or ctx.turn.text
        breaches = find_breaches(ctx.scenario, text, history, self._red_lines(ctx.scenario))
        conceded = bool(breaches)
        tone = score_tone(text, conceded)
        escalation = score_escalation(text, conceded)
        named = tactics_named(text)
        previous = next((t for t in reversed(history) if t.speaker == "counterpart"), None)
        # Giving ground on a matter that is not a red line is still a concession for the
        # strategist (it presses for the next slice), though it is not a breach.
        gave_ground = conceded or gives_ground(text, previous.text if previous else None)
        pending = tag_tactics(previous.text, history[: history.index(previous)]) if previous else []
        facts = TurnFacts(
            text=text,
            tone=tone,
            escalation=escalation,
            breaches=[(b.red_line, b.evidence) for b in breaches],
            tactics_named=named,
            pending_tactics=pending,
        )
        labels = TurnLabels(
            tone=tone,
            escalation=escalation,  # type: ignore[arg-type]
            red_line_breaches=[b.red_line for b in breaches],
            judge=self.name,
            criteria=score_criteria(rubric.criteria, facts),
        )
        return TurnAssessment(
            turn_index=ctx.turn_index,
            labels=labels,
            signals=derive_signals(text, tone, escalation, gave_ground, named),
            tactics_named=named,
        )

    def tag(self, ctx: TurnContext) -> list[str]:
        """Tactic ids applied in a counterpart turn."""
        return tag_tactics(ctx.turn.text, _plain(ctx.history))

    async def assess_trainee_turn(self, ctx: TurnContext, rubric: Rubric) -> TurnAssessment:
        """Async form of `assess`."""
        return self.assess(ctx, rubric)

    async def tag_counterpart_turn(self, ctx: TurnContext) -> list[str]:
        """Async form of `tag`."""
        return self.tag(ctx)
