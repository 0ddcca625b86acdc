"""Release events between processes through Redis: once each, across failures.

Each Relay stands for one process. A TCP proxy between a relay and Redis
plays the network failure: cutting it drops the relay's connections and
refuses new ones until it is restored.
"""

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from app.models import ChangeEvent
from app.services import feed
from app.services.events import Relay
from tests.permissions.test_propagation import REDIS_URL, redis_or_skip
from tests.server.test_serve import free_port


class Proxy:
    """Forwards TCP to Redis; `cut` closes every connection and the port."""

    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 6379)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}{parts.path}"
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.writers):
            writer.close()
        await self.server.wait_closed()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.writers |= {writer, up_writer}

        async def copy(source: asyncio.StreamReader, sink: asyncio.StreamWriter):
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.close()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))


async def until(condition: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def channel() -> str:
    return f"lexstack-test:{uuid.uuid4().hex}:events"


async def announced(desk) -> dict[str, Any]:
    """A new release's event, whole, as publishing announces it."""
    shown = await desk.release()
    return feed.payload(await ChangeEvent.get(id=shown["cursor"]))


def cursors(heard: list[dict[str, Any]]) -> list[str]:
    return [event["cursor"] for event in heard]


async def test_every_relay_tells_each_event_once_the_publisher_too(desk):
    await redis_or_skip()
    name = channel()
    heard: dict[str, list[dict[str, Any]]] = {"a": [], "b": []}
    a = Relay(REDIS_URL, name, heard["a"].append)
    b = Relay(REDIS_URL, name, heard["b"].append)
    await a.start()
    await b.start()
    try:
        first, second = await announced(desk), await announced(desk)
        await a.publish(first)
        # A repeat, as a relay republishing after a reconnect sends it.
        await b.publish(first)
        await a.publish(second)
        await until(lambda: len(heard["a"]) == len(heard["b"]) == 2)
    finally:
        await a.close()
        await b.close()

    assert heard["a"] == heard["b"] == [first, second]


async def test_a_relay_cut_off_from_redis_catches_up_and_republishes(desk, caplog):
    await redis_or_skip()
    caplog.set_level(logging.INFO, logger="lexstack.events")
    name = channel()
    proxy = Proxy(REDIS_URL)
    await proxy.start()
    heard: dict[str, list[dict[str, Any]]] = {"cut": [], "whole": []}
    cut = Relay(proxy.url, name, heard["cut"].append)
    whole = Relay(REDIS_URL, name, heard["whole"].append)
    await cut.start()
    await whole.start()
    try:
        before, during_here, during_there = [await announced(desk) for _ in "abc"]
        await cut.publish(before)
        await until(lambda: len(heard["cut"]) == len(heard["whole"]) == 1)

        await proxy.cut()
        await until(lambda: not cut.connected.is_set())
        # Published on each side while they cannot reach each other.
        await cut.publish(during_here)
        await whole.publish(during_there)
        await until(lambda: len(heard["whole"]) == 2)
        told_while_cut = cursors(heard["cut"])

        await proxy.start()
        await until(lambda: len(heard["cut"]) == 3 and len(heard["whole"]) == 3)
        # Published after the republished event, so heard after its repeat.
        after = await announced(desk)
        await cut.publish(after)
        await until(lambda: len(heard["cut"]) == len(heard["whole"]) == 4)
    finally:
        await cut.close()
        await whole.close()
        await proxy.cut()

    assert told_while_cut == cursors([before, during_here])
    assert cursors(heard["cut"]) == cursors([before, during_here, during_there, after])
    assert cursors(heard["whole"]) == cursors(
        [before, during_there, during_here, after]
    )
    logged = [r.getMessage() for r in caplog.records]
    for step in (
        "events.redis_unreachable",
        "events.publish_failed",
        "events.redis_reconnected",
        "events.caught_up",
    ):
        assert step in logged


async def test_without_redis_an_announcement_is_told_here_and_kept(desk):
    heard: list[dict[str, Any]] = []
    relay = Relay(f"redis://127.0.0.1:{free_port()}/0", channel(), heard.append)
    await relay.start()
    try:
        event = await announced(desk)
        await relay.publish(event)
        await relay.publish(event)
    finally:
        await relay.close()

    assert heard == [event]
    assert list(relay.unsent) == [event, event]
