"""Settings from the environment: defaults, per-role models and budgets, clear errors."""

from __future__ import annotations

import pytest

from coach.cli import main
from coach.config import load_settings
from coach.domain.errors import UserError


def test_defaults_without_any_variable() -> None:
    settings = load_settings({})
    assert not settings.llm_configured
    assert settings.counterpart.max_tokens == 400 and settings.evaluator.max_tokens == 900
    assert settings.evaluator.temperature == 0.0 and settings.counterpart.temperature == 0.8


def test_each_role_gets_its_own_model_and_token_budget() -> None:
    settings = load_settings(
        {
            "COACH_COUNTERPART_MODEL": "small",
            "COACH_EVALUATOR_MODEL": "careful",
            "COACH_COUNTERPART_MAX_TOKENS": "250",
            "COACH_EVALUATOR_MAX_TOKENS": "4000",
            "COACH_LLM_TIMEOUT": "12.5",
        }
    )
    assert (settings.counterpart.model, settings.evaluator.model) == ("small", "careful")
    assert (settings.counterpart.max_tokens, settings.evaluator.max_tokens) == (250, 4000)
    assert settings.counterpart.timeout == settings.evaluator.timeout == 12.5


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("COACH_LLM_TIMEOUT", "thirty", "is not a number"),
        ("COACH_LLM_RETRIES", "-1", "is below 0"),
        ("COACH_EVALUATOR_MAX_TOKENS", "9e3", "is not a number"),
        ("COACH_TOKEN_BUDGET", "50", "is below 200"),
        ("COACH_COUNTERPART_TEMPERATURE", "warm", "is not a number"),
    ],
)
def test_a_bad_number_names_the_variable(name: str, value: str, says: str) -> None:
    with pytest.raises(UserError, match=f"{name}='{value}' {says}"):
        load_settings({name: value})


def test_the_cli_reports_a_bad_variable_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COACH_LLM_TIMEOUT", "soon")
    assert main(["ui", "--port", "1"]) != 0
    err = capsys.readouterr().err
    assert "COACH_LLM_TIMEOUT='soon' is not a number" in err and "Traceback" not in err
