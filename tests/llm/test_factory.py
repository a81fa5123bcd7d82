"""Backend selection: offline without an endpoint, LLM clients with one; the real-model guard."""

from __future__ import annotations

import pytest

from coach.config import load_settings
from coach.llm import (
    OpenAIChatModel,
    RealModelRequestBlocked,
    build_models,
    check_model_requests_allowed,
    guard,
)


def test_no_endpoint_means_offline() -> None:
    assert build_models(load_settings({})) == (None, None)


def test_local_base_url_alone_builds_both_roles_with_placeholder_key() -> None:
    settings = load_settings(
        {
            "OPENAI_BASE_URL": "http://127.0.0.1:8999/v1",
            "COACH_COUNTERPART_MODEL": "smol",
            "COACH_EVALUATOR_MODEL": "judge",
            "COACH_LLM_TIMEOUT": "7",
        }
    )
    counterpart, evaluator = build_models(settings)
    assert isinstance(counterpart, OpenAIChatModel)
    assert isinstance(evaluator, OpenAIChatModel)
    assert counterpart.name == "openai/smol"
    assert evaluator.name == "openai/judge"
    assert counterpart.settings.timeout == 7
    assert counterpart._client.api_key == "not-needed"
    assert counterpart.base_url == "http://127.0.0.1:8999/v1"
    assert evaluator.role == "evaluator"


def test_real_endpoint_is_blocked_in_tests() -> None:
    with pytest.raises(RealModelRequestBlocked, match=r"api\.openai\.com"):
        build_models(load_settings({"OPENAI_API_KEY": "sk-test"}))
    with pytest.raises(RealModelRequestBlocked):
        build_models(load_settings({"OPENAI_BASE_URL": "https://models.example.org/v1"}))


def test_real_endpoint_allowed_when_not_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COACH_BLOCK_REAL_MODELS")
    counterpart, _ = build_models(load_settings({"OPENAI_API_KEY": "sk-test"}))
    assert isinstance(counterpart, OpenAIChatModel)
    assert counterpart.base_url == "https://api.openai.com/v1"


def test_allow_flag_blocks_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COACH_BLOCK_REAL_MODELS")
    monkeypatch.setattr(guard, "ALLOW_MODEL_REQUESTS", False)
    with pytest.raises(RealModelRequestBlocked):
        check_model_requests_allowed("https://api.openai.com/v1")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:1/v1", "http://localhost:8080/v1", "http://[::1]:9/v1"]
)
def test_loopback_stays_allowed(url: str) -> None:
    check_model_requests_allowed(url)
