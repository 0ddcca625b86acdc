"""Two `lexstack serve` processes on one database hear each other's releases."""

import uuid

import httpx

from app.services import identity
from permissions import SYSTEM
from tests import factories
from tests.permissions.test_propagation import REDIS_URL, redis_or_skip
from tests.server.test_serve import serving
from tests.subscriptions.helpers import event_of, subscribed

LOGIN = (
    "mutation($e: String!, $p: String!) "
    "{ auth_login(email: $e, password: $p) { access_token } }"
)
SUBMIT = "mutation($c: ID!) { submit_course_for_review(course: $c) { id } }"
APPROVE = "mutation($r: ID!) { approve_review(review: $r) { status } }"
PUBLISH = "mutation($c: ID!) { publish_course(course: $c) { version } }"


class Editors:
    """The creator and the reviewer, signed in to one process over HTTP."""

    def __init__(self, base: str) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=10)
        self.tokens: dict[str, str] = {}

    async def sign_in(self) -> None:
        for who in ("creator", "reviewer"):
            data = await self.call(
                None, LOGIN, {"e": f"{who}@home.example", "p": factories.PASSWORD}
            )
            self.tokens[who] = data["auth_login"]["access_token"]

    async def call(self, who: str | None, query: str, variables: dict) -> dict:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    async def release(self, course: str) -> None:
        review = await self.call("creator", SUBMIT, {"c": course})
        review_id = review["submit_course_for_review"]["id"]
        await self.call("reviewer", APPROVE, {"r": review_id})
        await self.call("reviewer", PUBLISH, {"c": course})


async def test_a_release_in_one_process_reaches_subscribers_of_both(
    clean, auth, database_url, tmp_path, monkeypatch
):
    await redis_or_skip()
    org = await factories.organization(slug="home")
    await factories.user(auth, "creator@home.example", creator=org)
    await factories.user(auth, "reviewer@home.example", reviewer=org)
    courses = [
        str((await factories.course_tree(org, status="draft", title=t)).pk)
        for t in ("Ethics", "Evidence", "Privilege")
    ]
    _, channel_token = await identity.create_channel_token(SYSTEM, org.pk, "App")
    monkeypatch.setenv("LEXSTACK_REDIS_URL", REDIS_URL)
    # A channel of this test's own, so that concurrent runs do not cross.
    monkeypatch.setenv("LEXSTACK_EVENTS_CHANNEL", f"lexstack-test:{uuid.uuid4()}")
    monkeypatch.setenv("LEXSTACK_SEED_DEMO", "false")

    with (
        serving(database_url, tmp_path) as (one, _),
        serving(database_url, tmp_path) as (two, _),
    ):
        on_one, on_two = Editors(one), Editors(two)
        await on_one.sign_in()
        await on_two.sign_in()
        await on_two.release(courses[0])
        ws_one = one.replace("http://", "ws://") + "/graphql"
        ws_two = two.replace("http://", "ws://") + "/graphql"
        async with (
            subscribed(ws_one, channel_token, after="0") as channel,
            subscribed(ws_two, on_two.tokens["reviewer"], after="0") as reviewer,
        ):
            # The first event may come from the feed; once it has, both
            # subscribers are listening, and what follows comes live.
            first = [event_of(await channel.receive())]
            first.append(event_of(await reviewer.receive()))
            await on_two.release(courses[1])
            second = [event_of(await channel.receive())]
            second.append(event_of(await reviewer.receive()))
            await on_one.release(courses[2])
            third = [event_of(await channel.receive())]
            third.append(event_of(await reviewer.receive()))
        await on_one.client.aclose()
        await on_two.client.aclose()

    for heard, course in zip((first, second, third), courses, strict=True):
        assert heard[0] == heard[1]
        assert heard[0]["course"] == course
        assert heard[0]["kind"] == "published" and heard[0]["version"] == 1
    assert [int(h[0]["cursor"]) for h in (first, second, third)] == sorted(
        int(h[0]["cursor"]) for h in (first, second, third)
    )
