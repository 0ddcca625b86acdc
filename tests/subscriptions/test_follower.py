"""A follower's replay and live events meet without a gap or a repeat."""

import asyncio
from collections.abc import AsyncGenerator
from typing import Any

import pytest

from app.errors import Forbidden
from app.models import ChangeEvent
from app.services import events, feed
from app.services.subscriptions import Follower
from permissions import Principal, PrincipalKind
from tests.subscriptions.conftest import shown


async def started(stream: AsyncGenerator) -> asyncio.Future[Any]:
    """The stream's next item, waited for by a task that is already listening."""
    pending = asyncio.ensure_future(anext(stream))
    # One turn of the loop runs the task to its first wait, on the queue.
    await asyncio.sleep(0)
    return pending


async def test_an_event_announced_during_the_replay_is_told_once(desk):
    first = await desk.release()
    follower = Follower(desk.reviewer, "0", queue_size=10)
    stream = follower.events()

    # The follower listens, then reads the feed; it stops at the first
    # event it replays, so what follows happens during the replay.
    replayed = shown(await anext(stream))
    late = await ChangeEvent.get(id=first["cursor"])
    await events.announce(feed.payload(late))
    second = await desk.release()
    live = shown(await anext(stream))
    third = await desk.release()
    after = shown(await anext(stream))
    await stream.aclose()

    assert [replayed, live, after] == [first, second, third]


async def test_without_a_cursor_only_new_events_are_told(desk):
    await desk.release()
    follower = Follower(desk.reviewer, None, queue_size=10)
    stream = follower.events()
    pending = await started(stream)

    new = await desk.release()
    heard = shown(await pending)
    await stream.aclose()

    assert heard == new


async def test_a_follower_stops_listening_when_closed(desk):
    follower = Follower(desk.reviewer, None, queue_size=10)
    listening = len(events._listeners)
    stream = follower.events()
    pending = await started(stream)
    await desk.release()
    await pending
    during = len(events._listeners)
    await stream.aclose()

    assert during == listening + 1
    assert len(events._listeners) == listening


async def test_a_channel_token_without_a_channel_follows_nothing(desk):
    token = Principal(kind=PrincipalKind.CHANNEL, organization_id=desk.org.pk)

    with pytest.raises(Forbidden) as refused:
        Follower(token, None, queue_size=10)

    assert refused.value.message == "This channel token names no channel."
