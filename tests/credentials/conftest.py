"""Credential fixtures: an issuer with a quiz course and a micro-credential for it.

Awards are earned the way learners earn them, through enrollment, lessons
and a passed attempt; the app is served over ASGI at the public URL the
credentials name, so what they point to can be fetched as a verifier would.
"""

import datetime as dt
import json
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft201909Validator
from tortoise import connections
from tortoise.models import Model

from app.main import create_app
from app.models import Award
from app.services import attempts, enrollments, signing
from app.services.auth import user_principal
from app.settings import Settings
from permissions import Principal
from seeds.loader import Loader, load_reference
from tests import factories

PUBLIC_URL = "http://lexstack"
# The official 1EdTech schema, kept beside the repository (or where
# LEXSTACK_TEST_OB3_DIR says), never copied in.
OB3_DIR = Path(
    os.environ.get("LEXSTACK_TEST_OB3_DIR")
    or Path(__file__).resolve().parents[3] / "shared/research/external/ob3"
)
OB3_SCHEMA = OB3_DIR / "ob_v3p0_achievementcredential_schema.json"


@pytest.fixture
def issuing(settings: Settings) -> Iterator[Settings]:
    """The app's settings with a public URL and a credential key of their own."""
    configured = settings.model_copy(
        update={
            "public_url": PUBLIC_URL,
            "credential_key": secrets.token_urlsafe(32),
            "ob3_schema": OB3_SCHEMA if OB3_SCHEMA.exists() else None,
        }
    )
    signing.configure(configured)
    yield configured
    signing.configure(settings)


@pytest.fixture
async def keys_cleared(clean: None) -> AsyncIterator[None]:
    # Signing keys and status lists are no collection: the suite's clean-up
    # does not know them.
    conn = connections.get("default")
    for table in ("signing_keys", "status_lists"):
        await conn.execute_script(f'DELETE FROM "{table}"')  # noqa: S608
    yield
    for table in ("signing_keys", "status_lists"):
        await conn.execute_script(f'DELETE FROM "{table}"')  # noqa: S608


@pytest.fixture
async def web(
    issuing: Settings, keys_cleared: None
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(issuing, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
        yield client


@pytest.fixture
def ob3() -> Draft201909Validator:
    """The Open Badges 3.0 AchievementCredential schema, as 1EdTech publishes it."""
    if not OB3_SCHEMA.exists():
        reason = f"the Open Badges 3.0 JSON Schema is missing at {OB3_SCHEMA}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    schema = json.loads(OB3_SCHEMA.read_text())
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(
        schema, format_checker=Draft201909Validator.FORMAT_CHECKER
    )


@dataclass
class QuizCourse:
    course: Model
    assessment: Model
    question: Model
    right: Model
    wrong: Model


@dataclass
class Scene:
    publisher: Model
    other_publisher: Model
    firm: Model
    learner: Model
    student: Principal
    issuer_admin: Principal
    other_admin: Principal
    firm_admin: Principal
    colleague: Principal
    privacy: QuizCourse
    badge: Model


async def quiz_course(publisher: Model, title: str) -> QuizCourse:
    """A released course of two lessons and a one-question quiz, approved in NY."""
    from app.models import Jurisdiction

    course = await factories.course_tree(
        publisher, modules=1, lessons=2, status="draft", title=title
    )
    assessment = await factories.make(
        "assessments",
        course=course,
        title=f"{title}: final quiz",
        kind="quiz",
        pass_mark=70,
    )
    question = await factories.make(
        "questions",
        assessment=assessment,
        sort=1,
        kind="true_false",
        prompt="A breach is reported within 72 hours?",
        points="1",
    )
    right = await factories.make(
        "choices", question=question, label="True", is_correct=True, sort=1
    )
    wrong = await factories.make(
        "choices", question=question, label="False", is_correct=False, sort=2
    )
    approval = await factories.make(
        "approvals",
        course=course,
        jurisdiction=await Jurisdiction.get(code="US-NY"),
        approval_number=f"NY-{title[:8]}",
        delivery="self_study",
        total_hours="1.50",
        valid_from="2020-01-01",
        status="approved",
    )
    await factories.make(
        "approval_credits", approval=approval, category="ethics", hours="1.50"
    )
    await factories.published(course)
    return QuizCourse(course, assessment, question, right, wrong)


async def micro_credential(
    publisher: Model, slug: str, title: str, quiz: QuizCourse, **data: Any
) -> Model:
    """A published micro-credential earned by passing the course's quiz."""
    made = await factories.make(
        "micro_credentials",
        organization=publisher,
        title=title,
        slug=slug,
        description=f"Shows command of {title.lower()}.",
        status="published",
        **data,
    )
    await factories.make(
        "micro_credential_criteria",
        micro_credential=made,
        kind="assessment_passed",
        assessment=quiz.assessment,
        min_score=80,
    )
    return made


async def learn(student: Principal, quiz: QuizCourse, *, right: bool = True) -> Any:
    """Enroll, read every lesson and take the quiz: the learning flow."""
    enrollment = await enrollments.enroll(student, quiz.course.pk)
    for lesson in await factories.lessons_of(quiz.course):
        await enrollments.complete_lesson(student, enrollment.pk, lesson.pk)
    attempt = await attempts.start_attempt(student, enrollment.pk, quiz.assessment.pk)
    choice = quiz.right if right else quiz.wrong
    return await attempts.submit_attempt(
        student,
        attempt.pk,
        [{"question": str(quiz.question.pk), "answer": {"choice": str(choice.pk)}}],
    )


async def make_scene(auth: Any, **badge: Any) -> Scene:
    await load_reference(Loader())
    publisher = await factories.organization(
        slug="lexcel", name="Lexcel CLE", website="https://lexcel.example"
    )
    other = await factories.organization(slug="bayard-cle", name="Bayard CLE")
    firm = await factories.organization(slug="hartwell", name="Hartwell", kind="firm")
    learner = await factories.learner(
        auth,
        "ada@hartwell.example",
        firm,
        last_name="Lovelace",
        admissions=[{"jurisdiction": "US-NY", "admitted_on": "2012-02-01"}],
    )
    colleague = await factories.learner(
        auth, "ben@hartwell.example", firm, last_name="Brown"
    )
    admin = await factories.user(auth, "admin@lexcel.example", admin=publisher)
    other_admin = await factories.user(auth, "admin@bayard.example", admin=other)
    firm_admin = await factories.user(auth, "admin@hartwell.example", admin=firm)
    privacy = await quiz_course(publisher, "GDPR for Counsel")
    made = await micro_credential(
        publisher, "gdpr-practitioner", "GDPR Practitioner", privacy, **badge
    )
    return Scene(
        publisher,
        other,
        firm,
        learner,
        user_principal(learner.pk),
        user_principal(admin.pk),
        user_principal(other_admin.pk),
        user_principal(firm_admin.pk),
        user_principal(colleague.pk),
        privacy,
        made,
    )


@pytest.fixture
async def scene(web: httpx.AsyncClient, auth: Any) -> Scene:
    return await make_scene(auth)


async def earned(scene: Scene) -> Award:
    """The learner passes the quiz; the award it earns."""
    await learn(scene.student, scene.privacy)
    return await Award.get(user_id=scene.learner.pk, micro_credential_id=scene.badge.pk)


def years_ago(years: int) -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(
        days=365 * years
    )
