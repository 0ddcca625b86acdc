"""Learner-record fixtures: the five reference jurisdictions, a firm, a publisher."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from tortoise.models import Model

from app.services.auth import user_principal
from permissions import Principal
from seeds.loader import Loader, load_reference
from tests import factories


@dataclass
class Firm:
    publisher: Model
    firm: Model
    other_firm: Model
    admin: Principal
    other_admin: Principal
    publisher_admin: Principal


@pytest.fixture
async def world(clean: None, auth: Any) -> Firm:
    await load_reference(Loader())
    publisher = await factories.organization(slug="lexcel", name="Lexcel")
    firm = await factories.organization(slug="hartwell", name="Hartwell", kind="firm")
    other = await factories.organization(slug="bayard", name="Bayard", kind="firm")
    admin = await factories.user(auth, "learning@hartwell.example", admin=firm)
    other_admin = await factories.user(auth, "learning@bayard.example", admin=other)
    publisher_admin = await factories.user(
        auth, "admin@lexcel.example", admin=publisher
    )
    return Firm(
        publisher,
        firm,
        other,
        user_principal(admin.pk),
        user_principal(other_admin.pk),
        user_principal(publisher_admin.pk),
    )


async def approved_course(
    publisher: Model,
    approvals: list[dict[str, Any]],
    *,
    lessons: int = 2,
    **data: Any,
) -> Model:
    """A published course with lessons and the given approvals.

    Each approval: jurisdiction code, delivery, valid_from/until and the hours
    by category.
    """
    from app.models import Jurisdiction

    course = await factories.course_tree(
        publisher, modules=1, lessons=lessons, status="draft", **data
    )
    for spec in approvals:
        jurisdiction = await Jurisdiction.get(code=spec["jurisdiction"])
        credits = spec["credits"]
        approval = await factories.make(
            "approvals",
            course=course,
            jurisdiction=jurisdiction,
            approval_number=spec.get("number", f"A-{spec['jurisdiction']}"),
            delivery=spec.get("delivery", "self_study"),
            total_hours=str(sum(float(h) for h in credits.values())),
            valid_from=spec.get("valid_from", "2020-01-01"),
            valid_until=spec.get("valid_until"),
            status=spec.get("status", "approved"),
        )
        for category, hours in credits.items():
            await factories.make(
                "approval_credits", approval=approval, category=category, hours=hours
            )
    await factories.published(course)
    return course


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
