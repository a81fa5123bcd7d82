"""A guard against accidental real model requests (in tests, mostly).

Set `COACH_BLOCK_REAL_MODELS=1` in the environment, or `guard.ALLOW_MODEL_REQUESTS = False`,
and building a client for any endpoint that is not on this machine (loopback) raises
`RealModelRequestBlocked`. Local stub servers on 127.0.0.1 stay allowed.
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

ALLOW_MODEL_REQUESTS = True
"""Set to False to refuse every non-loopback endpoint (like pydantic-ai's flag)."""

BLOCK_ENV_VAR = "COACH_BLOCK_REAL_MODELS"

DEFAULT_BASE_URL = "https://api.openai.com/v1"


class RealModelRequestBlocked(AssertionError):
    """A real (non-loopback) model endpoint was about to be used while that is blocked."""


def is_loopback(base_url: str | None) -> bool:
    """True when `base_url` points at this machine (localhost, 127.0.0.0/8, ::1)."""
    host = urlsplit(base_url or DEFAULT_BASE_URL).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def real_requests_blocked() -> bool:
    """True when non-loopback endpoints are refused (flag or environment variable)."""
    return not ALLOW_MODEL_REQUESTS or os.environ.get(BLOCK_ENV_VAR, "") not in ("", "0")


def check_model_requests_allowed(base_url: str | None) -> None:
    """Raise `RealModelRequestBlocked` if `base_url` is remote and real requests are blocked."""
    if real_requests_blocked() and not is_loopback(base_url):
        raise RealModelRequestBlocked(
            f"Refusing to build a model client for {base_url or DEFAULT_BASE_URL}: real model "
            f"requests are blocked ({BLOCK_ENV_VAR}=1 or ALLOW_MODEL_REQUESTS=False). "
            "Use ScriptedModel/FunctionModel or the stub server on 127.0.0.1."
        )
