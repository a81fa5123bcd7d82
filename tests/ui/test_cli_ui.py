"""`coach ui` hands over to Chainlit with a clean environment."""

from __future__ import annotations

import os
from typing import Any

import pytest

from coach.cli import main


def test_ci_mode_cannot_switch_coach_to_a_fake_llm(monkeypatch: pytest.MonkeyPatch, tmp_path):
    """Regression: Chainlit's "CI mode" (CI=true) sets a fake OPENAI_API_KEY at start-up."""
    import chainlit.cli

    seen: dict[str, Any] = {}

    def fake_main(**kwargs: Any) -> None:
        seen["CI"] = os.environ.get("CI")
        seen["args"] = kwargs["args"]

    monkeypatch.setattr(chainlit.cli.cli, "main", fake_main)
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COACH_SINGLE_USER", "1")
    assert main(["ui", "--port", "8123"]) == 0
    assert seen["CI"] is None
    assert seen["args"][-2:] == ["--port", "8123"]
