"""End to end in headless Chromium: `coach ui` started and stopped by the tests.

Screenshots land in test-artifacts/. Skipped (with the reason) when /usr/bin/chromium or
Playwright is missing; CI installs both (`bash scripts/setup --browser`).
"""

from __future__ import annotations

import contextlib
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coach.ui.auth import add_account
from tests.ui.browser_support import (
    ASSISTANT,
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    assistant_count,
    command,
    login,
    scroll_to,
    send,
    shot,
    wait_for_reply,
    wait_until_idle,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

REVIEW_TITLE = re.compile("After-action review: (PASSED|FAILED)")
PASSWORDS = {"alice": "alice-pass-1", "bob": "bob-pass-12"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    for name, password in PASSWORDS.items():
        add_account(tmp_path / "users.toml", name, password)
    return tmp_path


def new_page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    context.set_default_timeout(45_000)  # a loaded 2-core CI machine can take 20 s+ to start a room
    return context.new_page()


def pick_persona(page: Any, persona_id: str) -> None:
    """Choose a persona in the chat-profile picker at the top of the page."""
    page.click("#chat-profiles")
    page.click(f'[data-test="select-item:{persona_id}"]')
    confirm = page.get_by_role("button", name="Confirm")
    with contextlib.suppress(sync_api.TimeoutError):  # asked only when messages exist
        confirm.click(timeout=3_000)


def test_offline_session_end_to_end_with_restart_and_isolation(browser: Any, data_dir: Path):
    server = Server(data_dir, {}).start()
    try:
        page = new_page(browser)
        login(page, server.url, "alice", PASSWORDS["alice"])
        page.wait_for_selector("text=Brief:")
        pick_persona(page, "minister-tesk")
        page.wait_for_selector("text=Brief: Filling the Sulava Dam")
        page.wait_for_selector("#coach-scorecard")
        assert "offline" in page.locator("#coach-scorecard").inner_text()
        shot(page, "01-brief-and-scorecard")

        before = assistant_count(page)
        send(
            page,
            "We will not decide against an artificial deadline. Let us set up joint "
            "monitoring at the Derim gauge first.",
        )
        reply = wait_for_reply(page, before)
        assert reply.inner_text().strip()
        page.wait_for_selector("#coach-scorecard", timeout=10_000)
        shot(page, "02-first-reply")

        before = assistant_count(page)
        send(page, "Our treaty allocation of 41 billion cubic metres is not on the table.")
        wait_for_reply(page, before)
        page.wait_for_selector("#coach-scorecard")
        scorecard = page.locator("#coach-scorecard").inner_text()
        assert "Red lines" in scorecard and "Level" in scorecard
        shot(page, "03-second-reply-scorecard")

        # 100 KB paste and an empty message get a clear answer; nothing reaches the engine.
        page.locator("#chat-input").fill("x" * 100_000)
        wait_until_idle(page)
        page.keyboard.press("Enter")
        page.wait_for_selector("text=100,000 characters long")
        page.locator("#chat-input").fill("   ")
        assert page.locator("#chat-submit").is_disabled()
        shot(page, "04-paste-refused")

        # Rewind the second move: the engine branches, the room says so.
        page.get_by_role("button", name="Retry my move").last.click()
        page.wait_for_selector("text=Rewound to before your move")
        scroll_to(page, page.get_by_text("Rewound to before your move").last)
        shot(page, "05-rewound")
        thread_url = page.url
        assert "/thread/" in thread_url
    finally:
        server.stop()

    # The server restarts; alice resumes her session from the history.
    server = Server(data_dir, {}, port=server.port).start()
    try:
        page = new_page(browser)
        login(page, server.url, "alice", PASSWORDS["alice"])
        page.locator("#thread-history").get_by_text("Orhan Tesk").first.click()
        page.wait_for_selector("text=is resumed: your move")
        page.wait_for_selector("#coach-scorecard")
        # The header names the session's persona, not the default one.
        page.wait_for_selector("#chat-profiles:has-text('Orhan Tesk')")
        before = assistant_count(page)
        send(page, "Let us agree a six-year filling with binding dry-month releases.")
        wait_for_reply(page, before)
        shot(page, "06-resumed-after-restart")

        before = assistant_count(page)
        page.get_by_role("button", name="End session").last.click()
        page.wait_for_selector(f"text=/{REVIEW_TITLE.pattern}/")
        scroll_to(page, page.get_by_text(REVIEW_TITLE).last)
        shot(page, "07-review")
        chart = page.locator("img[alt='escalation-chart.svg']").last
        scroll_to(page, chart)
        shot(page, "07b-review-chart")
        link = page.get_by_text("-transcript.json").last
        with page.expect_download() as download_info:
            link.click()
        path = download_info.value.path()
        transcript = json.loads(Path(path).read_text())
        assert transcript["scenario"]["id"] == "kessa-dam"
        assert any(t["speaker"] == "counterpart" for t in transcript["turns"])

        # bob sees none of alice's sessions, even with the address of one.
        bob = new_page(browser)
        login(bob, server.url, "bob", PASSWORDS["bob"])
        assert bob.locator("#thread-history").get_by_text("Orhan Tesk").count() == 0
        thread_id = thread_url.rsplit("/thread/", 1)[1]
        assert bob.request.get(f"{server.url}/project/thread/{thread_id}").status in (401, 403, 404)
        assert page.request.get(f"{server.url}/project/thread/{thread_id}").status == 200
        bob.goto(server.url + "/thread/" + thread_id)
        bob.wait_for_timeout(2_000)
        assert "We will not decide against an artificial deadline" not in bob.content()
        shot(bob, "08-bob-cannot-see-alice")
    finally:
        server.stop()


def test_llm_backend_streams_in_single_user_mode(browser: Any, tmp_path: Path):
    from tests.support.stub_server import StubServer

    words = " ".join(f"word{i}" for i in range(40))
    stub = StubServer(default_reply=f"Stub counterpart says: {words}.")
    stub.chunk_delay = 0.08  # slow enough to be seen in pieces on a loaded machine
    stub.start()
    server = Server(
        tmp_path, {"COACH_SINGLE_USER": "1", "OPENAI_BASE_URL": stub.url, "OPENAI_API_KEY": "k"}
    ).start()
    try:
        page = new_page(browser)
        page.goto(server.url + "/")
        page.wait_for_selector("text=Brief:")  # no login form in single-user mode
        assert page.locator("#email").count() == 0
        page.wait_for_selector("#coach-scorecard")
        assert "LLM" in page.locator("#coach-scorecard").inner_text()
        before = assistant_count(page)
        send(page, "We will not accept an artificial deadline.")
        reply = wait_for_reply(page, before)
        seen = set()
        for _ in range(100):
            seen.add(len(reply.inner_text()))
            if "word39" in reply.inner_text():
                break
            page.wait_for_timeout(100)
        assert "word39" in reply.inner_text()
        assert len(seen) > 2, "the reply should arrive in pieces"
        shot(page, "09-llm-streamed")
    finally:
        server.stop()
        stub.stop()


def _status(url: str, origin: str, method: str = "GET") -> int:
    """HTTP status of a request sent with an Origin header (as a browser on that origin)."""
    headers = {"Origin": origin}
    if method == "OPTIONS":
        headers["Access-Control-Request-Method"] = "GET"
    request = urllib.request.Request(url, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def test_exam_mode_then_branches_in_single_user_mode(browser: Any, tmp_path: Path):
    server = Server(tmp_path, {"COACH_SINGLE_USER": "1"}).start()
    try:
        # Only the room's own origin may open its socket or pass CORS (allow_origins = []).
        socket = server.url + "/ws/socket.io/?EIO=4&transport=polling"
        assert _status(socket, server.url) == 200
        assert _status(socket, "http://127.0.0.1:1") == 400
        assert _status(server.url + "/project/settings", "http://evil.example", "OPTIONS") == 400

        page = new_page(browser)
        page.goto(server.url + "/")
        page.wait_for_selector("text=Brief:")
        page.wait_for_selector("#coach-scorecard")
        footer = "Practice tool: the counterpart and the coach can be wrong."
        assert page.get_by_text(footer).count() == 1
        assert page.get_by_text("LLMs can make mistakes").count() == 0

        # Exam mode, chosen in the chat settings before the first move.
        page.click("#chat-settings-open-modal")
        page.click("#mode")
        page.get_by_role("option", name="exam").click()
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_selector("text=restarted in exam mode")
        page.wait_for_selector("#coach-scorecard [data-testid=scores-hidden]")
        assert (
            "exam — no hints, no scores and no rewinds" in page.locator(ASSISTANT).last.inner_text()
        )
        shot(page, "10-exam-mode-chosen")

        moves = [
            "We will not decide under an artificial deadline. What exactly do you propose?",
            "Our red lines are not for sale. Let us look at verifiable steps both sides can take.",
        ]
        for move in moves:
            before = assistant_count(page)
            send(page, move)
            wait_for_reply(page, before)
        page.wait_for_selector("#coach-scorecard [data-testid=turns]:text-is('2')")
        scorecard = page.locator("#coach-scorecard")
        assert "exam" in scorecard.inner_text()
        assert scorecard.locator("[data-testid=scores-hidden]").count() == 1
        assert scorecard.locator("[data-testid=hint]").count() == 0
        assert scorecard.locator("[data-testid^=score-]").count() == 0
        assert page.get_by_text("Hint:").count() == 0
        assert page.get_by_text("Retry my move").count() == 0  # an exam is played once
        shot(page, "11-exam-two-moves-no-feedback")

        # The review at the end brings what the exam held back: scores and moments.
        page.get_by_role("button", name="End session").last.click()
        page.wait_for_selector(f"text=/{REVIEW_TITLE.pattern}/")
        review = page.locator(ASSISTANT).filter(has_text=REVIEW_TITLE).last
        text = review.inner_text()
        assert "Scores by criterion" in text and "Three moments that mattered" in text
        assert "Better:" in text
        page.wait_for_selector("#coach-scorecard [data-testid^=score-]")
        scroll_to(page, review)
        shot(page, "12-exam-review")

        # A new chat is a practice session: rewind move 2 and play it differently, then go
        # back to the first attempt.
        page.goto(server.url + "/")
        page.wait_for_selector("text=Brief:")
        for move in moves:
            before = assistant_count(page)
            send(page, move)
            wait_for_reply(page, before)
        page.get_by_role("button", name="Retry my move 2").last.click()
        page.wait_for_selector("text=Rewound to before your move 2")
        before = assistant_count(page)
        send(page, "Then let us talk about the timetable of the monitoring mission.")
        wait_for_reply(page, before)
        command(page, "branches")
        page.wait_for_selector("text=Attempts in this session")
        shot(page, "13-branches")
        page.get_by_role("button", name="Continue attempt 1").click()
        recap = page.locator(ASSISTANT).filter(has_text="Back on that attempt").last
        recap.wait_for()
        assert "verifiable steps both sides can take" in recap.inner_text()
        page.wait_for_selector("#coach-scorecard [data-testid=turns]:text-is('2')")
        shot(page, "14-back-on-attempt-1")
    finally:
        server.stop()
