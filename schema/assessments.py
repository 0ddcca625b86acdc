"""Taking assessments over GraphQL: attempts, answers, feedback, blind grading."""

from decimal import Decimal
from typing import Any

import strawberry
from strawberry.scalars import JSON

from app.services import attempts, reports, work_product


@strawberry.input(name="answer_input")
class AnswerInput:
    question: strawberry.ID
    answer: JSON = strawberry.field(
        description='{"choice": id}, {"choices": [ids]} or {"text": "..."}, '
        "as the question's kind asks."
    )


@strawberry.input(name="rubric_score_input")
class RubricScoreInput:
    criterion: int = strawberry.field(description="The criterion's index, from 0.")
    points: Decimal


@strawberry.type(name="graded_response")
class GradedResponse:
    """A grader's marks on one essay; it names no learner."""

    response: strawberry.ID
    points: Decimal | None
    rubric_scores: JSON | None
    reviewer_comment: str | None
    attempt_status: str


def fields(types: dict[str, type]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The query and mutation fields of this module, given the collection types."""

    async def start_attempt(
        info: strawberry.Info, enrollment: strawberry.ID, assessment: strawberry.ID
    ) -> Any:
        return await attempts.start_attempt(
            info.context.principal, enrollment, assessment
        )

    async def answer_question(
        info: strawberry.Info,
        attempt: strawberry.ID,
        question: strawberry.ID,
        answer: JSON,
    ) -> Any:
        return await attempts.answer(info.context.principal, attempt, question, answer)

    async def submit_attempt(
        info: strawberry.Info,
        attempt: strawberry.ID,
        answers: list[AnswerInput] | None = None,
    ) -> Any:
        given = (
            [{"question": a.question, "answer": a.answer} for a in answers]
            if answers is not None
            else None
        )
        return await attempts.submit_attempt(info.context.principal, attempt, given)

    async def attempt_feedback(info: strawberry.Info, attempt: strawberry.ID) -> JSON:
        found = await attempts.attempt_feedback(info.context.principal, attempt)
        return reports.plain(found)

    async def grading_queue(
        info: strawberry.Info,
        organization: strawberry.ID | None = None,
        limit: int = 100,
    ) -> JSON:
        tasks = await work_product.grading_queue(
            info.context.principal, organization, limit=limit
        )
        return reports.plain(tasks)

    async def grade_response(
        info: strawberry.Info,
        response: strawberry.ID,
        rubric_scores: list[RubricScoreInput],
        comment: str | None = None,
    ) -> GradedResponse:
        marks = [{"criterion": s.criterion, "points": s.points} for s in rubric_scores]
        graded = await work_product.grade_response(
            info.context.principal, response, marks, comment
        )
        attempt = await graded.attempt
        return GradedResponse(
            response=strawberry.ID(str(graded.pk)),
            points=graded.points,
            rubric_scores=reports.plain(graded.rubric_scores),
            reviewer_comment=graded.reviewer_comment,
            attempt_status=attempt.status.value,
        )

    start_attempt.__annotations__["return"] = types["attempts"]
    submit_attempt.__annotations__["return"] = types["attempts"]
    answer_question.__annotations__["return"] = types["responses"]
    mutation = {
        fn.__name__: strawberry.mutation(resolver=fn)
        for fn in (start_attempt, answer_question, submit_attempt, grade_response)
    }
    query = {
        "attempt_feedback": strawberry.field(
            resolver=attempt_feedback,
            description="What you may know of your submitted attempt: its result "
            "and, as the assessment's feedback policy allows, each question's.",
        ),
        "grading_queue": strawberry.field(
            resolver=grading_queue,
            description="Work product awaiting review at publishers where you "
            "grade, oldest first; it never names the learner.",
        ),
    }
    return query, mutation
