"""The change feed: what was published, updated or withdrawn since a cursor."""

from typing import Any

from tortoise import connections

from app.errors import Forbidden, InvalidInput
from app.models import ChangeEvent, Course
from app.models.enums import ChangeKind
from permissions import ALL, Action, Principal, organizations

FEED = "feed"
MAX_PAGE = 500


async def record(course: Course, kind: ChangeKind, release: Any = None) -> ChangeEvent:
    """Append an event; call inside the transaction of the change it describes."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        # Ids come from a sequence, in the order transactions ask, not the
        # order they commit. Holding this lock until commit makes the two
        # agree, so a reader's cursor never passes an event still in flight.
        await connection.execute_script(
            "LOCK TABLE change_events IN SHARE ROW EXCLUSIVE MODE"
        )
    return await ChangeEvent.create(
        organization_id=course.organization_id,
        course=course,
        kind=kind,
        version=release.version if release is not None else None,
        content_hash=release.content_hash if release is not None else None,
    )


async def read(
    principal: Principal, after: str | None, limit: int
) -> tuple[list[ChangeEvent], str]:
    """Events after the cursor that the principal may follow, and the next cursor."""
    try:
        cursor = int(after or 0)
    except ValueError as exc:
        raise InvalidInput("A cursor is the string a previous page returned.") from exc
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit is from 1 to {MAX_PAGE}.")
    orgs = organizations(principal, Action.READ, FEED)
    if orgs is not ALL and not orgs:
        raise Forbidden("You may not read the change feed.")
    query = ChangeEvent.filter(id__gt=cursor)
    if orgs is not ALL:
        query = query.filter(organization_id__in=list(orgs))
    events = await query.order_by("id").limit(limit)
    next_cursor = str(events[-1].id) if events else str(cursor)
    return events, next_cursor
