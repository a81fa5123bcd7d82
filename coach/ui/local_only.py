"""Keep the practice room's page on this machine: no CDN stylesheet, no font preconnects.

Chainlit's index.html links KaTeX's stylesheet from a CDN and preconnects to Google Fonts
(theme.json's empty `custom_fonts` removes only the font stylesheet). The room renders no
maths, so those links are dropped from the page Chainlit serves.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_EXTERNAL_LINK = re.compile(r"\s*<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*/?>", re.S)
_EXTERNAL_META = re.compile(r"\s*<meta\b[^>]*\bcontent=\"https?://[^\"]*\"[^>]*>", re.S)


def strip_external(html: str) -> str:
    """The page without links or meta tags that point off the machine."""
    return _EXTERNAL_META.sub("", _EXTERNAL_LINK.sub("", html))


def install_local_only() -> None:
    """Wrap Chainlit's page template so every page it serves is local-only (idempotent)."""
    import chainlit.server as server

    template: Callable[[str], str] = server.get_html_template
    if getattr(template, "coach_local_only", False):
        return

    def local_template(root_path: str) -> str:
        return strip_external(template(root_path))

    local_template.coach_local_only = True  # type: ignore[attr-defined]
    server.get_html_template = local_template
