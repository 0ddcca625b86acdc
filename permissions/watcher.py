"""Policy changes made in one process reach the others through Redis pub/sub."""

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable

from redis import asyncio as aioredis

logger = logging.getLogger("lexstack.permissions")

CHANNEL = "lexstack:policies"


class RedisWatcher:
    """Casbin watcher: `update` announces a change, `listen` reloads on others'."""

    def __init__(self, url: str) -> None:
        self.redis = aioredis.from_url(url)
        self.origin = f"{os.getpid()}:{id(self)}"
        self._task: asyncio.Task[None] | None = None

    def set_update_callback(self, callback: Callable[[], object]) -> None:
        self.callback = callback

    async def update(self) -> bool:
        await self.redis.publish(CHANNEL, self.origin)
        return True

    async def start(self, reload: Callable[[], Awaitable[None]]) -> None:
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(CHANNEL)
        self._task = asyncio.create_task(self._listen(pubsub, reload))

    async def _listen(self, pubsub, reload) -> None:  # type: ignore[no-untyped-def]
        async for message in pubsub.listen():
            if message.get("type") != "message":
                continue
            if message["data"].decode() == self.origin:
                continue
            try:
                await reload()
                logger.info("policies.reloaded")
            except Exception:
                logger.exception("policies.reload_failed")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
        await self.redis.aclose()
