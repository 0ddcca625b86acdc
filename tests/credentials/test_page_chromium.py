"""The verification page in headless Chromium: readable, scriptless, kept current."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import ConsoleMessage, Route, async_playwright, expect

from tests.credentials.conftest import PUBLIC_URL, earned

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
REVOKE = 'mutation($id: ID!) { revoke_award(id: $id, reason: "Withdrawn.") { id } }'


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


# chromium first: a missing browser skips before anything is issued.
async def test_the_page_says_who_earned_what_and_whether_it_stands(
    chromium, scene, web, gql
):
    award = await earned(scene)
    outside: list[str] = []
    errors: list[str] = []

    async def served(route: Route) -> None:
        # The browser reaches the app in-process, as at its public URL, with
        # the headers it sent and everything the app answers.
        request = route.request
        if urlsplit(request.url).hostname != urlsplit(PUBLIC_URL).hostname:
            outside.append(request.url)
            await route.abort()
            return
        answer = await web.request(
            request.method,
            request.url,
            headers={"accept": request.headers.get("accept", "*/*")},
        )
        await route.fulfill(
            status=answer.status_code,
            headers=dict(answer.headers),
            body=answer.content,
        )

    def record_error(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        try:
            context = await browser.new_context()
            await context.route("**/*", served)
            page = await context.new_page()
            page.on("console", record_error)
            page.on("pageerror", lambda error: errors.append(str(error)))

            await page.goto(award.credential["id"])
            state = page.get_by_role("status")
            await expect(state).to_have_text("Valid")
            await expect(page.locator("h1")).to_have_text("GDPR Practitioner")
            intro = page.locator("main > p").nth(1)
            await expect(intro).to_contain_text("Earned by Lee Lovelace")
            await expect(intro).to_contain_text("issued by Lexcel CLE")
            # The inline style applies: the policy allows it by its hash.
            badge = await state.evaluate("e => getComputedStyle(e).borderRadius")
            assert badge != "0px"
            linkedin = page.get_by_role("link", name="Add to LinkedIn profile")
            await expect(linkedin).to_have_attribute(
                "href", re.compile(r"^https://www\.linkedin\.com/profile/add\?")
            )
            assert await page.evaluate("document.scripts.length") == 0

            await gql.data(REVOKE, {"id": str(award.pk)}, scene.issuer_admin)
            await page.reload()
            await expect(state).to_contain_text("Revoked on")
            checks = page.locator(".checks")
            await expect(checks).to_contain_text("status: failed")
            await expect(checks).to_contain_text("signature: passed")
        finally:
            await browser.close()

    assert outside == []
    assert errors == []
