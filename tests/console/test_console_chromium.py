"""End-to-end: the GraphiQL console runs a query in Chromium with no outside network."""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from playwright.sync_api import (
    ConsoleMessage,
    Route,
    WebSocket,
    expect,
    sync_playwright,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Named, and unlike the console's default query, so the request proves ?q= was used.
QUERY = 'query ConsoleCheck { courses(limit: 5, sort: ["title"]) { id title } }'
STARTUP_TIMEOUT = 60.0


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers_pong(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).text.strip() == "pong"
    except httpx.HTTPError:
        return False


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    lexstack = Path(sys.executable).with_name("lexstack")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "LEXSTACK_DATABASE_URL": f"sqlite://{tmp_path}/console.sqlite3",
        "PYTHONUNBUFFERED": "1",
    }
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603
            [lexstack, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            # The first start migrates and seeds the demo catalogue.
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while not _answers_pong(f"{base_url}/server/ping"):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"server did not answer /server/ping "
                        f"(exit code {process.poll()}):\n{log_path.read_text()}"
                    )
                time.sleep(0.25)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# chromium before server: a missing browser skips without starting the server.
def test_console_runs_a_query_offline(chromium: Path, server: str) -> None:
    outside: list[str] = []
    errors: list[str] = []

    def local_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    def record_socket(ws: WebSocket) -> None:
        # WebSockets bypass routing: they can only be recorded.
        if urlsplit(ws.url).hostname not in LOCAL_HOSTS:
            outside.append(ws.url)

    def record_error(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context()
            context.route("**/*", local_only)
            page = context.new_page()
            page.on("console", record_error)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("websocket", record_socket)

            page.goto(f"{server}/graphql?{urlencode({'q': QUERY})}")
            expect(page).to_have_title("lexstack console")
            execute = page.locator(".graphiql-execute-button")
            expect(execute).to_be_visible(timeout=30_000)

            with page.expect_response(
                lambda r: "ConsoleCheck" in (r.request.post_data or "")
            ) as executed:
                execute.click()
            payload = executed.value.json()
            assert "errors" not in payload, json.dumps(payload, indent=2)
            courses = payload["data"]["courses"]
            assert courses, "the demo catalogue should have been seeded"

            result = page.locator(".graphiql-response")
            expect(result).to_contain_text('"courses"', timeout=15_000)
            expect(result).to_contain_text(courses[0]["title"])
        finally:
            browser.close()

    assert outside == []
    assert errors == []
