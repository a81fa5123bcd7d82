"""The page Chainlit serves makes no request off the machine."""

import re

from coach.ui.local_only import install_local_only, strip_external

OFF_MACHINE = re.compile(r"""(?:href|src|content)=["']https?://""")


def test_chainlits_page_has_no_off_machine_links_once_installed() -> None:
    import chainlit.server as server

    install_local_only()
    install_local_only()  # idempotent
    page = server.get_html_template("")
    assert '<div id="root">' in page and "/assets/" in page
    assert not OFF_MACHINE.search(page), OFF_MACHINE.findall(page)


def test_local_links_are_kept() -> None:
    html = (
        '<link rel="icon" href="/favicon" />\n'
        '<link rel="preconnect" href="https://fonts.googleapis.com" />\n'
        '<link\n  rel="stylesheet"\n  href="https://cdn.example.org/x.css"\n/>\n'
        '<meta property="og:image" content="https://example.org/a.png">\n'
        '<link rel="stylesheet" crossorigin href="/assets/index.css">'
    )
    out = strip_external(html)
    assert 'href="/favicon"' in out and 'href="/assets/index.css"' in out
    assert "https://" not in out
