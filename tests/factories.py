"""Build test data through the item services, as the API would."""

import itertools
from typing import Any

from tortoise.models import Model

from app.services import collections, items
from permissions import SYSTEM

_counter = itertools.count(1)


async def make(collection: str, **data: Any) -> Model:
    values = {k: (v.pk if isinstance(v, Model) else v) for k, v in data.items()}
    (item,) = await items.create_items(collections.get(collection), [values], SYSTEM)
    return item


async def organization(**data: Any) -> Model:
    n = next(_counter)
    return await make(
        "organizations",
        **{"name": f"Publisher {n}", "slug": f"publisher-{n}", "kind": "publisher"}
        | data,
    )


async def course(org: Model, release: bool = True, **data: Any) -> Model:
    n = next(_counter)
    defaults = {
        "organization": org,
        "title": f"Course {n}",
        "slug": f"course-{n}",
        "level": "intermediate",
        "format": "on_demand",
        "credit_hours": "1.00",
    }
    values = defaults | data
    # Published unless asked otherwise, so that every principal may read it:
    # through review and a release, as the API would publish it.
    publish = values.pop("status", "published") == "published" and release
    if not publish and "status" in data:
        values["status"] = data["status"]
    item = await make("courses", **values)
    if publish:
        await published(item)
    return item


async def published(c: Model, notes: str | None = None) -> Any:
    """Submit, approve and publish the course as it is now; returns the release."""
    from app.services import publishing

    review = await publishing.submit(SYSTEM, c.pk, None)
    await publishing.decide(SYSTEM, review.pk, approve=True, comment=None)
    release = await publishing.publish(SYSTEM, c.pk, notes)
    await c.refresh_from_db()
    return release


async def withdraw(c: Model) -> None:
    from app.services import publishing

    await publishing.withdraw(SYSTEM, c.pk)


async def lessons_of(c: Model) -> list[Model]:
    from app.models import Lesson

    return await Lesson.filter(module__course_id=c.pk).order_by("sort", "title")


async def course_tree(org: Model, modules: int = 2, lessons: int = 3, **data: Any):
    """A course with modules of lessons; returns the course."""
    publish = data.get("status", "published") == "published"
    c = await course(org, release=False, **data)
    for m in range(1, modules + 1):
        module = await make("modules", course=c, title=f"Module {m}", sort=m)
        for n in range(1, lessons + 1):
            await make(
                "lessons",
                module=module,
                title=f"Lesson {m}.{n}",
                kind="reading",
                sort=n,
                duration_minutes=10 * n,
            )
    if publish:
        await published(c)
    return c


PASSWORD = "correct horse battery staple"


async def user(auth, email: str, **roles_by_org) -> Model:
    """A user with a role in each organization given as role=organization."""
    from app.services import identity
    from permissions import policies

    account = await identity.create_user(auth, email, PASSWORD)
    for role, org in roles_by_org.items():
        await policies.grant(f"user:{account.pk}", role, str(org.pk))
    return account


async def learner(
    auth,
    email: str,
    firm: Model,
    *,
    last_name: str = "Learner",
    birth_date: str | None = None,
    admissions: list[dict[str, Any]] | None = None,
) -> Model:
    """A user with the learner role at a firm, their profile and bar admissions."""
    import datetime as dt

    from app.services import learners

    account = await user(auth, email, learner=firm)
    await learners.save_profile(
        SYSTEM,
        organization_id=firm.pk,
        first_name="Lee",
        last_name=last_name,
        birth_date=dt.date.fromisoformat(birth_date) if birth_date else None,
        user_id=account.pk,
    )
    for admission in admissions or []:
        values = dict(admission)
        values["admitted_on"] = dt.date.fromisoformat(values["admitted_on"])
        if values.get("cycle_ends_on"):
            values["cycle_ends_on"] = dt.date.fromisoformat(values["cycle_ends_on"])
        await learners.save_admission(SYSTEM, user_id=account.pk, **values)
    return account
