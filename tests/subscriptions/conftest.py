"""A publisher with editors, two channels and tokens; releases on demand."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from tortoise.models import Model

from app.models import ChangeEvent, Channel
from app.services import feed, identity, publishing
from app.services.auth import Auth, user_principal
from app.settings import Settings
from permissions import SYSTEM, Principal
from tests import factories
from tests.subscriptions.helpers import running


@dataclass
class Desk:
    org: Model
    creator: Principal
    reviewer: Principal
    tokens: dict[str, str]  # who -> bearer token
    channels: dict[str, Channel]

    async def release(
        self, reviewer: Principal | None = None, **course: Any
    ) -> dict[str, Any]:
        """A new course through review to its first release; the event announced."""
        reviewer = reviewer or self.reviewer
        draft = await factories.course_tree(
            self.org, modules=1, lessons=1, status="draft", **course
        )
        review = await publishing.submit(self.creator, draft.pk, None)
        await publishing.decide(reviewer, review.pk, approve=True, comment=None)
        await publishing.publish(reviewer, draft.pk, None)
        return await latest(draft.pk)


async def latest(course_id: Any) -> dict[str, Any]:
    """The last event of a course, as subscribers are shown it."""
    event = await ChangeEvent.filter(course_id=course_id).order_by("-id").first()
    return shown(feed.payload(event))


def shown(payload: dict[str, Any]) -> dict[str, Any]:
    """An announced event as the release_events selection of the tests shows it."""
    fields = ("cursor", "kind", "course", "version", "content_hash", "date")
    return {name: payload[name] for name in fields}


@pytest.fixture
async def desk(clean: None, auth: Auth) -> Desk:
    org = await factories.organization(slug="home")
    creator = await factories.user(auth, "creator@home.example", creator=org)
    reviewer = await factories.user(auth, "reviewer@home.example", reviewer=org)
    await factories.user(auth, "learner@home.example", learner=org)
    channels = {
        "everything": await factories.make(
            "channels", organization=org, name="Everything"
        ),
        "advanced": await factories.make(
            "channels",
            organization=org,
            name="Advanced only",
            selection={"level": {"_eq": "advanced"}},
        ),
    }
    tokens = {}
    for key, channel in channels.items():
        _, tokens[key] = await identity.create_channel_token(
            SYSTEM, org.pk, channel.name
        )
    for who in ("reviewer", "learner"):
        login = await auth.login(f"{who}@home.example", factories.PASSWORD, "test")
        tokens[who] = login.access_token
    return Desk(
        org=org,
        creator=user_principal(creator.pk),
        reviewer=user_principal(reviewer.pk),
        tokens=tokens,
        channels=channels,
    )


@pytest.fixture
async def url(desk: Desk, settings: Settings) -> AsyncIterator[str]:
    """The WebSocket URL of lexstack served in the test's event loop."""
    async with running(settings) as address:
        yield address
