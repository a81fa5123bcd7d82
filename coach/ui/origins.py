"""Which browser origins may open the practice room's WebSocket.

Chainlit 2.12 applies `allow_origins` (.chainlit/config.toml) to HTTP only, through CORS, and
creates its Socket.IO server with origin checks switched off. Browsers do not apply CORS to
WebSockets, so a page served from any other origin (another local port counts as the same
*site* for cookies) could open the room's socket with the user's cookie. The room checks the
Origin header itself: its own origin, plus whatever `allow_origins` lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any


def own_origins(environ: Mapping[str, Any]) -> set[str]:
    """The origins the request was addressed to: scheme://host, as seen directly or via a proxy."""
    scheme = str(environ.get("wsgi.url_scheme") or "http")
    host = environ.get("HTTP_HOST")
    origins = {f"{scheme}://{host}"} if host else set()
    forwarded_host = environ.get("HTTP_X_FORWARDED_HOST") or host
    forwarded_proto = environ.get("HTTP_X_FORWARDED_PROTO") or scheme
    if forwarded_host:
        first_host = str(forwarded_host).split(",")[0].strip()
        first_proto = str(forwarded_proto).split(",")[0].strip()
        origins.add(f"{first_proto}://{first_host}")
    return origins


def origin_allowed(origin: str | None, environ: Mapping[str, Any], extra: Iterable[str]) -> bool:
    """True without an Origin header (not a browser), for the room's own origin or a listed one."""
    listed = set(extra)
    if not origin or "*" in listed:
        return True
    return origin in own_origins(environ) or origin in listed


def origin_check(extra: Iterable[str]) -> Callable[[str | None, Mapping[str, Any]], bool]:
    """The callable python-engineio takes as `cors_allowed_origins`."""
    listed = tuple(extra)

    def check(origin: str | None, environ: Mapping[str, Any]) -> bool:
        return origin_allowed(origin, environ, listed)

    return check


def install_socket_origin_check(sio: Any, allow_origins: Iterable[str]) -> None:
    """Make Chainlit's Socket.IO server refuse browsers from foreign origins."""
    sio.eio.cors_allowed_origins = origin_check(allow_origins)
