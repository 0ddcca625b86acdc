"""A publisher, a firm with a learner, a grader, and courses with assessments."""

import datetime as dt
import itertools
import json
from dataclasses import dataclass
from typing import Any

from tortoise.models import Model

from app.models import Attempt, Response
from app.services import enrollments
from app.services.auth import user_principal
from permissions import Principal
from tests import factories

_n = itertools.count(1)


@dataclass
class Classroom:
    publisher: Model
    firm: Model
    learner: Model
    student: Principal  # the learner, signed in
    grader: Principal  # a reviewer at the publisher


async def classroom(auth: Any) -> Classroom:
    publisher = await factories.organization(name="Home CLE")
    firm = await factories.organization(name="A Firm", kind="firm")
    learner = await factories.learner(
        auth, f"learner-{next(_n)}@firm.example", firm, last_name="Marbury"
    )
    reviewer = await factories.user(
        auth, f"grader-{next(_n)}@home.example", reviewer=publisher
    )
    return Classroom(
        publisher,
        firm,
        learner,
        user_principal(learner.pk),
        user_principal(reviewer.pk),
    )


@dataclass
class Quiz:
    course: Model
    assessment: Model
    questions: list[Model]
    # Choices of each question, in order: choices[question index][choice index].
    choices: list[list[Model]]


async def course_with(
    publisher: Model,
    questions: list[dict[str, Any]],
    *,
    kind: str = "quiz",
    approve_in: Model | None = None,
    **assessment: Any,
) -> Quiz:
    """A released course whose one assessment has the questions given.

    A question is the data of a `questions` item with its `choices` as
    (label, is_correct, feedback) tuples.
    """
    course = await factories.course(publisher, release=False)
    quiz = await factories.make(
        "assessments",
        course=course,
        title="Final assessment",
        kind=kind,
        **assessment,
    )
    made, made_choices = [], []
    for sort, spec in enumerate(questions, start=1):
        data = dict(spec)
        options = data.pop("choices", [])
        data.setdefault("prompt", f"Question {sort}?")
        question = await factories.make("questions", assessment=quiz, sort=sort, **data)
        made.append(question)
        made_choices.append(
            [
                await factories.make(
                    "choices",
                    question=question,
                    label=label,
                    is_correct=correct,
                    feedback=feedback,
                    sort=index,
                )
                for index, (label, correct, feedback) in enumerate(options, start=1)
            ]
        )
    if approve_in is not None:
        approval = await factories.make(
            "approvals",
            course=course,
            organization=publisher,
            jurisdiction=approve_in,
            status="approved",
            total_hours="1.50",
            valid_from=(dt.date.today() - dt.timedelta(days=30)).isoformat(),
        )
        await factories.make(
            "approval_credits",
            approval=approval,
            organization=publisher,
            category="ethics",
            hours="1.50",
        )
    await factories.published(course)
    return Quiz(course, quiz, made, made_choices)


def true_false(correct: bool = True, **data: Any) -> dict[str, Any]:
    return {
        "kind": "true_false",
        "choices": [
            ("True", correct, "True: see the rule."),
            ("False", not correct, "False: see the rule."),
        ],
        **data,
    }


async def jurisdiction(regulator: Model) -> Model:
    n = next(_n)
    return await factories.make(
        "jurisdictions",
        organization=regulator,
        code=f"US-T{n}",
        name=f"Testland {n}",
        regulator="Testland Bar",
        period_months=24,
        period_assignment="fixed",
        rules_url="https://bar.example/rules",
        source="Testland Rules of Court",
    )


async def enrolled(room: Classroom, quiz: Quiz) -> Model:
    return await enrollments.enroll(room.student, quiz.course.pk)


async def past_deadline(attempt: Attempt) -> None:
    """Move the attempt back in time: its deadline passed a minute ago.

    Answers saved so far move with it, to before the deadline.
    """
    deadline = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    await Attempt.filter(id=attempt.pk).update(
        started=deadline - dt.timedelta(minutes=30), deadline=deadline
    )
    await Response.filter(attempt_id=attempt.pk).update(
        answered=deadline - dt.timedelta(minutes=5)
    )


def pick(choice: Model) -> dict[str, str]:
    return {"choice": str(choice.pk)}


def as_json(value: Any) -> str:
    """A return value as the API would send it: models by their fields."""

    def plain(item: Any) -> Any:
        if isinstance(item, Model):
            return {name: getattr(item, name) for name in item._meta.db_fields}
        if hasattr(item, "__dataclass_fields__"):
            return {name: getattr(item, name) for name in item.__dataclass_fields__}
        return str(item)

    return json.dumps(value, default=plain)


def pdf(author: str | None = None, **metadata: str) -> bytes:
    """A real one-page PDF, its document information as given."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    info = {"/Title": "Breach memo", **{f"/{k}": v for k, v in metadata.items()}}
    if author:
        info["/Author"] = author
    writer.add_metadata(info)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
