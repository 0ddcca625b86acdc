"""Submitting, reviewing, publishing, rolling back and withdrawing courses."""

from typing import Any

import strawberry
from strawberry.scalars import JSON

from app.services import feed, publishing


@strawberry.type(name="change_event")
class ChangeEventType:
    cursor: str
    kind: str
    course: strawberry.ID
    version: int | None
    content_hash: str | None
    date: str


@strawberry.type(name="change_feed_page")
class ChangeFeedPage:
    events: list[ChangeEventType]
    next_cursor: str = strawberry.field(
        description="Pass as `after` for the next page; store it between polls."
    )


async def channel_feed(
    info: strawberry.Info, after: str | None = None, limit: int = 100
) -> ChangeFeedPage:
    events, next_cursor = await feed.read(info.context.principal, after, limit)
    return ChangeFeedPage(
        events=[
            ChangeEventType(
                cursor=str(e.id),
                kind=e.kind.value,
                course=strawberry.ID(str(e.course_id)),
                version=e.version,
                content_hash=e.content_hash,
                date=e.date_created.isoformat(),
            )
            for e in events
        ],
        next_cursor=next_cursor,
    )


def fields(types: dict[str, type]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The query and mutation fields of this module, given the collection types."""
    review_type, release_type, course_type = (
        types["reviews"],
        types["releases"],
        types["courses"],
    )

    async def submit_course_for_review(
        info: strawberry.Info, course: strawberry.ID, comment: str | None = None
    ) -> Any:
        return await publishing.submit(info.context.principal, course, comment)

    async def approve_review(
        info: strawberry.Info, review: strawberry.ID, comment: str | None = None
    ) -> Any:
        return await publishing.decide(
            info.context.principal, review, approve=True, comment=comment
        )

    async def request_changes(
        info: strawberry.Info, review: strawberry.ID, comment: str
    ) -> Any:
        return await publishing.decide(
            info.context.principal, review, approve=False, comment=comment
        )

    async def publish_course(
        info: strawberry.Info, course: strawberry.ID, notes: str | None = None
    ) -> Any:
        return await publishing.publish(info.context.principal, course, notes)

    async def rollback_course(
        info: strawberry.Info,
        course: strawberry.ID,
        version: int,
        notes: str | None = None,
    ) -> Any:
        return await publishing.rollback(info.context.principal, course, version, notes)

    async def withdraw_course(info: strawberry.Info, course: strawberry.ID) -> Any:
        return await publishing.withdraw(info.context.principal, course)

    async def release_diff(
        info: strawberry.Info, course: strawberry.ID, before: int, after: int
    ) -> JSON:
        return await publishing.diff(info.context.principal, course, before, after)

    for fn, returns in (
        (submit_course_for_review, review_type),
        (approve_review, review_type),
        (request_changes, review_type),
        (publish_course, release_type),
        (rollback_course, release_type),
        (withdraw_course, course_type),
    ):
        fn.__annotations__["return"] = returns
    mutation = {
        fn.__name__: strawberry.mutation(resolver=fn)
        for fn in (
            submit_course_for_review,
            approve_review,
            request_changes,
            publish_course,
            rollback_course,
            withdraw_course,
        )
    }
    query = {
        "channel_feed": strawberry.field(
            resolver=channel_feed,
            description="Courses published, updated or withdrawn after a cursor, "
            "in order; a channel sees its organization's.",
        ),
        "release_diff": strawberry.field(
            resolver=release_diff,
            description="What changed between two releases of a course.",
        ),
    }
    return query, mutation
