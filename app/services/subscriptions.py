"""Following release events live: the feed after a cursor, then what is announced.

A follower listens before it reads the feed, so an event committed while
the replay runs is held in its queue rather than lost; the feed's cursor
order is commit order, so whatever the replay showed has a cursor at or
below the last one it showed, and a held event at or below it is a repeat.
"""

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

from app.errors import Forbidden, InvalidInput, LimitExceeded
from app.models import ChangeEvent, ChannelEvent
from app.services import events, feed
from app.services.auth import user_principal
from permissions import ALL, Action, Principal, PrincipalKind, organizations, policies

logger = logging.getLogger("lexstack.subscriptions")

REPLAY_PAGE = feed.MAX_PAGE


class Follower:
    """Release events one principal may follow, from a cursor or from now on.

    A channel follows the events of its own channel; a user, those of every
    organization where they may read the change feed. Who may follow what
    is decided when the follower is made, and again whenever the policies
    change, so a revoked role stops the events it granted.
    """

    def __init__(self, principal: Principal, after: str | None, queue_size: int):
        self.principal = principal
        self.after = _cursor(after)
        self.queue_size = queue_size
        self.channel: str | None = None
        self.organizations: frozenset[str] | None = None
        self._decide()

    def _decide(self) -> None:
        self.generation = policies.generation
        orgs = organizations(self.principal, Action.READ, feed.FEED)
        if orgs is not ALL and not orgs:
            raise Forbidden("You may not follow release events.")
        if self.principal.kind is PrincipalKind.CHANNEL:
            if self.principal.channel_id is None:
                raise Forbidden("This channel token names no channel.")
            self.channel = str(self.principal.channel_id)
        self.organizations = None if orgs is ALL else frozenset(map(str, orgs))

    def _redecide(self) -> None:
        if self.generation == policies.generation:
            return
        if self.principal.kind is PrincipalKind.USER and self.principal.id:
            self.principal = user_principal(self.principal.id)
        self._decide()

    def admits(self, event: dict[str, Any]) -> bool:
        if self.channel is not None:
            return self.channel in event.get("channels", ())
        if self.organizations is None:
            return True
        return event.get("organization") in self.organizations

    async def events(self) -> AsyncGenerator[dict[str, Any], None]:
        """The replay after the cursor, if one was given, then events as they come.

        The queue is bounded: a consumer that falls `queue_size` events
        behind is ended with LIMIT_EXCEEDED and the cursor to resume from,
        rather than held in memory without limit.
        """
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(self.queue_size)
        overflowed = False

        def hear(event: dict[str, Any]) -> None:
            nonlocal overflowed
            if overflowed or not self.admits(event):
                return
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                overflowed = True
                stop()

        stop = events.listen(hear)
        try:
            # The cursor a consumer resumes after: the last event it was
            # shown or had no need to be.
            last = self.after
            if self.after is not None:
                async for event in self._replay(self.after):
                    last = int(event["cursor"])
                    yield event
            horizon = last or 0
            while True:
                if overflowed and queue.empty():
                    logger.warning(
                        "subscription.overflowed",
                        extra={"principal": self.principal.kind.value, "after": last},
                    )
                    raise LimitExceeded(
                        f"More than {self.queue_size} events waited for this "
                        "subscription; subscribe again with the cursor in `after`.",
                        after=str(last or 0),
                    )
                event = await queue.get()
                cursor = int(event["cursor"])
                if cursor <= horizon:
                    continue
                last = max(last or 0, cursor)
                self._redecide()
                if self.admits(event):
                    yield event
        finally:
            stop()

    async def _replay(self, cursor: int) -> AsyncIterator[dict[str, Any]]:
        while True:
            if self.channel is not None:
                rows = (
                    await ChannelEvent.filter(
                        channel_id=self.channel, event_id__gt=cursor
                    )
                    .order_by("event_id")
                    .limit(REPLAY_PAGE)
                    .select_related("event")
                )
                page: list[ChangeEvent] = [row.event for row in rows]
                channels = [self.channel]
            else:
                page, _ = await feed.read(self.principal, str(cursor), REPLAY_PAGE)
                channels = []
            for event in page:
                yield feed.payload(event, channels)
            if len(page) < REPLAY_PAGE:
                return
            cursor = page[-1].id


def _cursor(after: str | None) -> int | None:
    if after is None:
        return None
    if not after.isdigit():
        raise InvalidInput("A cursor is the string an event or feed page returned.")
    return int(after)
