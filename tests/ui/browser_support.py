"""Helpers of the browser tests: start and stop `coach ui`, drive Chromium with Playwright."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ASSISTANT = '[data-step-type="assistant_message"]'


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A `coach ui` process on a loopback port, started in its own process group."""

    data_dir: Path
    env: dict[str, str]
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 40.0) -> Server:
        """Launch and wait for HTTP 200 on /."""
        self.port = self.port or free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "COACH_"))}
        env.update(
            COACH_DATA_DIR=str(self.data_dir),
            COACH_LIBRARY_DIR=str(REPO),
            CHAINLIT_AUTH_SECRET="browser-test-secret-" + "x" * 40,
            COACH_BLOCK_REAL_MODELS="1",
        )
        env.update(self.env)
        log = open(self.data_dir / f"server-{self.port}.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from coach.cli import main; sys.exit(main(sys.argv[1:]))",
                "ui",
                "--port",
                str(self.port),
            ],
            cwd=self.data_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"coach ui exited: see {log.name}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise TimeoutError(f"coach ui did not answer on {self.url} within {timeout} s")

    def stop(self) -> None:
        """Terminate the process group (SIGTERM, then SIGKILL)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def shot(page: Any, name: str) -> None:
    """Save a screenshot under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(500)  # let the sidebar finish sliding in
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def login(page: Any, url: str, user: str, password: str) -> None:
    """Log in through the form and wait for the composer."""
    page.goto(url + "/")
    page.fill("#email", user)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("#chat-input", timeout=20_000)


def wait_until_idle(page: Any) -> None:
    """Wait until the room has finished its last task (Chainlit's stop button is gone).

    While a handler runs, Chainlit shows a stop button instead of the send button, and Enter
    sends nothing; a reply can be on screen well before its handler is done (hint, scorecard,
    storage).
    """
    page.wait_for_selector("#stop-button", state="detached")


def send(page: Any, text: str) -> None:
    """Type a move and send it (once the room is idle); wait until it shows as sent.

    The composer can be re-rendered just after a restart (a mode change in the settings) or
    a reply, which empties a box typed into a moment earlier: the send button then never
    enables, or Enter sends nothing though the box is empty. So the move is typed once the
    room is idle, and typed and sent again until it shows among the user's messages.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    wait_until_idle(page)
    box = page.locator("#chat-input")
    shown = page.evaluate(_COUNT_MINE, text[:60])
    for _ in range(3):
        box.wait_for(state="visible")
        box.fill(text)
        try:
            page.wait_for_selector("#chat-submit:enabled", timeout=15_000)
        except PlaywrightTimeout:
            continue
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('#chat-input').value === ''")
        try:  # the box can also be emptied by a re-render: sent only once the move shows
            page.wait_for_function(
                f"(t) => ({_COUNT_MINE})(t) > {shown}", arg=text[:60], timeout=10_000
            )
            break
        except PlaywrightTimeout:
            wait_until_idle(page)
            continue
    else:
        raise AssertionError(f"the move never showed as sent; the box holds {box.input_value()!r}")
    _SENT[id(page)] = text


def assistant_count(page: Any) -> int:
    """How many assistant messages are on screen."""
    return int(page.locator(ASSISTANT).count())


# How many user messages on screen contain the text.
_COUNT_MINE = """(text) => [...document.querySelectorAll('[data-step-type="user_message"]')]
  .filter((s) => s.innerText.includes(text)).length"""

# The last move `send` typed on each page: replies are found after it, not by counting.
_SENT: dict[int, str] = {}

# The position (1-based) among assistant messages of the first one shown after the last
# user message that contains the text; null while there is none.
_REPLY_AFTER = """(text) => {
  const steps = [...document.querySelectorAll('[data-step-type]')];
  let mine = -1;
  steps.forEach((s, i) => {
    if (s.getAttribute('data-step-type') === 'user_message' && s.innerText.includes(text)) {
      mine = i;
    }
  });
  if (mine < 0) return null;
  const replies = [...document.querySelectorAll('REPLY_SELECTOR')];
  for (let k = 0; k < replies.length; k++) {
    if (steps.indexOf(replies[k]) > mine) return k + 1;
  }
  return null;
}""".replace("REPLY_SELECTOR", ASSISTANT)


def wait_for_reply(page: Any, before: int, timeout: float = 45_000) -> Any:
    """The first assistant message after the move just sent (waiting for it to show).

    Found by its place after the move rather than by counting messages, so a count taken
    while the room re-renders cannot send it looking past the reply. `before` (the count
    before sending) serves pages where nothing was typed with `send`."""
    text = _SENT.pop(id(page), None)
    if text is None:
        page.wait_for_function(
            f"document.querySelectorAll('{ASSISTANT}').length > {before}", timeout=timeout
        )
        return page.locator(ASSISTANT).nth(before)
    found = page.wait_for_function(_REPLY_AFTER, arg=text[:60], timeout=timeout)
    return page.locator(ASSISTANT).nth(int(found.json_value()) - 1)


def command(page: Any, name: str) -> None:
    """Run a /command: type it, pick it in the command menu (Enter), send it (Enter)."""
    box = page.locator("#chat-input")
    box.wait_for(state="visible")
    box.fill(f"/{name}")
    page.get_by_role("option", name=name).first.wait_for()
    page.keyboard.press("Enter")  # picks the command: it becomes a chip beside the box
    page.wait_for_function("document.querySelector('#chat-input').value === ''")
    wait_until_idle(page)
    page.keyboard.press("Enter")


def scroll_to(page: Any, locator: Any, attempts: int = 3) -> None:
    """Scroll an element into view once the room is idle; retried if React re-rendered it."""
    wait_until_idle(page)
    for attempt in range(attempts):
        try:
            locator.scroll_into_view_if_needed()
            return
        except Exception:  # "not attached to the DOM": the message was rendered again
            if attempt == attempts - 1:
                raise
            page.wait_for_timeout(300)
