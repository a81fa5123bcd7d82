"""The judge interface the evaluator node and `coach eval` call."""

from __future__ import annotations

from abc import ABC, abstractmethod

from pydantic import BaseModel

from coach.domain.assessment import CriterionResult, TurnAssessment
from coach.domain.rubric import Rubric
from coach.domain.transcript import ScenarioSummary, Turn
from coach.evaluation.judge_schema import session_criteria


class TurnContext(BaseModel):
    """A turn to judge, with the conversation before it (never its gold labels)."""

    scenario: ScenarioSummary
    history: list[Turn]
    """Turns before this one, labels and tactics stripped by the caller if gold."""
    turn: Turn
    turn_index: int


class Judge(ABC):
    """Labels trainee turns against a rubric and tags counterpart tactics."""

    name: str = "judge"

    @abstractmethod
    async def assess_trainee_turn(self, ctx: TurnContext, rubric: Rubric) -> TurnAssessment:
        """Labels (tone, escalation, breaches, criterion scores) and signals for a trainee turn."""

    @abstractmethod
    async def tag_counterpart_turn(self, ctx: TurnContext) -> list[str]:
        """Tactic ids applied in a counterpart turn."""

    async def score_session(
        self, scenario: ScenarioSummary, turns: list[Turn], rubric: Rubric
    ) -> list[CriterionResult]:
        """Scores of the rubric's session criteria over a whole conversation. By default
        each is read by its offline measure (unscored, with the reason, when it has none)."""
        from coach.evaluation.scoring import session_result  # scoring imports the offline judge

        said = [t.text for t in turns if t.speaker == "trainee"]
        return [session_result(c, said) for c in session_criteria(rubric)]
