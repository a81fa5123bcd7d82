"""The WebSocket origin check (Chainlit leaves it off; coach/ui/origins.py turns it on)."""

from __future__ import annotations

from types import SimpleNamespace

from coach.ui.origins import install_socket_origin_check, origin_allowed, own_origins

DIRECT = {"wsgi.url_scheme": "http", "HTTP_HOST": "127.0.0.1:8000"}


def test_own_origin_is_allowed_and_others_are_not() -> None:
    assert origin_allowed("http://127.0.0.1:8000", DIRECT, [])
    assert not origin_allowed("http://127.0.0.1:9000", DIRECT, [])  # another local port
    assert not origin_allowed("https://evil.example", DIRECT, [])
    assert origin_allowed(None, DIRECT, [])  # not a browser: the login cookie still applies


def test_listed_origins_and_the_wildcard() -> None:
    assert origin_allowed("https://portal.example", DIRECT, ["https://portal.example"])
    assert origin_allowed("https://anything.example", DIRECT, ["*"])


def test_behind_a_proxy_the_forwarded_origin_counts() -> None:
    environ = {
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_HOST": "coach.example, proxy.internal",
    }
    assert own_origins(environ) == {"http://127.0.0.1:8000", "https://coach.example"}
    assert origin_allowed("https://coach.example", environ, [])


def test_install_sets_a_callable_on_the_engineio_server() -> None:
    sio = SimpleNamespace(eio=SimpleNamespace(cors_allowed_origins=[]))
    install_socket_origin_check(sio, [])
    check = sio.eio.cors_allowed_origins
    assert callable(check)
    assert check("http://127.0.0.1:8000", DIRECT) and not check("http://x.example", DIRECT)
