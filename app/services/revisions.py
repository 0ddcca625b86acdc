"""Revisions and activity: recorded in the same transaction as the change."""

import datetime as dt
import uuid
from decimal import Decimal
from enum import Enum
from typing import Any

from tortoise.models import Model

from app.errors import InvalidInput, NotFound
from app.models import Activity, Revision
from app.services.collections import Collection
from permissions import Principal


def snapshot(collection: Collection, item: Model) -> dict[str, Any]:
    """The row as plain JSON values: what a revision stores and a conflict shows."""
    data: dict[str, Any] = {}
    for name in collection.fields:
        data[name] = _plain(getattr(item, name))
    for name, relation in collection.many_to_one.items():
        data[name] = _plain(getattr(item, relation.column))
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def organization_of(collection: Collection, item: Model) -> uuid.UUID:
    return item.pk if collection.name == "organizations" else item.organization_id


async def record(
    collection: Collection,
    action: str,
    item: Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    principal: Principal,
    comment: str | None = None,
) -> Revision | None:
    """A revision and an activity entry for one change; nothing if nothing changed.

    System fields (dates, who) change on every save and say nothing of the
    content, so they are left out of the delta.
    """
    changed = changes(before, after)
    if action == "update" and not changed:
        return None
    organization_id = organization_of(collection, item)
    revision = await Revision.create(
        id=item.revision,
        organization_id=organization_id,
        user_created=principal.id,
        action=action,
        collection=collection.name,
        item=item.pk,
        data=after if after is not None else before,
        before={n: (before or {}).get(n) for n in changed} if before else None,
        after={n: (after or {}).get(n) for n in changed} if after else None,
    )
    await Activity.create(
        organization_id=organization_id,
        user_created=principal.id,
        action=action,
        collection=collection.name,
        item=item.pk,
        revision=revision,
        comment=comment,
    )
    return revision


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """The content fields that differ; system fields change on every save."""
    return [
        name
        for name in (after or before or {})
        if name not in _SYSTEM and (before or {}).get(name) != (after or {}).get(name)
    ]


def changed(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return bool(changes(before, after))


_SYSTEM = {"user_created", "date_created", "user_updated", "date_updated", "revision"}


async def revert(principal: Principal, revision_id: Any) -> Revision | None:
    """Bring a row back to a revision's state, as an update by the principal.

    The caller needs to read the revision and to update the row; a revision of
    a deletion cannot bring the row back.
    """
    from app.services import collections, items
    from app.services.query import parse_id, scoped

    history = collections.get("revisions")
    revision = await scoped(history, principal).filter(id=parse_id(revision_id)).first()
    if revision is None:
        raise NotFound(f"No revisions item with id {revision_id}.")
    if revision.action == "delete":
        raise InvalidInput("A deleted item cannot be brought back by a revert.")
    collection = collections.get(revision.collection)
    writable = {
        name: value
        for name, value in revision.data.items()
        if name in collection.many_to_one
        or (name in collection.fields and not collection.fields[name].read_only)
    }
    await items.update_items(
        collection,
        [revision.item],
        writable,
        principal,
        comment=f"revert to revision {revision.pk}",
    )
    (row,) = await collection.model.filter(id=revision.item).values_list(
        "revision", flat=True
    )
    return await Revision.get_or_none(id=row)
