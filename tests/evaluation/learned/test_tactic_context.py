"""The tactic head's second stage reads the conversation as the guide defines the tactics."""

from __future__ import annotations

import numpy as np
import pytest

from coach.domain.transcript import ScenarioSummary, Turn
from coach.evaluation.base import TurnContext
from coach.evaluation.offline import OfflineJudge
from coach.evaluation.offline.learned import TACTICS, LearnedModels
from coach.evaluation.offline.learned.tactic_context import (
    N_CONTEXT,
    N_TACTICS,
    TacticContext,
    context_features,
)

ASK = "Good. Now one more small thing: your patrol boats stay in port on Sundays as well."
DEMAND = ("counterpart", "Your boats must stay in port on Saturdays.")
GAVE = ("trainee", "Fine, we can keep the boats in port on Saturdays.")
HELD = ("trainee", "No. Our boats patrol our waters every day.")
OPENING = "We require the whole northern shelf, all fishing rights, and reparations of two billion."


@pytest.fixture(scope="module")
def models() -> LearnedModels:
    return LearnedModels.load()


def test_features_mark_the_opening_turn_and_the_trainees_offers() -> None:
    probs = np.full(N_TACTICS, 0.2)
    opening = context_features(probs, None, 0, [])
    later = context_features(probs, probs, 3, [GAVE[1]])
    assert opening.shape == later.shape == (N_TACTICS, N_CONTEXT)
    assert opening[0, 1] == 1.0 and later[0, 1] == 0.0  # the opening turn
    assert opening[0, 3] == 0.0 and later[0, 3] > 0.0  # the trainee offered last turn


def test_inference_reads_the_features_training_builds(models: LearnedModels) -> None:
    """What `tactic_probs` computes from a history is the second stage over
    `context_features`, the function the training script builds its rows with."""
    history = [DEMAND, GAVE, ("counterpart", "Then Sundays too."), HELD]
    earlier = np.maximum(models._tactic_alone(DEMAND[1]), models._tactic_alone("Then Sundays too."))
    x = context_features(models._tactic_alone(ASK), earlier, 2, [GAVE[1], HELD[1]])
    expected = TacticContext(models._w)(x)
    got = models.tactic_probs(ASK, history)
    assert [got[t] for t in TACTICS] == pytest.approx(expected.tolist(), abs=1e-6)


def test_one_more_step_after_a_concession_reads_as_salami(models: LearnedModels) -> None:
    def salami(history: list[tuple[str, str]]) -> float:
        return models.tactic_probs(ASK, history)["salami_slicing"]

    after_concession, after_refusal = salami([DEMAND, GAVE]), salami([DEMAND, HELD])
    assert after_concession > after_refusal
    assert after_concession >= models.tactic_thresholds["salami_slicing"]


def test_an_extreme_opening_demand_reads_as_an_anchor(models: LearnedModels) -> None:
    opening = models.tactic_probs(OPENING)["extreme_anchor"]
    assert opening >= models.tactic_thresholds["extreme_anchor"]
    assert opening > models.tactic_probs(OPENING, [DEMAND, HELD, DEMAND, HELD])["extreme_anchor"]


def test_the_judge_passes_the_conversation_to_the_tactic_head() -> None:
    scenario = ScenarioSummary(id="harbour", context="Patrol boats in a disputed bay.")
    history = [Turn(speaker=s, text=t) for s, t in (DEMAND, GAVE)]
    turn = Turn(speaker="counterpart", text=ASK)
    judge = OfflineJudge()
    tags = judge.tag(TurnContext(scenario=scenario, history=history, turn=turn, turn_index=2))
    assert "salami_slicing" in tags
