"""A graphql-transport-ws client and an in-process server on a real port."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin, Subprotocol

from app.main import create_app
from app.settings import Settings
from tests.server.test_serve import free_port

PROTOCOL = Subprotocol("graphql-transport-ws")
RELEASE_EVENTS = (
    "subscription($after: String) { release_events(after: $after) "
    "{ cursor kind course version content_hash date } }"
)


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[str]:
    """lexstack served by uvicorn in this event loop; yields the WebSocket URL.

    The test's ORM connection is the server's, so what a test publishes
    through the services is announced to the server's subscribers.
    """
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, manage_database=False),
        host="127.0.0.1",
        port=port,
        log_config=None,
        ws="websockets-sansio",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the server stopped while starting"
        await asyncio.sleep(0.01)
    try:
        yield f"ws://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


class Client:
    """One graphql-transport-ws connection, as a front end would open it."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket

    async def init(self, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {"type": "connection_init"}
        if payload is not None:
            message["payload"] = payload
        await self.send(message)
        return await self.receive()

    async def subscribe(
        self, id: str, query: str, variables: dict[str, Any] | None = None
    ) -> None:
        payload = {"query": query, "variables": variables or {}}
        await self.send({"id": id, "type": "subscribe", "payload": payload})

    async def send(self, message: dict[str, Any]) -> None:
        await self.socket.send(json.dumps(message))

    async def receive(self, within: float = 10) -> dict[str, Any]:
        return json.loads(await asyncio.wait_for(self.socket.recv(), within))

    async def closed(self, within: float = 10) -> tuple[int, str]:
        """Wait for the server to close the connection; its code and reason."""
        try:
            message = await asyncio.wait_for(self.socket.recv(), within)
        except ConnectionClosed as exc:
            assert exc.rcvd is not None, "closed without a close frame"
            return exc.rcvd.code, exc.rcvd.reason
        raise AssertionError(f"expected the connection to close, got {message}")


@asynccontextmanager
async def connected(
    url: str, headers: dict[str, str] | None = None, origin: str | None = None
) -> AsyncIterator[Client]:
    async with connect(
        url,
        subprotocols=[PROTOCOL],
        additional_headers=headers,
        origin=Origin(origin) if origin else None,
        open_timeout=10,
        proxy=None,
    ) as socket:
        yield Client(socket)


@asynccontextmanager
async def subscribed(
    url: str,
    token: str | None,
    after: str | None = None,
    query: str = RELEASE_EVENTS,
) -> AsyncIterator[Client]:
    """A connection signed in with the token, subscribed to release events as "1"."""
    async with connected(url) as client:
        payload = {"Authorization": f"Bearer {token}"} if token else {}
        assert await client.init(payload) == {"type": "connection_ack"}
        await client.subscribe("1", query, {"after": after})
        yield client


def event_of(message: dict[str, Any]) -> dict[str, Any]:
    assert message["type"] == "next", message
    assert "errors" not in message["payload"], message
    return message["payload"]["data"]["release_events"]
