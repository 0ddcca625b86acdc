"""Release events as they happen, told to whoever listens, in every process.

Publishing announces an event once its transaction has committed; the
webhook worker and subscriptions listen. Listeners are plain callables that
must not block: they hand the event on (to a queue, an asyncio.Event).

Without Redis an announcement reaches this process's listeners. With Redis
(`start`), it is published on a pub/sub channel and every process, the
announcing one included, tells its listeners when it arrives, once per
event: the event's cursor is remembered, so a message that comes twice (a
republish, a catch-up after a lost connection) is told once.
"""

import asyncio
import json
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from typing import Any

from redis import asyncio as aioredis
from redis.backoff import NoBackoff
from redis.retry import Retry

from app.models import ChangeEvent, ChannelEvent
from app.services.feed import payload

logger = logging.getLogger("lexstack.events")

Listener = Callable[[dict[str, Any]], None]
_listeners: list[Listener] = []
_relay: "Relay | None" = None

# Cursors told recently, per process; far more than arrive in any window in
# which a message could be repeated.
REMEMBERED = 10_000
# Events published while Redis was unreachable, kept to publish again.
UNSENT = 1_000
FIRST_RETRY, LAST_RETRY = 0.5, 30.0
CATCH_UP_PAGE = 500


def listen(listener: Listener) -> Callable[[], None]:
    """Call `listener` with every event from now on; returns the way to stop."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def tell(event: dict[str, Any]) -> None:
    """Hand an event to this process's listeners."""
    for listener in list(_listeners):
        try:
            listener(event)
        except Exception:
            logger.exception("events.listener_failed")


async def announce(event: dict[str, Any]) -> None:
    """Tell every listener, in every process that shares the relay, of an event."""
    if _relay is None:
        tell(event)
    else:
        await _relay.publish(event)


async def start(redis_url: str, channel: str) -> None:
    """Carry events between processes through Redis from now on."""
    global _relay
    await stop()
    _relay = Relay(redis_url, channel, tell)
    await _relay.start()


async def stop() -> None:
    global _relay
    if _relay is not None:
        relay, _relay = _relay, None
        await relay.close()


class Recent:
    """A bounded set: remembers the last `size` keys added."""

    def __init__(self, size: int) -> None:
        self._order: deque[str] = deque()
        self._keys: set[str] = set()
        self.size = size

    def add(self, key: str) -> bool:
        """Remember the key; False if it was already remembered."""
        if key in self._keys:
            return False
        self._keys.add(key)
        self._order.append(key)
        if len(self._order) > self.size:
            self._keys.discard(self._order.popleft())
        return True


class Relay:
    """Events through one Redis pub/sub channel, told here once each.

    The subscription's connection does not retry on its own: a lost
    connection must be seen, because whatever was published while it was
    down never reaches it. After reconnecting, the relay publishes what it
    could not send and tells what the change feed holds beyond the last
    event it told.
    """

    def __init__(
        self, url: str, channel: str, deliver: Callable[[dict[str, Any]], None]
    ) -> None:
        self.channel = channel
        self.deliver = deliver
        # A mutation waits for its announcement: a slow or absent Redis must
        # cost it seconds at most, and one retry covers a stale connection.
        self.publisher = aioredis.from_url(
            url,
            socket_timeout=2,
            socket_connect_timeout=2,
            retry=Retry(NoBackoff(), 1),
        )
        self.subscriber = aioredis.from_url(
            url,
            socket_connect_timeout=2,
            socket_keepalive=True,
            health_check_interval=10,
            retry=Retry(NoBackoff(), 0),
        )
        self.told = Recent(REMEMBERED)
        self.unsent: deque[dict[str, Any]] = deque(maxlen=UNSENT)
        self.last_cursor = 0
        self.connected = asyncio.Event()
        self._tried = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Subscribe; returns once subscribed, or once the first attempt failed."""
        self.last_cursor = await _newest_cursor()
        self._task = asyncio.create_task(self._run(), name="events.relay")
        await self._tried.wait()

    async def publish(self, event: dict[str, Any]) -> None:
        try:
            await self.publisher.publish(self.channel, json.dumps(event))
        except (aioredis.RedisError, OSError) as exc:
            # Listeners here hear of it now; other processes when Redis is back.
            logger.warning(
                "events.publish_failed",
                extra={"cursor": event.get("cursor"), "error": str(exc)},
            )
            self.unsent.append(event)
            self.receive(event)

    def receive(self, event: dict[str, Any]) -> bool:
        """Tell an event unless it was told already; whether it was told now."""
        cursor = str(event.get("cursor"))
        if not self.told.add(cursor):
            return False
        if cursor.isdigit():
            self.last_cursor = max(self.last_cursor, int(cursor))
        self.deliver(event)
        return True

    async def _run(self) -> None:
        delay = FIRST_RETRY
        lost = False
        while True:
            pubsub = self.subscriber.pubsub()
            try:
                await pubsub.subscribe(self.channel)
                await _confirmed(pubsub)
                self.connected.set()
                self._tried.set()
                if lost:
                    logger.info("events.redis_reconnected")
                    await self._recover()
                    lost = False
                delay = FIRST_RETRY
                while True:
                    message = await pubsub.get_message(
                        ignore_subscribe_messages=True, timeout=5.0
                    )
                    if message is not None and message["type"] == "message":
                        self._message(message["data"])
            except Exception as exc:
                self.connected.clear()
                self._tried.set()
                lost = True
                if isinstance(exc, aioredis.RedisError | OSError):
                    logger.warning(
                        "events.redis_unreachable",
                        extra={"error": str(exc), "retry_in_s": delay},
                    )
                else:
                    logger.exception("events.relay_failed", extra={"retry_in_s": delay})
                await asyncio.sleep(delay)
                delay = min(delay * 2, LAST_RETRY)
            finally:
                await pubsub.aclose()

    def _message(self, data: bytes) -> None:
        try:
            event = json.loads(data)
        except ValueError:
            event = None
        if not isinstance(event, dict) or "cursor" not in event:
            logger.warning("events.message_unreadable", extra={"bytes": len(data)})
            return
        self.receive(event)

    async def _recover(self) -> None:
        while self.unsent:
            event = self.unsent[0]
            await self.publisher.publish(self.channel, json.dumps(event))
            self.unsent.popleft()
        told = 0
        async for event in _events_after(self.last_cursor):
            told += self.receive(event)
        logger.info("events.caught_up", extra={"events": told})

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.publisher.aclose()
        await self.subscriber.aclose()


async def _confirmed(pubsub: Any) -> None:
    """Wait for Redis to confirm the subscription: from then on nothing is missed."""
    deadline = asyncio.get_running_loop().time() + 5
    while asyncio.get_running_loop().time() < deadline:
        message = await pubsub.get_message(timeout=1.0)
        if message is not None and message["type"] == "subscribe":
            return
    raise aioredis.ConnectionError("Redis did not confirm the subscription.")


async def _newest_cursor() -> int:
    newest = await ChangeEvent.all().order_by("-id").first()
    return newest.id if newest is not None else 0


async def _events_after(cursor: int) -> AsyncIterator[dict[str, Any]]:
    """Events of the change feed after a cursor, as announced, oldest first."""
    while True:
        page = (
            await ChangeEvent.filter(id__gt=cursor).order_by("id").limit(CATCH_UP_PAGE)
        )
        if not page:
            return
        rows = await ChannelEvent.filter(event_id__in=[e.id for e in page]).values_list(
            "event_id", "channel_id"
        )
        channels: dict[int, list[Any]] = {}
        for event_id, channel_id in rows:
            channels.setdefault(event_id, []).append(channel_id)
        for event in page:
            yield payload(event, channels.get(event.id, []))
        cursor = page[-1].id
