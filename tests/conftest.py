"""Suite-wide fixtures: no real model requests, and a stub OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from coach.llm import ModelSettings, OpenAIChatModel
from tests.support.stub_server import StubServer


@pytest.fixture(autouse=True)
def block_real_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any client for a non-loopback endpoint raises; the stub on 127.0.0.1 stays allowed."""
    monkeypatch.setenv("COACH_BLOCK_REAL_MODELS", "1")
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_CUSTOM_HEADERS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def _shared_stub_server() -> Iterator[StubServer]:
    with StubServer() as stub:
        yield stub


@pytest.fixture
def stub_server(_shared_stub_server: StubServer) -> StubServer:
    """A stub server with an empty script and no recorded requests (shared per module)."""
    _shared_stub_server.reset()
    return _shared_stub_server


@pytest.fixture
async def make_model(
    stub_server: StubServer,
) -> AsyncIterator[Callable[..., OpenAIChatModel]]:
    """Builds `OpenAIChatModel`s for the stub (ModelSettings fields as keywords); closes them."""
    built: list[OpenAIChatModel] = []

    def make(**overrides: Any) -> OpenAIChatModel:
        settings = ModelSettings(model="stub-model", **overrides)
        model = OpenAIChatModel(settings, api_key="test-key", base_url=stub_server.url)
        built.append(model)
        return model

    yield make
    for model in built:
        await model.aclose()
