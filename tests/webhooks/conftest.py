"""A real HTTP receiver on 127.0.0.1, and a publisher whose course makes events."""

import asyncio
import hashlib
import hmac
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.models import ChangeEvent, Channel
from app.services import identity, publishing
from app.settings import Settings
from permissions import SYSTEM
from tests import factories


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.body)

    def signed_by(self, secret: str) -> bool:
        """Whether the signature is right for the secret, checked as a receiver does."""
        header = self.headers["x-lexstack-signature"]
        parts = dict(part.split("=", 1) for part in header.split(","))
        expected = hmac.new(
            secret.encode(), parts["t"].encode() + b"." + self.body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(parts["v1"], expected)


@dataclass
class Receiver:
    """Answers 500 to the next `failures` requests, then 204.

    With `gate` set, each request waits for it before answering, so a test
    can hold deliveries in flight.
    """

    url: str = ""
    failures: int = 0
    gate: asyncio.Event | None = None
    requests: list[Received] = field(default_factory=list)
    wanted: int = 0
    enough: asyncio.Event = field(default_factory=asyncio.Event)

    async def hook(self, request: Request) -> Response:
        self.requests.append(Received(dict(request.headers), await request.body()))
        if self.wanted and len(self.requests) >= self.wanted:
            self.enough.set()
        if self.gate is not None:
            await self.gate.wait()
        if self.failures > 0:
            self.failures -= 1
            return Response("receiver is down", status_code=500)
        return Response(status_code=204)

    async def until(self, count: int) -> None:
        """Wait until `count` requests have arrived; ten seconds at most."""
        self.wanted = count
        if len(self.requests) < count:
            async with asyncio.timeout(10):
                await self.enough.wait()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = Starlette(routes=[Route("/hook", receiver.hook, methods=["POST"])])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    # Listening from here on: connections wait in the backlog until the
    # server below takes them.
    sock.listen(64)
    receiver.url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    server = uvicorn.Server(
        uvicorn.Config(app, lifespan="off", log_config=None, access_log=False)
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    yield receiver
    if receiver.gate is not None:
        receiver.gate.set()
    server.should_exit = True
    await task
    sock.close()


@pytest.fixture
def hook_settings(settings: Settings) -> Settings:
    """Worker settings for a receiver on 127.0.0.1, with retries a test can count."""
    return settings.model_copy(
        update={
            "webhook_allow_private": True,
            "webhook_max_attempts": 4,
            "webhook_retry_base_seconds": 60.0,
            "webhook_retry_cap_seconds": 600.0,
            "webhook_timeout_seconds": 5.0,
            "webhook_lease_seconds": 30.0,
        }
    )


@dataclass
class Desk:
    """A publisher with a channel carrying all its courses, and a draft course."""

    org: Any
    channel: Channel
    course: Any

    async def release(self) -> None:
        review = await publishing.submit(SYSTEM, self.course.pk, None)
        await publishing.decide(SYSTEM, review.pk, approve=True, comment=None)
        await publishing.publish(SYSTEM, self.course.pk, None)

    async def edit(self) -> None:
        module = await self.course.modules.all().first()
        await factories.make(
            "lessons", module=module, title="Added", kind="reading", sort=99
        )

    async def withdraw(self) -> None:
        await publishing.withdraw(SYSTEM, self.course.pk)

    async def events(self) -> list[ChangeEvent]:
        return await ChangeEvent.filter(course_id=self.course.pk).order_by("id")


@pytest.fixture
async def desk(clean: None) -> Desk:
    org = await factories.organization()
    await identity.create_channel_token(SYSTEM, org.pk, "Intranet")
    channel = await Channel.get(organization_id=org.pk, name="Intranet")
    course = await factories.course_tree(org, modules=1, lessons=1, status="draft")
    return Desk(org, channel, course)
