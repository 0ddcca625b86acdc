"""Webhook delivery: the outbox sent out, signed, retried, claimed once.

Publishing writes one delivery per event and active webhook into the outbox,
in the release's own transaction. The worker claims due deliveries, posts
each one outside any transaction, and records the outcome: delivered on a
2xx answer, otherwise failed and tried again after a growing delay, dead
after the last attempt. A delivery may arrive more than once (a process can
stop between sending and recording); its id, repeated as Idempotency-Key,
lets the receiver notice.
"""

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import logging
import random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import httpx
from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from app.models import Webhook, WebhookDelivery
from app.models.enums import DeliveryStatus
from app.services import events, feed
from app.services.webhooks import Refused, public_addresses, resolve
from app.settings import Settings

logger = logging.getLogger("lexstack.webhooks")

USER_AGENT = "lexstack-webhooks/1"
DUE = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Lexstack-Signature header: HMAC-SHA256 over "<timestamp>.<body>"."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class Worker:
    """Delivers what the outbox holds, in this process, alongside any others.

    A pass claims a batch of due deliveries in one short transaction and
    moves their next attempt a lease ahead, so another process (PostgreSQL
    skips rows another pass has locked) leaves them alone while they are in
    flight; if this process dies, the lease runs out and they are due again.
    SQLite has one writer: there a second process's claim fails with
    "database is locked" and is tried again at its next poll.
    Started, the worker runs a pass whenever an event is announced here and
    otherwise every poll interval; `run_once` runs a single pass.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: httpx.AsyncClient | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._unlisten: Any = None

    async def start(self) -> None:
        self._client = self._new_client()
        self._stopping = False
        self._unlisten = events.listen(lambda _event: self._wake.set())
        self._task = asyncio.create_task(self._run(), name="webhook-worker")
        logger.info("webhook.worker_started")

    async def stop(self) -> None:
        """Let the pass in flight finish (within the attempt timeout), then stop."""
        self._stopping = True
        self._wake.set()
        if self._unlisten is not None:
            self._unlisten()
        if self._task is not None:
            try:
                await asyncio.wait_for(
                    asyncio.shield(self._task), self.settings.webhook_timeout_seconds
                )
            except TimeoutError:
                # What it was sending is still leased: another pass sends it
                # again once the lease runs out.
                self._task.cancel()
                with suppress(asyncio.CancelledError):
                    await self._task
        if self._client is not None:
            await self._client.aclose()
        self._task = self._client = None
        logger.info("webhook.worker_stopped")

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                claimed = await self.run_once()
            except Exception:
                logger.exception("webhook.pass_failed")
                claimed = 0
            if claimed >= self.settings.webhook_batch_size:
                continue
            with suppress(TimeoutError):
                await asyncio.wait_for(
                    self._wake.wait(), self.settings.webhook_poll_seconds
                )

    async def run_once(self, now: dt.datetime | None = None) -> int:
        """Claim what is due at `now` and attempt each; returns how many."""
        now = now or dt.datetime.now(dt.UTC)
        ids = await self.claim(now)
        if not ids:
            return 0
        due = await WebhookDelivery.filter(id__in=ids).select_related(
            "webhook", "event"
        )
        async with self._session() as client:
            results = await asyncio.gather(
                *(self._attempt(client, d, now) for d in due), return_exceptions=True
            )
        for result in results:
            if isinstance(result, Exception):
                # Left leased: the delivery is due again when the lease ends.
                logger.error("webhook.record_failed", exc_info=result)
        return len(ids)

    async def claim(self, now: dt.datetime) -> list[int]:
        """Lease a batch of due deliveries of active webhooks to this pass."""
        lease = now + dt.timedelta(seconds=self.settings.webhook_lease_seconds)
        active = Subquery(Webhook.filter(active=True).values("id"))
        async with in_transaction():
            # Rows, not values_list: Tortoise leaves FOR UPDATE off the latter.
            rows = await (
                WebhookDelivery.filter(
                    status__in=DUE, next_attempt__lte=now, webhook_id__in=active
                )
                .order_by("next_attempt", "id")
                .limit(self.settings.webhook_batch_size)
                .select_for_update(skip_locked=True)
                .only("id")
            )
            ids = [row.pk for row in rows]
            if ids:
                await WebhookDelivery.filter(id__in=ids).update(next_attempt=lease)
        return ids

    def backoff(self, attempts: int) -> dt.timedelta:
        """The wait after the given number of failed attempts.

        Doubling from the base up to the cap; half of it is random, so that
        the deliveries a receiver's outage failed together do not all come
        back at the same instant.
        """
        base = self.settings.webhook_retry_base_seconds
        cap = self.settings.webhook_retry_cap_seconds
        delay = min(cap, base * 2 ** min(attempts - 1, 32))
        jitter = random.uniform(0, delay / 2)  # noqa: S311 (spreading, not secrecy)
        return dt.timedelta(seconds=delay / 2 + jitter)

    async def _attempt(
        self, client: httpx.AsyncClient, delivery: WebhookDelivery, now: dt.datetime
    ) -> None:
        webhook, event = delivery.webhook, delivery.event
        body = json.dumps(
            {**feed.payload(event, [webhook.channel_id]), "delivery": str(delivery.pk)},
            separators=(",", ":"),
        ).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Lexstack-Event": event.kind.value,
            "X-Lexstack-Delivery": str(delivery.pk),
            # One delivery per webhook and event: its id is the same on
            # every retry, and differs from every other delivery's.
            "Idempotency-Key": str(delivery.pk),
            "X-Lexstack-Signature": signature(webhook.secret, int(time.time()), body),
        }
        started = time.perf_counter()
        code: int | None = None
        error: str | None = None
        try:
            code = await asyncio.wait_for(
                self._post(client, webhook.url, headers, body),
                self.settings.webhook_timeout_seconds,
            )
        except Refused as exc:
            error = str(exc)
        except TimeoutError:
            error = "timed out"
        except Exception as exc:
            error = _describe(exc, webhook.url)
        ms = round((time.perf_counter() - started) * 1000, 1)

        outcome = await self._record(delivery, code, error, now)
        logger.info(
            "webhook.attempt",
            extra={
                "delivery": delivery.pk,
                "webhook": str(webhook.pk),
                "cursor": str(event.pk),
                "attempt": delivery.attempts + 1,
                "status_code": code,
                "outcome": outcome.value,
                "error": error,
                "ms": ms,
            },
        )

    async def _post(
        self,
        client: httpx.AsyncClient,
        url: str,
        headers: dict[str, str],
        body: bytes,
    ) -> int:
        target = httpx.URL(url)
        if self.settings.webhook_allow_private:
            addresses = await resolve(target)
        else:
            # Checked again now, not only when the URL was saved: a name can
            # be pointed at another address at any time.
            addresses = await public_addresses(target)
        # The request goes to the address just checked, never to a second
        # lookup of the name; Host and TLS still name the host.
        headers = {**headers, "Host": target.netloc.decode("ascii")}
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        failure: Exception | None = None
        for address in addresses:
            try:
                async with client.stream(
                    "POST",
                    target.copy_with(host=str(address)),
                    content=body,
                    headers=headers,
                    extensions=extensions,
                ) as response:
                    # The answer's body is not read: only its status counts.
                    return response.status_code
            except httpx.ConnectError as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def _record(
        self,
        delivery: WebhookDelivery,
        code: int | None,
        error: str | None,
        now: dt.datetime,
    ) -> DeliveryStatus:
        attempts = delivery.attempts + 1
        if code is not None and 200 <= code < 300:
            status = DeliveryStatus.DELIVERED
            values: dict[str, Any] = {"delivered": now, "last_error": None}
        else:
            dead = attempts >= self.settings.webhook_max_attempts
            status = DeliveryStatus.DEAD if dead else DeliveryStatus.FAILED
            values = {
                "next_attempt": now + self.backoff(attempts),
                "last_error": (error or f"HTTP {code}")[:200],
            }
        await WebhookDelivery.filter(id=delivery.pk).update(
            status=status, attempts=attempts, last_status=code, **values
        )
        return status

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[httpx.AsyncClient]:
        if self._client is not None:
            yield self._client
            return
        async with self._new_client() as client:
            yield client

    def _new_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            timeout=self.settings.webhook_timeout_seconds,
            follow_redirects=False,
            # Proxies from the environment would make the address check moot.
            trust_env=False,
            # Connections are made to an address, not a name: reusing one for
            # another host on the same address would skip that host's TLS
            # check.
            limits=httpx.Limits(max_keepalive_connections=0),
        )


def _describe(exc: Exception, url: str) -> str:
    """A short reason for a failed attempt, without the URL (it may hold a token)."""
    detail = str(exc).replace(url, "<url>")
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
