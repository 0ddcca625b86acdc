"""Webhooks of channels: who may manage them, and where they may point.

A webhook is told of every event of its channel (see webhook_worker for the
delivery). Its URL is chosen by an organization's admin, so it is checked
for being a public address when saved, and again before every attempt.
"""

import asyncio
import datetime as dt
import ipaddress
import logging
import secrets
import socket
from typing import Any

import httpx

from app.errors import Forbidden, InvalidInput, NotFound
from app.models import Channel, Webhook, WebhookDelivery
from app.models.enums import DeliveryStatus
from app.services.query import parse_id
from permissions import Action, Principal, authorize

logger = logging.getLogger("lexstack.webhooks")

WEBHOOKS = "webhooks"
MAX_URL = 500
MAX_PAGE = 500
_PORTS = {"http": 80, "https": 443}

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """A destination lexstack will not call: its address is not public."""


# Managing webhooks


async def create_webhook(
    principal: Principal,
    channel_id: Any,
    url: str,
    description: str | None = None,
    *,
    allow_private: bool = False,
) -> tuple[Webhook, str]:
    """A webhook for a channel, and its signing secret, which is shown only here."""
    authorize(principal, Action.MANAGE_TOKENS, WEBHOOKS)
    channel = await Channel.get_or_none(id=parse_id(channel_id))
    if channel is None or not _allowed_in(principal, channel.organization_id):
        raise NotFound("No such channel.")
    url = await check_url(url, allow_private=allow_private)

    secret = secrets.token_urlsafe(32)
    webhook = await Webhook.create(
        organization_id=channel.organization_id,
        channel=channel,
        url=url,
        description=_text(description),
        secret=secret,
        user_created=principal.id,
    )
    logger.info(
        "webhook.created",
        extra={"webhook": str(webhook.pk), "channel": str(channel.pk)},
    )
    return webhook, secret


async def update_webhook(
    principal: Principal,
    webhook_id: Any,
    *,
    url: str | None = None,
    description: str | None = None,
    active: bool | None = None,
    allow_private: bool = False,
) -> Webhook:
    """Change a webhook's URL, description or whether it receives new events."""
    webhook = await _webhook(principal, webhook_id, Action.MANAGE_TOKENS)
    if url is not None:
        webhook.url = await check_url(url, allow_private=allow_private)
    if description is not None:
        webhook.description = _text(description)
    if active is not None:
        webhook.active = active

    webhook.user_updated = principal.id
    await webhook.save()
    logger.info("webhook.updated", extra={"webhook": str(webhook.pk)})
    return webhook


async def delete_webhook(principal: Principal, webhook_id: Any) -> bool:
    """Remove a webhook and its deliveries."""
    webhook = await _webhook(principal, webhook_id, Action.MANAGE_TOKENS)
    await webhook.delete()
    logger.info("webhook.deleted", extra={"webhook": str(webhook.pk)})
    return True


async def rotate_webhook_secret(
    principal: Principal, webhook_id: Any
) -> tuple[Webhook, str]:
    """A new signing secret, shown once; the old one signs nothing from now on."""
    webhook = await _webhook(principal, webhook_id, Action.MANAGE_TOKENS)
    secret = secrets.token_urlsafe(32)
    webhook.secret = secret
    webhook.user_updated = principal.id
    await webhook.save(update_fields=["secret", "user_updated", "date_updated"])
    logger.info("webhook.secret_rotated", extra={"webhook": str(webhook.pk)})
    return webhook, secret


async def redeliver(principal: Principal, delivery_id: Any) -> WebhookDelivery:
    """Send a failed or dead delivery again, now, with a fresh round of attempts."""
    authorize(principal, Action.MANAGE_TOKENS, WEBHOOKS)
    delivery = await WebhookDelivery.get_or_none(id=_bigint(delivery_id))
    if delivery is None:
        raise NotFound("No such webhook delivery.")
    webhook = await Webhook.get(id=delivery.webhook_id)
    if not _allowed_in(principal, webhook.organization_id):
        raise NotFound("No such webhook delivery.")
    if delivery.status not in (DeliveryStatus.FAILED, DeliveryStatus.DEAD):
        raise InvalidInput(
            f"This delivery is {delivery.status.value}; only failed or dead "
            "deliveries are sent again."
        )

    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt = dt.datetime.now(dt.UTC)
    await delivery.save(update_fields=["status", "attempts", "next_attempt"])
    logger.info("webhook.redelivery", extra={"delivery": delivery.pk})
    return delivery


async def deliveries(
    principal: Principal,
    webhook_id: Any,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[WebhookDelivery]:
    """A webhook's deliveries, newest first, with their events."""
    webhook = await _webhook(principal, webhook_id, Action.READ)
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit is from 1 to {MAX_PAGE}.")
    if offset < 0:
        raise InvalidInput("offset is 0 or more.")
    query = WebhookDelivery.filter(webhook_id=webhook.pk)
    if status is not None:
        try:
            query = query.filter(status=DeliveryStatus(status))
        except ValueError as exc:
            names = ", ".join(s.value for s in DeliveryStatus)
            raise InvalidInput(f"status is one of {names}.") from exc
    return (
        await query.order_by("-id").offset(offset).limit(limit).select_related("event")
    )


def _allowed_in(
    principal: Principal, organization_id: Any, action: Action = Action.MANAGE_TOKENS
) -> bool:
    try:
        authorize(principal, action, WEBHOOKS, organization_id)
    except Forbidden:
        return False
    return True


async def _webhook(principal: Principal, webhook_id: Any, action: Action) -> Webhook:
    # Whoever may do this nowhere is told so; to an admin of another
    # organization, this one's webhooks answer as missing ones do.
    authorize(principal, action, WEBHOOKS)
    webhook = await Webhook.get_or_none(id=parse_id(webhook_id))
    if webhook is None or not _allowed_in(principal, webhook.organization_id, action):
        raise NotFound("No such webhook.")
    return webhook


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def _bigint(value: Any) -> int:
    try:
        return int(str(value))
    except ValueError as exc:
        raise InvalidInput(f"{value!r} is not a valid id.") from exc


# Where webhooks may point


async def check_url(url: str, *, allow_private: bool) -> str:
    """The URL if lexstack may post to it; INVALID_INPUT says why not."""
    url = url.strip()
    if len(url) > MAX_URL:
        raise InvalidInput(f"A webhook URL has at most {MAX_URL} characters.")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise InvalidInput(f"{url!r} is not a URL.") from exc
    if parsed.scheme not in _PORTS or not parsed.host:
        raise InvalidInput("A webhook URL starts with http:// or https:// and a host.")
    if parsed.userinfo:
        # The URL is shown to every admin of the organization.
        raise InvalidInput("A webhook URL may not carry a user name or password.")
    if not allow_private:
        try:
            await public_addresses(parsed)
        except Refused as exc:
            raise InvalidInput(str(exc)) from exc
    return url


async def public_addresses(url: httpx.URL) -> list[Address]:
    """The addresses the URL's host resolves to; Refused unless all are public.

    One private address is enough to refuse: a name that resolves to both
    is how an attacker would aim at the inside.
    """
    addresses = await resolve(url)
    refused = [a for a in addresses if not _public(a)]
    if refused:
        raise Refused(f"{url.host} is not a public address ({refused[0]}).")
    return addresses


async def resolve(url: httpx.URL) -> list[Address]:
    port = url.port or _PORTS.get(url.scheme, 80)
    loop = asyncio.get_running_loop()
    try:
        found = await loop.getaddrinfo(url.host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise Refused(f"{url.host} does not resolve.") from exc
    addresses: list[Address] = []
    for *_, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def _public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1 and 6to4 addresses carry an IPv4 address inside.
        inner = address.ipv4_mapped or address.sixtofour
        if inner is not None:
            return _public(inner)
    # is_global leaves out loopback, private, link-local (cloud metadata
    # at 169.254.169.254), shared and reserved ranges; not multicast.
    return address.is_global and not address.is_multicast
