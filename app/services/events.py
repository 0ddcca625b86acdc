"""Release events as they happen, told to whoever listens in this process.

Publishing announces an event once its transaction has committed; the
webhook worker and subscriptions listen. Listeners are plain callables that
must not block: they hand the event on (to a queue, an asyncio.Event).
"""

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

Listener = Callable[[dict[str, Any]], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> Callable[[], None]:
    """Call `listener` with every event from now on; returns the way to stop."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


async def announce(event: dict[str, Any]) -> None:
    """Tell every listener of a committed event."""
    for listener in list(_listeners):
        try:
            listener(event)
        except Exception:
            logger.exception("events.listener_failed")
