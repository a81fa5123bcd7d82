"""A scripted judge for engine tests: signals come from markers in the trainee's text."""

from __future__ import annotations

from coach.domain import Rubric, Signal, TurnAssessment, TurnLabels
from coach.domain.transcript import CriterionScore
from coach.evaluation.base import Judge, TurnContext

MARKERS = {
    "[concede]": Signal.CONCEDES,
    "[firm]": Signal.HOLDS_CALMLY,
    "[escalate]": Signal.ESCALATES,
    "[name]": Signal.NAMES_TACTIC,
    "[stall]": Signal.STALLS,
    "[steps]": Signal.PROPOSES_STEPS,
}


class MarkerJudge(Judge):
    """Reads '[concede]', '[firm]', ... and '[breach:ID]' markers; counts its calls."""

    name = "marker"

    def __init__(self) -> None:
        self.calls = 0

    def assess(self, ctx: TurnContext, rubric: Rubric) -> TurnAssessment:
        self.calls += 1
        text = ctx.turn.text
        signals = [s for m, s in MARKERS.items() if m in text]
        breaches = [r.id for r in ctx.scenario.red_lines if f"[breach:{r.id}]" in text]
        escalation = 1 if Signal.ESCALATES in signals else (-1 if Signal.CONCEDES in signals else 0)
        tone = 2 if escalation == 1 else 5
        criteria = [
            CriterionScore(
                criterion=c.id,
                score=1 if breaches and c.blocker else tone,
                reason="marker",
                evidence=text[:20],
            )
            for c in rubric.criteria
        ]
        labels = TurnLabels(
            tone=tone,
            escalation=escalation,
            red_line_breaches=breaches,
            judge=self.name,
            criteria=criteria,
        )
        return TurnAssessment(turn_index=ctx.turn_index, labels=labels, signals=signals)

    def tag(self, ctx: TurnContext) -> list[str]:
        return []

    async def assess_trainee_turn(self, ctx: TurnContext, rubric: Rubric) -> TurnAssessment:
        return self.assess(ctx, rubric)

    async def tag_counterpart_turn(self, ctx: TurnContext) -> list[str]:
        return self.tag(ctx)
