"""The published catalog: release documents in columns, and what channels carry.

Each release enters the catalog as one row named like the course's fields,
with its practice areas and approvals beside it, so published lists filter
and sort in SQL and take the whole course tree from the release document.
The current row of a course is the latest release; withdrawing a course
leaves it no current row.
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from tortoise.expressions import Q

from app.errors import InvalidInput
from app.models import (
    CatalogApproval,
    CatalogEntry,
    CatalogPracticeArea,
    Channel,
    ChannelPin,
    Release,
)
from app.services import collections
from app.services.collections import Collection
from app.services.filters import Dynamic, compile_filter

CATALOG = "catalog"
# Columns of catalog rows that are lexstack's bookkeeping, not course fields.
HIDDEN = {"current", "course", "revision"}
COLUMNS = (
    "title",
    "slug",
    "summary",
    "description",
    "level",
    "format",
    "language",
    "duration_minutes",
    "credit_hours",
    "featured",
    "available_from",
)


class NotInCatalog(InvalidInput):
    """A condition on course fields the catalog does not hold in columns."""


def collection() -> Collection:
    return collections.get(CATALOG)


async def enter(release: Release) -> CatalogEntry:
    """Put a release in the catalog as its course's current row.

    Call inside the transaction that writes the release.
    """
    document = release.document
    await CatalogEntry.filter(course_id=release.course_id, current=True).update(
        current=False
    )
    values = {name: document.get(name) for name in COLUMNS}
    values["credit_hours"] = Decimal(str(values["credit_hours"] or 0))
    if values["available_from"]:
        values["available_from"] = dt.date.fromisoformat(values["available_from"])
    entry = await CatalogEntry.create(
        id=release.pk,
        course_id=release.course_id,
        organization_id=release.organization_id,
        version=release.version,
        current=True,
        date_published=release.date_created,
        user_created=release.user_created,
        **values,
    )
    await CatalogPracticeArea.bulk_create(
        [
            CatalogPracticeArea(
                entry_id=entry.pk,
                practice_area_id=uuid.UUID(link["practice_area"]["id"]),
                organization_id=release.organization_id,
            )
            for link in document.get("practice_areas", [])
        ]
    )
    await CatalogApproval.bulk_create(
        [
            CatalogApproval(
                entry_id=entry.pk,
                organization_id=release.organization_id,
                jurisdiction_id=uuid.UUID(approval["jurisdiction"]["id"]),
                status=approval["status"],
                delivery=approval["delivery"],
                total_hours=Decimal(str(approval["total_hours"])),
                valid_from=dt.date.fromisoformat(approval["valid_from"]),
                valid_until=(
                    dt.date.fromisoformat(approval["valid_until"])
                    if approval.get("valid_until")
                    else None
                ),
            )
            for approval in document.get("approvals", [])
        ]
    )
    return entry


async def leave(course_id: uuid.UUID) -> None:
    """Take a course off the catalog: it keeps its releases, none is current."""
    await CatalogEntry.filter(course_id=course_id, current=True).update(current=False)


def selection_condition(selection: dict[str, Any] | None, now: dt.datetime) -> Q:
    """The condition a channel's selection puts on catalog rows."""
    if not selection:
        return Q()
    return compile_filter(collection(), translate(selection), Dynamic(now=now))


def validate_selection(selection: Any) -> None:
    """Raise INVALID_INPUT unless the selection is a filter over catalog fields."""
    if selection is None:
        return
    if not isinstance(selection, dict):
        raise InvalidInput("A channel's selection is a filter object, or null.")
    selection_condition(selection, dt.datetime.now(dt.UTC))


def translate(where: dict[str, Any]) -> dict[str, Any]:
    """A filter on courses as the same filter on catalog rows.

    The catalog names its columns as courses do; only the course's own id
    lives elsewhere (a catalog row's id is its release's).
    """
    if not isinstance(where, dict):
        raise InvalidInput("A filter must be an object.")
    out: dict[str, Any] = {}
    for key, value in where.items():
        if key in ("_and", "_or") and isinstance(value, list):
            out[key] = [translate(part) for part in value]
        elif key == "id":
            out["course"] = {"id": value}
        elif key in _catalog_keys():
            out[key] = value
        else:
            raise NotInCatalog(
                f'Published courses are aggregated on catalog fields; "{key}" is '
                f"not one ({', '.join(sorted(_catalog_keys()))}).",
                field=key,
            )
    return out


def _catalog_keys() -> set[str]:
    c = collection()
    return {*c.fields, *c.many_to_one, *c.to_many} - HIDDEN


async def channels_carrying(
    organization_id: uuid.UUID, course_id: uuid.UUID
) -> list[uuid.UUID]:
    """The channels of the organization on which the course now stands."""
    carrying = []
    now = dt.datetime.now(dt.UTC)
    pinned = set(
        await ChannelPin.filter(course_id=course_id).values_list(
            "channel_id", flat=True
        )
    )
    for channel in await Channel.filter(organization_id=organization_id):
        current = CatalogEntry.filter(course_id=course_id, current=True)
        if channel.pk in pinned:
            if await current.exists():
                carrying.append(channel.pk)
            continue
        condition = selection_condition(channel.selection, now)
        if await current.filter(condition).exists():
            carrying.append(channel.pk)
    return carrying
