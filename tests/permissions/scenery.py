"""Rows of every collection, made generically, for tests that touch them all."""

import datetime as dt
import itertools
import uuid
from typing import Any

from tortoise.models import Model

from app.models.enums import ContentStatus
from app.services import collections, items
from app.services.collections import Collection, Kind
from permissions import SYSTEM

_n = itertools.count(1)


def value_for(collection: Collection, name: str) -> Any:
    """A valid value for a scalar field, unique where a field must be."""
    spec = collection.fields[name]
    n = next(_n)
    if spec.choices:
        return spec.choices[0]
    if spec.kind in (Kind.STRING, Kind.TEXT):
        text = f"{name}-{n}-{uuid.uuid4().hex[:6]}"
        return text[: spec.max_length] if spec.max_length else text
    return {
        Kind.INTEGER: 1,
        Kind.DECIMAL: "1.00",
        Kind.BOOLEAN: False,
        Kind.DATE: (dt.date(2020, 1, 1) + dt.timedelta(days=n)).isoformat(),
        Kind.DATETIME: "2026-01-01T00:00:00+00:00",
        Kind.JSON: {},
        Kind.ID: str(uuid.uuid4()),
    }[spec.kind]


async def data_for(
    collection: Collection, org: Model | None, *, published: bool
) -> dict[str, Any]:
    """Input that creates a valid row in the organization, with fresh parents."""
    data: dict[str, Any] = {}
    for name, spec in collection.fields.items():
        if spec.required:
            data[name] = value_for(collection, name)
    status = collection.fields.get("status")
    if status is not None and status.enum is ContentStatus:
        # Course content is published by a release (see `fresh`), the rest by
        # its status.
        versioned = collection.versioned
        data["status"] = "published" if published and not versioned else "draft"
    for name, relation in collection.many_to_one.items():
        if name == "organization":
            data[name] = str(org.pk)
        else:
            parent = await fresh(relation.target, org, published=published)
            data[name] = str(parent.pk)
    return data


async def fresh(name: str, org: Model | None, *, published: bool = True) -> Model:
    """A new row of the collection in the organization, made by lexstack itself."""
    collection = collections.get(name)
    if name == "webhooks":
        # Webhooks are made by their own mutation, which draws the secret.
        from app.models import Webhook

        channel = await fresh("channels", org)
        return await Webhook.create(
            organization_id=org.pk,
            channel_id=channel.pk,
            url="https://receiver.example/hooks",
            secret="s" * 43,
        )
    if name == "organizations":
        data = {
            "name": f"Org {next(_n)}",
            "slug": f"org-{uuid.uuid4().hex[:10]}",
            "kind": "publisher",
        }
    else:
        data = await data_for(collection, org, published=published)
    (item,) = await items.create_items(collection, [data], SYSTEM)
    if published and collection.versioned:
        await release_course_of(collection, item)
    return item


async def release_course_of(collection: Collection, item: Model) -> None:
    """Publish, through review, the course a row of the course tree belongs to."""
    from app.services import publishing

    while collection.name != "courses":
        relation = collection.many_to_one[collection.content_parent]
        collection = collections.get(relation.target)
        item = await collection.model.get(id=getattr(item, relation.column))
    review = await publishing.submit(SYSTEM, item.pk, None)
    await publishing.decide(SYSTEM, review.pk, approve=True, comment=None)
    await publishing.publish(SYSTEM, item.pk, None)
