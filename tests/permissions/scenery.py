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


LEARNER_RECORDS = (
    "learner_profiles",
    "bar_admissions",
    "enrollments",
    "lesson_progress",
    "attempts",
    "responses",
    "submission_files",
    "credits",
)


async def learner_records(auth, learner: Model, firm: Model, home: Model) -> dict:
    """For each learner collection, a row of `learner` and one of a colleague.

    Both take a published course of the home publisher; reads are asked
    about the pair, `_by_id` about the colleague's.
    """
    from app.services import learners
    from tests import factories

    colleague = await factories.learner(
        auth, f"colleague-{next(_n)}@firm.example", firm
    )
    await learners.save_profile(
        SYSTEM,
        organization_id=firm.pk,
        first_name="Lou",
        last_name="Learner",
        user_id=learner.pk,
    )
    bar = await fresh("jurisdictions", firm)
    admission = {"jurisdiction": bar.code, "admitted_on": "2015-03-02"}

    await learners.save_admission(SYSTEM, user_id=learner.pk, **_dated(admission))
    await learners.save_admission(SYSTEM, user_id=colleague.pk, **_dated(admission))
    course = await factories.course_tree(home, modules=1, lessons=1)
    rows: dict[str, list[str]] = {name: [] for name in LEARNER_RECORDS}
    for account in (learner, colleague):
        made = await _records_of(account, course)
        for name in LEARNER_RECORDS:
            rows[name].append(str(made[name].pk))
    return rows


def _dated(admission: dict[str, Any]) -> dict[str, Any]:
    return {**admission, "admitted_on": dt.date.fromisoformat(admission["admitted_on"])}


async def _records_of(account: Model, course: Model) -> dict[str, Model]:
    import hashlib

    from app.models import (
        Attempt,
        BarAdmission,
        Credit,
        LearnerProfile,
        LessonProgress,
        Response,
        SubmissionFile,
    )
    from app.services import enrollments
    from app.services.auth import user_principal

    principal = user_principal(account.pk)
    enrollment = await enrollments.enroll(principal, course.pk)
    document = await enrollments.document_of(enrollment)
    (lesson,) = enrollments.lessons_of(document)
    await enrollments.complete_lesson(principal, enrollment.pk, lesson)
    profile = await LearnerProfile.get(user_id=account.pk)
    admission = await BarAdmission.get(user_id=account.pk)
    now = dt.datetime.now(dt.UTC)
    owned = {"organization_id": enrollment.organization_id, "user_id": account.pk}
    attempt = await Attempt.create(
        enrollment=enrollment, assessment=uuid.uuid4(), number=1, started=now, **owned
    )
    response = await Response.create(
        attempt=attempt,
        question=uuid.uuid4(),
        answer={"text": "x"},
        answered=now,
        **owned,
    )
    content = b"%PDF-1.4 memo"
    upload = await SubmissionFile.create(
        response=response,
        filename="memo.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        **owned,
    )
    credit = await Credit.create(
        profile=profile,
        admission=admission,
        jurisdiction_id=admission.jurisdiction_id,
        enrollment=enrollment,
        course_id=course.pk,
        release_id=enrollment.release_id,
        version=enrollment.version,
        course_title="t",
        category="general",
        hours="1.00",
        delivery="self_study",
        earned_on=now.date(),
        approval=uuid.uuid4(),
        **owned,
    )
    return {
        "learner_profiles": profile,
        "bar_admissions": admission,
        "enrollments": enrollment,
        "lesson_progress": await LessonProgress.get(enrollment=enrollment),
        "attempts": attempt,
        "responses": response,
        "submission_files": upload,
        "credits": credit,
    }
