"""Second stage of the tactic head: the first stage's probabilities read in the conversation.

The first stage reads one counterpart turn alone. The guide defines some tactics by where
they fall: salami slicing asks for one more step after an earlier concession, an extreme
anchor opens the talks or returns to the opening demand, and tactics come in company (an
ultimatum with a deadline). Per tactic, this stage reads the first stage's logit with
where the turn falls in the talks, whether the trainee offered or accepted something in
the last turn or earlier (the rules' offer grammar), how probable the tactic was earlier in
the conversation, and the logits of the other tactics. One small logistic per tactic.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from coach.evaluation.offline.learned.linear import sigmoid
from coach.evaluation.offline.offers import has_acceptance, strongest_offer

N_TACTICS = 12
N_OWN = 10
N_CONTEXT = N_OWN + N_TACTICS
_NEVER = -4.0  # the logit standing in for "no earlier counterpart turn"
_LATE = 8  # turns after which position stops mattering


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


@lru_cache(maxsize=4096)
def _offer(text: str) -> float:
    return strongest_offer(text)


@lru_cache(maxsize=4096)
def _accepts(text: str) -> float:
    return float(has_acceptance(text))


def context_features(
    probs: np.ndarray,
    earlier_max: np.ndarray | None,
    position: int,
    trainee_before: Sequence[str],
) -> np.ndarray:
    """Features per tactic, shape (N_TACTICS, N_CONTEXT).

    `probs`: the first stage on this turn; `earlier_max`: its highest probabilities over the
    counterpart's earlier turns (None on the first); `position`: how many counterpart turns
    came before; `trainee_before`: the trainee's earlier turns, oldest first.
    """
    z = logit(np.asarray(probs, dtype=np.float64))
    last = trainee_before[-1] if trainee_before else ""
    offered_last = _offer(last) if last else 0.0
    accepted_last = _accepts(last) if last else 0.0
    offered_ever = max((_offer(t) for t in trainee_before), default=0.0)
    first = float(position == 0)
    when = min(position, _LATE) / _LATE
    before = logit(earlier_max) if earlier_max is not None else np.full(N_TACTICS, _NEVER)
    own = np.stack(
        [
            z,
            np.full(N_TACTICS, first),
            np.full(N_TACTICS, when),
            np.full(N_TACTICS, offered_last),
            np.full(N_TACTICS, accepted_last),
            np.full(N_TACTICS, offered_ever),
            before,
            z * first,
            z * offered_last,
            z * offered_ever,
        ],
        axis=1,
    )
    return np.hstack([own, np.tile(z, (N_TACTICS, 1))]).astype(np.float32)


class TacticContext:
    """The fitted second stage: per tactic a standardiser and a logistic."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.mean = weights["tac2_mean"]
        self.std = weights["tac2_std"]
        self.w = weights["tac2_w"]
        self.b = weights["tac2_b"]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Probabilities (N_TACTICS,) from `context_features` (N_TACTICS, N_CONTEXT)."""
        return sigmoid(np.sum((x - self.mean) / self.std * self.w, axis=1) + self.b)
