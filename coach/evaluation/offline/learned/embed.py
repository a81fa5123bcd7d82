"""Offline sentence embeddings from the `wordllama` wheel (static token vectors, numpy only).

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
    """Unit-norm 256-d embeddings of texts, with a small memo for repeated texts."""

    def __init__(self) -> None:
        self._wl = _model()
        self._memo: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed `texts` (row i is the unit vector of texts[i]; zeros for empty text)."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if todo:
            vecs = np.asarray(self._wl.embed(todo, norm=False), dtype=np.float32)
            vecs = np.atleast_2d(vecs)
            norms = np.linalg.norm(vecs, axis=1, keepdims=True)
            vecs = vecs / np.maximum(norms, 1e-8)
            for t, v in zip(todo, vecs, strict=True):
                self._memo[t] = v
            if len(self._memo) > 50_000:
                self._memo.clear()
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])

    def one(self, text: str) -> np.ndarray:
        return self.embed([text or ""])[0]

    def sentences(self, text: str) -> np.ndarray:
        """Embeddings of the sentences of `text` (shape (k, DIM), k >= 1)."""
        return self.embed(split_sentences(text))


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    return Embedder()
