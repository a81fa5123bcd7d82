"""A content-addressed cache of judge verdicts on disk (`<data_dir>/cache/judge/`).

The key is the sha256 of the judge's name, the rubric's hash and everything that shapes the
prompt, so a re-run over the same transcripts makes no model calls, and any change to the
rubric, the scenario, the conversation or the prompt version misses.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from coach.domain.rubric import Rubric
from coach.evaluation.prompts import canonical_json


def rubric_hash(rubric: Rubric | None) -> str:
    """A stable hash of a rubric's content ('' for none, e.g. when tagging tactics)."""
    if rubric is None:
        return ""
    return hashlib.sha256(canonical_json(rubric.model_dump(mode="json")).encode()).hexdigest()


def cache_key(judge_name: str, rubric: Rubric | None, material: dict[str, Any]) -> str:
    """The content address of one verdict."""
    blob = canonical_json({"judge": judge_name, "rubric": rubric_hash(rubric), "prompt": material})
    return hashlib.sha256(blob.encode()).hexdigest()


class JudgeCache:
    """JSON verdicts stored one file per key, written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.hits = 0
        self.misses = 0

    @classmethod
    def under(cls, data_dir: Path) -> JudgeCache:
        """The cache in its standard place under a data directory."""
        return cls(Path(data_dir) / "cache" / "judge")

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> Any | None:
        """The stored value, or None (a corrupt entry counts as a miss)."""
        try:
            value = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        """Store a JSON-ready value."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(value, fh, ensure_ascii=False)
        os.replace(tmp, path)
