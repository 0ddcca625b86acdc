"""Review and publishing: from a working copy to numbered, immutable releases.

A creator submits a course; a reviewer who authored none of the changes
since the last release approves it, and the approval names the hash of the
working copy it saw, so any later edit voids it. Publishing needs a valid
approval and writes a release: the whole course tree without answer keys,
as one document with a sha256 over its canonical form.
"""

import datetime as dt
import hashlib
import json
from typing import Any

from tortoise.transactions import in_transaction

from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.models import (
    Approval,
    ApprovalCredit,
    Assessment,
    Choice,
    Course,
    CoursePracticeArea,
    Lesson,
    Module,
    Organization,
    PracticeArea,
    Question,
    Release,
    ReleaseKey,
    Review,
    Revision,
)
from app.models.enums import ChangeKind, ContentStatus, ReviewStatus
from app.services import catalog, collections, events, feed, items
from app.services.published import Published
from app.services.query import Reader, parse_id, scoped
from app.services.revisions import snapshot
from permissions import Action, Principal, authorize

# Fields that change with every save or say who, not what: never part of a hash.
VOLATILE = {
    "user_created",
    "date_created",
    "user_updated",
    "date_updated",
    "revision",
    "status",
    "version",
    "date_published",
}


def _plain(collection: str, row: Any) -> dict[str, Any]:
    described = collections.get(collection)
    data = snapshot(described, row)
    # A workflow status is not content; an approval's status is.
    status = described.fields.get("status")
    dropped = (
        VOLATILE if status and status.enum is ContentStatus else VOLATILE - {"status"}
    )
    return {k: v for k, v in data.items() if k not in dropped}


def _ordered(rows: list[Any]) -> list[Any]:
    return sorted(rows, key=lambda r: (getattr(r, "sort", 0), str(r.pk)))


async def working_tree(course: Course) -> dict[str, Any]:
    """The course as editors have it now, answer keys included."""
    modules = _ordered(await Module.filter(course=course))
    lessons = await Lesson.filter(module_id__in=[m.pk for m in modules])
    assessments = _ordered(await Assessment.filter(course=course))
    questions = await Question.filter(assessment_id__in=[a.pk for a in assessments])
    choices = await Choice.filter(question_id__in=[q.pk for q in questions])
    approvals = await Approval.filter(course=course).prefetch_related("jurisdiction")
    credits = await ApprovalCredit.filter(approval_id__in=[a.pk for a in approvals])
    links = await CoursePracticeArea.filter(course=course)
    areas = {
        a.pk: a
        for a in await PracticeArea.filter(id__in=[k.practice_area_id for k in links])
    }
    publisher = await Organization.get(id=course.organization_id)

    def children(rows: list[Any], column: str, parent: Any) -> list[Any]:
        return _ordered([r for r in rows if getattr(r, column) == parent.pk])

    return {
        **_plain("courses", course),
        # The publisher and the jurisdictions as they stood at release, so a
        # published course answers filters on them from its own document.
        "organization": _plain("organizations", publisher),
        "practice_areas": sorted(
            (
                {
                    **_plain("courses_practice_areas", link),
                    "practice_area": _plain(
                        "practice_areas", areas[link.practice_area_id]
                    ),
                }
                for link in links
            ),
            key=lambda link: link["practice_area"]["slug"],
        ),
        "modules": [
            {
                **_plain("modules", m),
                "lessons": [
                    _plain("lessons", x) for x in children(lessons, "module_id", m)
                ],
            }
            for m in modules
        ],
        "assessments": [
            {
                **_plain("assessments", a),
                "questions": [
                    {
                        **_plain("questions", q),
                        "choices": [
                            _plain("choices", c)
                            for c in children(choices, "question_id", q)
                        ],
                    }
                    for q in children(questions, "assessment_id", a)
                ],
            }
            for a in assessments
        ],
        "approvals": sorted(
            (
                {
                    **_plain("approvals", a),
                    "jurisdiction": _plain("jurisdictions", a.jurisdiction),
                    "credits": sorted(
                        (
                            _plain("approval_credits", c)
                            for c in credits
                            if c.approval_id == a.pk
                        ),
                        key=lambda c: c["category"],
                    ),
                }
                for a in approvals
            ),
            key=lambda a: (a["jurisdiction"]["code"], a["valid_from"]),
        ),
    }


def release_document(tree: dict[str, Any]) -> dict[str, Any]:
    """The tree as it may be published: no answer keys, no grading notes."""
    hidden = {
        "questions": collections.get("questions").restricted,
        "choices": collections.get("choices").restricted,
    }
    document = json.loads(json.dumps(tree))
    for assessment in document["assessments"]:
        for question in assessment["questions"]:
            for name in hidden["questions"]:
                question.pop(name, None)
            for choice in question["choices"]:
                for name in hidden["choices"]:
                    choice.pop(name, None)
    return document


def answer_keys(tree: dict[str, Any]) -> dict[str, Any]:
    """What the release document leaves out, by question: what grading needs."""
    keys: dict[str, Any] = {}
    for assessment in tree["assessments"]:
        for question in assessment["questions"]:
            keys[str(question["id"])] = {
                "answer_key": question.get("answer_key"),
                "grading_notes": question.get("grading_notes"),
                "choices": {
                    str(choice["id"]): {
                        "is_correct": bool(choice.get("is_correct")),
                        "feedback": choice.get("feedback"),
                    }
                    for choice in question["choices"]
                },
            }
    return json.loads(json.dumps(keys))


def content_hash(document: dict[str, Any]) -> str:
    """sha256 over the canonical form: sorted keys, no whitespace, UTF-8."""
    canonical = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


async def _course(principal: Principal, course_id: Any) -> Course:
    course = (
        await scoped(collections.get("courses"), principal)
        .filter(id=parse_id(course_id))
        .first()
    )
    if course is None:
        raise NotFound(f"No courses item with id {course_id}.")
    return course


async def submit(principal: Principal, course_id: Any, comment: str | None) -> Review:
    """Ask for review of the working copy as it is now."""
    course = await _course(principal, course_id)
    authorize(principal, Action.UPDATE, "courses", course.organization_id)
    tree_hash = content_hash(await working_tree(course))
    async with in_transaction():
        await Review.filter(course=course, status=ReviewStatus.PENDING).update(
            status=ReviewStatus.VOID
        )
        review = await Review.create(
            course=course,
            organization_id=course.organization_id,
            content_hash=tree_hash,
            comment=comment,
            user_created=principal.id,
        )
        if course.status == ContentStatus.DRAFT:
            await _set_status(course, ContentStatus.IN_REVIEW, principal)
    return review


async def decide(
    principal: Principal, review_id: Any, *, approve: bool, comment: str | None
) -> Review:
    """Approve a submission, or send it back with a comment."""
    review = await Review.get_or_none(id=parse_id(review_id)).select_related("course")
    if review is None:
        raise NotFound(f"No review with id {review_id}.")
    authorize(principal, Action.REVIEW, "courses", review.organization_id)
    if review.status != ReviewStatus.PENDING:
        raise InvalidInput(f"This review is {review.status.value}, not pending.")
    if not approve and not (comment or "").strip():
        raise InvalidInput("Say what needs to change: a comment is required.")
    course = review.course
    if content_hash(await working_tree(course)) != review.content_hash:
        await Review.filter(id=review.pk).update(status=ReviewStatus.VOID)
        raise Conflict("The course changed after it was submitted; submit it again.")
    if principal.id is not None and principal.id in await authors(course, review):
        # Four eyes: whoever wrote a change under review cannot approve it.
        raise Forbidden("A reviewer may not decide on changes they authored.")
    review.status = ReviewStatus.APPROVED if approve else ReviewStatus.CHANGES_REQUESTED
    review.reviewer = principal.id
    review.comment = comment or review.comment
    review.decided = dt.datetime.now(dt.UTC)
    await review.save()
    return review


async def authors(course: Course, review: Review) -> set[Any]:
    """Who changed the course since its last release, and who submitted it."""
    last = await Release.filter(course=course).order_by("-version").first()
    tree = await working_tree(course)
    ids = {tree["id"]}
    for module in tree["modules"]:
        ids.add(module["id"])
        ids.update(lesson["id"] for lesson in module["lessons"])
    for assessment in tree["assessments"]:
        ids.add(assessment["id"])
        for question in assessment["questions"]:
            ids.add(question["id"])
            ids.update(choice["id"] for choice in question["choices"])
    ids.update(approval["id"] for approval in tree["approvals"])
    changes = Revision.filter(item__in=list(ids))
    if last is not None:
        changes = changes.filter(date_created__gt=last.date_created)
    found = {
        row["user_created"]
        for row in await changes.values("user_created", "after")
        # Workflow steps (a status set by submitting or publishing) are not
        # authorship of the content.
        if not (row["after"] and set(row["after"]) <= VOLATILE)
    }
    found.add(review.user_created)
    return {user for user in found if user is not None}


async def publish(principal: Principal, course_id: Any, notes: str | None) -> Release:
    """Write a release of the approved working copy."""
    course = await _course(principal, course_id)
    authorize(principal, Action.PUBLISH, "courses", course.organization_id)
    tree = await working_tree(course)
    approval = (
        await Review.filter(
            course=course, status=ReviewStatus.APPROVED, content_hash=content_hash(tree)
        )
        .order_by("-decided")
        .first()
    )
    if approval is None:
        raise Conflict(
            "Publishing needs an approval of the course as it is now; "
            "an edit after approval voids it."
        )
    document = release_document(tree)
    return await _write_release(
        principal, course, document, notes, approval=approval, keys=answer_keys(tree)
    )


async def rollback(
    principal: Principal, course_id: Any, version: int, notes: str | None
) -> Release:
    """Publish an old release's document again, as a new version."""
    course = await _course(principal, course_id)
    authorize(principal, Action.PUBLISH, "courses", course.organization_id)
    old = await Release.get_or_none(course=course, version=version)
    if old is None:
        raise NotFound(f"This course has no release {version}.")
    old_keys = await ReleaseKey.get_or_none(release=old)
    return await _write_release(
        principal,
        course,
        old.document,
        notes or f"Rollback to {version}",
        rollback_of=version,
        keys=old_keys.questions if old_keys else {},
    )


async def _write_release(
    principal: Principal,
    course: Course,
    document: dict[str, Any],
    notes: str | None,
    *,
    approval: Review | None = None,
    rollback_of: int | None = None,
    keys: dict[str, Any],
) -> Release:
    digest = content_hash(document)
    async with in_transaction():
        latest = (
            await Release.filter(course=course)
            .order_by("-version")
            .select_for_update()
            .first()
        )
        if latest is not None and latest.content_hash == digest:
            raise InvalidInput(
                f"Release {latest.version} already has this content; "
                "nothing to publish."
            )
        release = await Release.create(
            course=course,
            organization_id=course.organization_id,
            version=(latest.version if latest else 0) + 1,
            content_hash=digest,
            document=document,
            notes=notes,
            review=approval,
            approved_by=approval.reviewer if approval else None,
            published_by=principal.id,
            rollback_of=rollback_of,
            user_created=principal.id,
        )
        await ReleaseKey.create(release=release, questions=keys)
        first = course.status != ContentStatus.PUBLISHED
        await _set_status(
            course,
            ContentStatus.PUBLISHED,
            principal,
            version=release.version,
            date_published=release.date_created,
        )
        await catalog.enter(release)
        channels = await catalog.channels_carrying(course.organization_id, course.pk)
        kind = ChangeKind.PUBLISHED if first else ChangeKind.UPDATED
        event = await feed.record(course, kind, release, channels)
    await events.announce(feed.payload(event, channels))
    return release


async def withdraw(principal: Principal, course_id: Any) -> Course:
    """Take a course off every channel; its releases stay on record."""
    course = await _course(principal, course_id)
    authorize(principal, Action.PUBLISH, "courses", course.organization_id)
    if course.status != ContentStatus.PUBLISHED:
        raise InvalidInput("Only a published course can be withdrawn.")
    async with in_transaction():
        channels = await catalog.channels_carrying(course.organization_id, course.pk)
        await _set_status(course, ContentStatus.ARCHIVED, principal)
        await catalog.leave(course.pk)
        event = await feed.record(course, ChangeKind.WITHDRAWN, None, channels)
    await events.announce(feed.payload(event, channels))
    return course


async def _set_status(
    course: Course, status: ContentStatus, principal: Principal, **workflow: Any
) -> None:
    # The workflow step was authorized by its caller (submit, publish,
    # withdraw); the status follows from it and is recorded as a revision.
    locked = await Course.filter(id=course.pk).select_for_update().get()
    values = {"status": status, **workflow}
    await items.apply(collections.get("courses"), locked, values, principal)
    for name, value in values.items():
        setattr(course, name, value)


async def diff(
    principal: Principal, course_id: Any, before: int, after: int
) -> list[dict[str, Any]]:
    """What changed between two releases: one entry per changed value.

    Whoever may read a course's published releases may compare them; those
    of a course no longer published, only its editors.
    """
    course = await Course.get_or_none(id=parse_id(course_id))
    if course is None or not await Published(Reader(principal)).has_releases(course.pk):
        raise NotFound(f"No courses item with id {course_id}.")
    releases = {
        r.version: r
        for r in await Release.filter(course=course, version__in=[before, after])
    }
    missing = [v for v in (before, after) if v not in releases]
    if missing:
        raise NotFound(f"This course has no release {missing[0]}.")
    changes: list[dict[str, Any]] = []
    _compare(releases[before].document, releases[after].document, "", changes)
    return changes


def _compare(a: Any, b: Any, path: str, out: list[dict[str, Any]]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            where = f"{path}.{key}" if path else key
            if key not in a:
                out.append({"path": where, "change": "added", "after": b[key]})
            elif key not in b:
                out.append({"path": where, "change": "removed", "before": a[key]})
            else:
                _compare(a[key], b[key], where, out)
    elif _keyed(a) and _keyed(b):
        left = {x["id"]: x for x in a}
        right = {x["id"]: x for x in b}
        for key in [*left, *(k for k in right if k not in left)]:
            where = f"{path}[{key}]"
            if key not in right:
                out.append({"path": where, "change": "removed", "before": left[key]})
            elif key not in left:
                out.append({"path": where, "change": "added", "after": right[key]})
            else:
                _compare(left[key], right[key], where, out)
    elif a != b:
        out.append({"path": path, "change": "changed", "before": a, "after": b})


def _keyed(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(x, dict) and "id" in x for x in value
    )
