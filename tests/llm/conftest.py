"""Fixtures for the model layer: no real model requests, and a stub server on 127.0.0.1.

`block_real_models` belongs in tests/conftest.py (the whole suite should run with it);
it lives here until it is moved up.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

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
