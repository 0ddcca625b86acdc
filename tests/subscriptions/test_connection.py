"""A graphql-transport-ws connection: sign-in, origin, limits, one principal."""

import pytest
from websockets.exceptions import InvalidStatus

from tests.subscriptions.helpers import (
    RELEASE_EVENTS,
    connected,
    event_of,
    running,
    subscribed,
)


async def test_a_bad_token_in_connection_init_closes_the_socket(url):
    async with connected(url) as client:
        await client.send(
            {
                "type": "connection_init",
                "payload": {"Authorization": "Bearer lxc_not_a_token"},
            }
        )
        closed = await client.closed()

    assert closed == (4403, "The channel token is not valid.")


async def test_a_bad_token_on_the_upgrade_request_closes_the_socket(url):
    headers = {"Authorization": "Bearer not.a.jwt"}
    async with connected(url, headers) as client:
        await client.send({"type": "connection_init"})
        closed = await client.closed()

    assert closed == (4403, "The access token is not valid.")


async def test_a_token_that_is_not_a_string_closes_the_socket(url):
    async with connected(url) as client:
        await client.send(
            {"type": "connection_init", "payload": {"Authorization": ["Bearer"]}}
        )
        closed = await client.closed()

    assert closed == (4403, "Send Authorization as a string: Bearer <token>.")


async def test_the_upgrade_requests_header_signs_in_without_a_payload(desk, url):
    first = await desk.release()
    headers = {"Authorization": f"Bearer {desk.tokens['everything']}"}

    async with connected(url, headers) as client:
        ack = await client.init()
        await client.subscribe("1", RELEASE_EVENTS, {"after": "0"})
        heard = event_of(await client.receive())

    assert ack == {"type": "connection_ack"}
    assert heard["cursor"] == first["cursor"]


async def test_the_payload_token_wins_over_the_header(desk, url):
    headers = {"Authorization": f"Bearer {desk.tokens['learner']}"}
    me = "{ users_me { email } }"

    async with connected(url, headers) as client:
        await client.init({"Authorization": f"Bearer {desk.tokens['reviewer']}"})
        await client.subscribe("q", me)
        answer = await client.receive()
        done = await client.receive()

    assert answer == {
        "id": "q",
        "type": "next",
        "payload": {"data": {"users_me": {"email": "reviewer@home.example"}}},
    }
    assert done == {"id": "q", "type": "complete"}


async def test_other_origins_may_not_open_a_socket(desk, settings):
    allowed = settings.model_copy(update={"cors_origins": ["https://portal.example"]})
    async with running(allowed) as url:
        with pytest.raises(InvalidStatus) as refused:
            async with connected(url, origin="https://evil.example"):
                pass
        async with connected(url, origin="https://portal.example") as portal:
            portal_ack = await portal.init()
        same_site = url.replace("ws://", "http://").removesuffix("/graphql")
        async with connected(url, origin=same_site) as console:
            console_ack = await console.init()

    assert refused.value.response.status_code == 403
    assert portal_ack == console_ack == {"type": "connection_ack"}


async def test_query_limits_apply_to_subscriptions(desk, settings, url):
    aliases = " ".join(f"a{n}: cursor" for n in range(settings.max_aliases + 1))
    query = f"subscription {{ release_events {{ {aliases} }} }}"

    async with subscribed(url, desk.tokens["everything"], query=query) as client:
        refused = await client.receive()

    assert refused["type"] == "error"
    [error] = refused["payload"]
    assert error["extensions"] == {"code": "LIMIT_EXCEEDED"}
    assert error["message"] == (
        f"{settings.max_aliases + 1} aliases found. Allowed: {settings.max_aliases}"
    )


async def test_a_connection_runs_a_bounded_number_of_operations(desk, settings):
    await desk.release()
    two = settings.model_copy(update={"max_operations_per_connection": 2})

    async with running(two) as url, connected(url) as client:
        await client.init({"Authorization": f"Bearer {desk.tokens['reviewer']}"})
        for op in ("1", "2", "3"):
            await client.subscribe(op, RELEASE_EVENTS, {"after": "0"})
        answers = [await client.receive() for _ in range(3)]
        await client.send({"id": "1", "type": "complete"})
        await client.subscribe("4", RELEASE_EVENTS, {"after": "0"})
        fourth = await client.receive()

    refused = [a for a in answers if a["type"] == "error"]
    assert refused == [
        {
            "id": "3",
            "type": "error",
            "payload": [
                {
                    "message": "At most 2 operations run at once on one "
                    "connection; complete one first.",
                    "extensions": {"code": "LIMIT_EXCEEDED"},
                }
            ],
        }
    ]
    assert sorted(a["id"] for a in answers if a["type"] == "next") == ["1", "2"]
    assert fourth["id"] == "4" and fourth["type"] == "next"


async def test_a_cursor_must_be_one_the_feed_gave(desk, url):
    async with subscribed(url, desk.tokens["everything"], after="x") as client:
        refused = await client.receive()

    assert refused["type"] == "error"
    [error] = refused["payload"]
    assert error["extensions"] == {"code": "INVALID_INPUT"}
    assert error["message"] == "A cursor is the string an event or feed page returned."


async def test_a_subscription_over_http_is_told_to_use_a_websocket(http):
    response = await http.post(
        "/graphql", json={"query": "subscription { release_events { cursor } }"}
    )

    assert response.status_code == 200
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "Subscriptions run over a WebSocket to /graphql "
                "(graphql-transport-ws), not over HTTP.",
                "extensions": {"code": "INVALID_INPUT"},
            }
        ],
    }
