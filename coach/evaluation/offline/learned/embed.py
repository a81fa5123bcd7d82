"""Offline sentence embeddings: `wordllama` (static token vectors) and MiniLM (contextual).

`Embedder` (wordllama, 256-d) feeds the tone, escalation, concession and tactic heads;
`PairEmbedder` (all-MiniLM-L6-v2, 384-d, `minilm.py`) feeds the red-line pair features, where
paraphrase matters most (leave-one-scenario-out red-line F1 0.51 -> 0.53 on 80 scenarios, and
it picks the red line a conceding turn touches 70% of the time against 66%).

The wheel ships its weights under `wordllama/weights/` and its tokenizer under
`wordllama/tokenizers/`; `WordLlama.load` looks for them under `cache_dir/weights` and
`cache_dir/tokenizers`, so pointing `cache_dir` at the package folder (with downloads
disabled) loads everything from the wheel and never touches the network.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

DIM = 256
_SENT_SPLIT = re.compile(r"(?<=[.!?;:])\s+|\n+")
_LOCK = threading.Lock()


def split_sentences(text: str) -> list[str]:
    """Split a turn into sentences (at least one; empty pieces dropped)."""
    parts = [p.strip() for p in _SENT_SPLIT.split(text or "") if p and p.strip()]
    return parts or [text or ""]


@lru_cache(maxsize=1)
def _model() -> Any:
    with _LOCK:
        import logging

        root = logging.getLogger()
        level, handlers = root.level, list(root.handlers)
        import wordllama
        from wordllama import WordLlama

        # wordllama calls logging.basicConfig(level=INFO) on import, which would print every
        # HTTP request of the model client; give the application its logging back.
        root.setLevel(level)
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        folder = Path(wordllama.__file__).resolve().parent
        return WordLlama.load(cache_dir=folder, disable_download=True, dim=DIM)


class Embedder:
    """Unit-norm 256-d wordllama embeddings of texts, with a memo for repeated texts."""

    dim = DIM

    def __init__(self) -> None:
        self._wl = _model()
        self._memo: dict[str, np.ndarray] = {}

    def _compute(self, texts: list[str]) -> np.ndarray:
        vecs = np.atleast_2d(np.asarray(self._wl.embed(texts, norm=False), dtype=np.float32))
        return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-8)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed `texts` (row i is the unit vector of texts[i])."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # a local view, so a concurrent caller clearing the memo cannot break this one
        found = {t: self._memo.get(t) for t in dict.fromkeys(texts)}
        todo = [t for t, v in found.items() if v is None]
        if todo:
            computed = dict(zip(todo, self._compute(todo), strict=True))
            found.update(computed)
            if len(self._memo) + len(todo) > 50_000:
                self._memo.clear()
            self._memo.update(computed)
        return np.stack([found[t] for t in texts])  # type: ignore[misc]

    def one(self, text: str) -> np.ndarray:
        return self.embed([text or ""])[0]

    def sentences(self, text: str) -> np.ndarray:
        """Embeddings of the sentences of `text` (shape (k, DIM), k >= 1)."""
        return self.embed(split_sentences(text))


class PairEmbedder(Embedder):
    """Unit-norm 384-d all-MiniLM-L6-v2 sentence embeddings (same interface and memo)."""

    dim = 384

    def __init__(self) -> None:
        from .minilm import get_minilm

        self._minilm = get_minilm()
        self._memo = {}

    def _compute(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._minilm.encode(texts), dtype=np.float32)


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    return Embedder()


@lru_cache(maxsize=1)
def get_pair_embedder() -> PairEmbedder:
    """The MiniLM embedder (raises `MiniLMNotInstalled` if its wheel is missing)."""
    return PairEmbedder()
