"""Work product: essays and documents handed in, graded blind against a rubric."""

import asyncio
import datetime as dt
import hashlib
import io
import zipfile
from decimal import Decimal

import pytest

from app.errors import Conflict, Forbidden, InvalidInput, LimitExceeded, NotFound
from app.models import Attempt, Credit, Enrollment, Response, SubmissionFile
from app.models.enums import AttemptStatus, EnrollmentStatus
from app.services import attempts, enrollments, learners, work_product
from app.services.auth import user_principal
from app.services.grading import Criterion
from app.services.work_product import FileForReview, ResponseForReview, ReviewTask
from permissions import SYSTEM
from tests import factories
from tests.learning.classroom import (
    as_json,
    classroom,
    course_with,
    enrolled,
    jurisdiction,
    past_deadline,
    pdf,
    pick,
    true_false,
)

pytestmark = pytest.mark.usefixtures("clean")

NOTES = "GRADERS ONLY: deduct for a missed SEC deadline"
PDF = pdf()


def essay(prompt: str = "Draft the notification memo.") -> dict:
    return {
        "kind": "essay",
        "prompt": prompt,
        "points": "10",
        "explanation": "A complete memo covers every regime.",
        "grading_notes": NOTES,
        "answer_key": {
            "rubric": [
                {"criterion": "Identifies every regime", "points": "6"},
                {"criterion": "Cites the rules", "points": "4"},
            ]
        },
    }


async def memo_course(room, questions=None, **assessment):
    quiz = await course_with(
        room.publisher,
        questions or [essay()],
        kind="work_product",
        pass_mark=70,
        **assessment,
    )
    return quiz, await enrolled(room, quiz)


async def handed_in(room, quiz, enrollment, text: str = "My memo.") -> Attempt:
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    await attempts.answer(
        room.student, attempt.pk, quiz.questions[0].pk, {"text": text}
    )
    return await attempts.submit_attempt(room.student, attempt.pk)


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def full_marks() -> list[dict]:
    return [{"criterion": 0, "points": 6}, {"criterion": 1, "points": 4}]


async def test_essay_is_graded_by_a_reviewer_and_completion_writes_credit(auth):
    room = await classroom(auth)
    regulator = await factories.organization(kind="regulator")
    bar = await jurisdiction(regulator)
    await learners.save_admission(
        SYSTEM,
        user_id=room.learner.pk,
        jurisdiction=bar.code,
        admitted_on=dt.date(2015, 3, 2),
    )
    quiz = await course_with(
        room.publisher, [essay()], kind="work_product", pass_mark=70, approve_in=bar
    )
    enrollment = await enrolled(room, quiz)

    attempt = await handed_in(room, quiz, enrollment)

    assert (attempt.status, attempt.score, attempt.passed) == (
        AttemptStatus.AWAITING_REVIEW,
        None,
        None,
    )
    assert (await Enrollment.get(id=enrollment.pk)).status == EnrollmentStatus.ACTIVE
    (response,) = await Response.filter(attempt_id=attempt.pk)

    graded = await work_product.grade_response(
        room.grader,
        response.pk,
        [{"criterion": 0, "points": 5}, {"criterion": 1, "points": "3.5"}],
        "  Clear, but the SEC deadline is wrong.  ",
    )

    stored = await Response.get(id=response.pk)
    assert (
        stored.points,
        stored.correct,
        stored.rubric_scores,
        stored.reviewer_comment,
        stored.reviewer,
    ) == (
        Decimal("8.50"),
        None,
        [{"criterion": 0, "points": "5.00"}, {"criterion": 1, "points": "3.50"}],
        "Clear, but the SEC deadline is wrong.",
        room.grader.id,
    )
    assert graded.points == Decimal("8.50")
    done = await Attempt.get(id=attempt.pk)
    assert (done.status, done.score, done.max_score, done.percent, done.passed) == (
        AttemptStatus.GRADED,
        Decimal("8.50"),
        Decimal("10.00"),
        Decimal("85.00"),
        True,
    )
    assert (await Enrollment.get(id=enrollment.pk)).status == (
        EnrollmentStatus.COMPLETED
    )
    credits = await Credit.filter(enrollment_id=enrollment.pk).values_list(
        "jurisdiction_id", "category", "hours", "delivery", "user_id"
    )
    assert credits == [
        (bar.pk, "ethics", Decimal("1.50"), "self_study", room.learner.pk)
    ]


async def test_work_product_below_the_pass_mark_earns_no_credit(auth):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(room)
    attempt = await handed_in(room, quiz, enrollment)
    (response,) = await Response.filter(attempt_id=attempt.pk)

    await work_product.grade_response(
        room.grader,
        response.pk,
        [{"criterion": 0, "points": 3}, {"criterion": 1, "points": 0}],
    )

    done = await Attempt.get(id=attempt.pk)
    assert (done.status, done.percent, done.passed) == (
        AttemptStatus.GRADED,
        Decimal("30.00"),
        False,
    )
    assert (await Enrollment.get(id=enrollment.pk)).status == EnrollmentStatus.ACTIVE
    assert await Credit.filter(enrollment_id=enrollment.pk).count() == 0


async def test_blank_essay_needs_no_reviewer(auth):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(room)

    attempt = await handed_in(room, quiz, enrollment, text="   ")

    assert (attempt.status, attempt.score, attempt.passed) == (
        AttemptStatus.GRADED,
        Decimal("0.00"),
        False,
    )
    assert await work_product.grading_queue(room.grader) == []


async def test_attempt_is_graded_once_every_essay_is_marked(auth):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(room, [essay("Matrix?"), essay("Strategy?")])
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    await attempts.submit_attempt(
        room.student,
        attempt.pk,
        [{"question": str(q.pk), "answer": {"text": "Memo."}} for q in quiz.questions],
    )
    first, second = [
        await Response.get(attempt_id=attempt.pk, question=q.pk) for q in quiz.questions
    ]

    await work_product.grade_response(room.grader, first.pk, full_marks())
    halfway = await Attempt.get(id=attempt.pk)
    # Until the attempt is graded, a mark may be corrected.
    await work_product.grade_response(
        room.grader,
        first.pk,
        [{"criterion": 0, "points": 6}, {"criterion": 1, "points": 0}],
    )
    await work_product.grade_response(room.grader, second.pk, full_marks())
    with pytest.raises(Conflict) as closed:
        await work_product.grade_response(room.grader, second.pk, full_marks())

    assert halfway.status == AttemptStatus.AWAITING_REVIEW
    done = await Attempt.get(id=attempt.pk)
    assert (done.status, done.score, done.percent, done.passed) == (
        AttemptStatus.GRADED,
        Decimal("16.00"),
        Decimal("80.00"),
        True,
    )
    assert (closed.value.code, closed.value.message) == (
        "CONFLICT",
        "This attempt is graded, not awaiting review.",
    )


async def test_graders_finishing_at_once_grade_the_attempt_once(auth):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(room, [essay(f"Part {n}?") for n in range(4)])
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    await attempts.submit_attempt(
        room.student,
        attempt.pk,
        [{"question": str(q.pk), "answer": {"text": "Memo."}} for q in quiz.questions],
    )
    essays = [
        await Response.get(attempt_id=attempt.pk, question=q.pk) for q in quiz.questions
    ]
    graders = [
        user_principal(
            (
                await factories.user(
                    auth, f"g{n}@home.example", reviewer=room.publisher
                )
            ).pk
        )
        for n in range(4)
    ]

    # Each sees the others' marks only once they are committed: without the
    # attempt's row lock, none would find every essay marked.
    await asyncio.gather(
        *(
            work_product.grade_response(grader, response.pk, full_marks())
            for grader, response in zip(graders, essays, strict=True)
        )
    )

    done = await Attempt.get(id=attempt.pk)
    assert (done.status, done.score, done.percent, done.passed) == (
        AttemptStatus.GRADED,
        Decimal("40.00"),
        Decimal("100.00"),
        True,
    )
    assert (await Enrollment.get(id=enrollment.pk)).status == (
        EnrollmentStatus.COMPLETED
    )


async def test_auto_graded_part_of_a_work_product_counts_with_the_essay(auth):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(room, [essay(), true_false(True, points="10")])
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    await attempts.submit_attempt(
        room.student,
        attempt.pk,
        [
            {"question": str(quiz.questions[0].pk), "answer": {"text": "Memo."}},
            {"question": str(quiz.questions[1].pk), "answer": pick(quiz.choices[1][1])},
        ],
    )
    memo = await Response.get(attempt_id=attempt.pk, question=quiz.questions[0].pk)
    choice = await Response.get(attempt_id=attempt.pk, question=quiz.questions[1].pk)

    with pytest.raises(InvalidInput) as not_essay:
        await work_product.grade_response(room.grader, choice.pk, full_marks())
    await work_product.grade_response(room.grader, memo.pk, full_marks())

    assert not_essay.value.message == "Only essays are graded by a reviewer."
    done = await Attempt.get(id=attempt.pk)
    assert (done.score, done.max_score, done.percent, done.passed) == (
        Decimal("10.00"),
        Decimal("20.00"),
        Decimal("50.00"),
        False,
    )


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (
            [{"criterion": 0, "points": 7}, {"criterion": 1, "points": 4}],
            "Criterion 0 takes from 0 to 6.00 points.",
        ),
        (
            [{"criterion": 0, "points": 6}, {"criterion": 1, "points": -0.5}],
            "Criterion 1 takes from 0 to 4.00 points.",
        ),
        ([{"criterion": 0, "points": 6}], "Mark every criterion; missing: [1]."),
    ],
)
async def test_rubric_marks_out_of_bounds_are_refused_and_nothing_changes(
    auth, scores, message
):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(room)
    attempt = await handed_in(room, quiz, enrollment)
    (response,) = await Response.filter(attempt_id=attempt.pk)

    with pytest.raises(InvalidInput) as refused:
        await work_product.grade_response(room.grader, response.pk, scores)

    assert (refused.value.code, refused.value.message) == ("INVALID_INPUT", message)
    stored = await Response.get(id=response.pk)
    assert (stored.points, stored.rubric_scores, stored.reviewer) == (None, None, None)
    assert (await Attempt.get(id=attempt.pk)).status == AttemptStatus.AWAITING_REVIEW


async def test_only_graders_of_the_publisher_grade_its_work_product(auth):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(room)
    attempt = await handed_in(room, quiz, enrollment)
    (response,) = await Response.filter(attempt_id=attempt.pk)
    elsewhere = await factories.organization(name="Other CLE")
    outsider = user_principal(
        (await factories.user(auth, "grader@other.example", reviewer=elsewhere)).pk
    )

    refusals = []
    for principal in (outsider, room.student):
        with pytest.raises(Forbidden) as refused:
            await work_product.grade_response(principal, response.pk, full_marks())
        refusals.append((refused.value.code, refused.value.message))
    with pytest.raises(Forbidden):
        await work_product.grading_queue(outsider, room.publisher.pk)
    with pytest.raises(Forbidden):
        await work_product.grading_queue(room.student)

    assert refusals == [("FORBIDDEN", "You may not grade responses.")] * 2
    assert await work_product.grading_queue(outsider) == []
    stored = await Response.get(id=response.pk)
    assert (stored.points, stored.reviewer) == (None, None)


async def test_grader_may_not_grade_their_own_attempt(auth):
    room = await classroom(auth)
    quiz = await course_with(
        room.publisher, [essay()], kind="work_product", pass_mark=70
    )
    account = await factories.user(
        auth, "both@home.example", reviewer=room.publisher, learner=room.firm
    )
    await learners.save_profile(
        SYSTEM,
        organization_id=room.firm.pk,
        first_name="Rae",
        last_name="Both",
        user_id=account.pk,
    )
    both = user_principal(account.pk)
    enrollment = await enrollments.enroll(both, quiz.course.pk)
    attempt = await attempts.start_attempt(both, enrollment.pk, quiz.assessment.pk)
    await attempts.submit_attempt(
        both,
        attempt.pk,
        [{"question": str(quiz.questions[0].pk), "answer": {"text": "Mine."}}],
    )
    (response,) = await Response.filter(attempt_id=attempt.pk)

    with pytest.raises(Forbidden) as refused:
        await work_product.grade_response(both, response.pk, full_marks())

    assert refused.value.message == "A grader may not grade their own attempt."
    assert await work_product.grading_queue(both) == []
    assert [t.attempt for t in await work_product.grading_queue(room.grader)] == [
        str(attempt.pk)
    ]


async def test_grading_queue_is_blind(auth):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(room)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    await attempts.answer(
        room.student, attempt.pk, quiz.questions[0].pk, {"text": "Memo by Marbury."}
    )
    upload = await work_product.attach_file(
        room.student,
        attempt.pk,
        quiz.questions[0].pk,
        "Marbury-memo.pdf",
        "application/pdf",
        PDF,
    )
    await attempts.submit_attempt(room.student, attempt.pk)
    (response,) = await Response.filter(attempt_id=attempt.pk)
    submitted = (await Attempt.get(id=attempt.pk)).submitted

    queue = await work_product.grading_queue(room.grader, room.publisher.pk)

    assert queue == [
        ReviewTask(
            attempt=str(attempt.pk),
            course=str(quiz.course.pk),
            course_title=quiz.course.title,
            version=1,
            assessment=str(quiz.assessment.pk),
            assessment_title="Final assessment",
            instructions=None,
            submitted=submitted,
            responses=[
                ResponseForReview(
                    response=str(response.pk),
                    question=str(quiz.questions[0].pk),
                    prompt="Draft the notification memo.",
                    points=Decimal("10.00"),
                    rubric=[
                        Criterion(0, "Identifies every regime", Decimal("6.00")),
                        Criterion(1, "Cites the rules", Decimal("4.00")),
                    ],
                    grading_notes=NOTES,
                    text="Memo by Marbury.",
                    files=[
                        FileForReview(
                            id=str(upload.pk),
                            content_type="application/pdf",
                            size=len(PDF),
                            sha256=hashlib.sha256(PDF).hexdigest(),
                        )
                    ],
                    rubric_scores=None,
                    reviewer_comment=None,
                )
            ],
        )
    ]
    text = as_json(queue)
    learner = room.learner
    profile_id = str((await enrollments.profile_of(room.student)).pk)
    for identifying in (learner.email, str(learner.pk), str(enrollment.pk), profile_id):
        assert identifying not in text
    assert "Marbury-memo" not in text


async def test_handed_in_file_is_kept_by_its_content_under_a_safe_name(auth):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(room)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )

    await work_product.attach_file(
        room.student, attempt.pk, quiz.questions[0].pk, "draft.txt", "text/plain", b"v1"
    )
    upload = await work_product.attach_file(
        room.student,
        attempt.pk,
        quiz.questions[0].pk,
        "../../etc/Final memo.pdf",
        "application/pdf",
        PDF,
    )
    graded = await attempts.submit_attempt(room.student, attempt.pk)

    (stored,) = await SubmissionFile.all()
    assert (
        stored.pk,
        stored.filename,
        stored.content_type,
        stored.size,
        stored.sha256,
        bytes(stored.content),
        stored.user_id,
    ) == (
        upload.pk,
        "Final memo.pdf",
        "application/pdf",
        len(PDF),
        hashlib.sha256(PDF).hexdigest(),
        PDF,
        room.learner.pk,
    )
    (response,) = await Response.filter(attempt_id=attempt.pk)
    assert (response.answer, stored.response_id) == (None, response.pk)
    assert graded.status == AttemptStatus.AWAITING_REVIEW


@pytest.mark.parametrize(
    ("data", "declared", "stored"),
    [
        (PDF, "application/pdf", "application/pdf"),
        (docx(), "application/octet-stream", work_product.DOCX),
        (docx(), work_product.DOCX, work_product.DOCX),
        ("Mémo\tfinal\r\n".encode(), "text/plain; charset=utf-8", "text/plain"),
        (b"\xef\xbb\xbfWith a BOM", "", "text/plain"),
    ],
)
async def test_accepted_file_types_are_recognised_by_their_bytes(
    auth, data, declared, stored
):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(room)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )

    upload = await work_product.attach_file(
        room.student, attempt.pk, quiz.questions[0].pk, "memo", declared, data
    )

    assert (upload.content_type, upload.filename) == (
        stored,
        "memo" + work_product.EXTENSIONS[stored],
    )


NOT_ALLOWED = "A work product is a PDF, a Word document (.docx) or text."


def plain_zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "MZ")
    return buffer.getvalue()


MACROS = ("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")


@pytest.mark.parametrize(
    ("data", "declared", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "application/pdf", NOT_ALLOWED),
        (b"MZ\x90\x00\x03\x00\x00\x00", "application/pdf", NOT_ALLOWED),
        (plain_zip("payload.exe"), work_product.DOCX, NOT_ALLOWED),
        (plain_zip(*MACROS), work_product.DOCX, NOT_ALLOWED),
        (b"PK\x03\x04 truncated", work_product.DOCX, NOT_ALLOWED),
        (b"text\x00with a NUL", "text/plain", NOT_ALLOWED),
        (b"\xff\xfe\x00l\x00a\x00t\x00i\x00n", "text/plain", NOT_ALLOWED),
        (
            PDF,
            "text/plain",
            "The file was sent as text/plain but is application/pdf.",
        ),
        (
            b"<script>alert(1)</script>",
            "text/html",
            "The file was sent as text/html but is text/plain.",
        ),
        (b"", "text/plain", "The file is empty."),
    ],
)
async def test_files_are_refused_by_what_their_bytes_are(auth, data, declared, message):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(room)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )

    with pytest.raises(InvalidInput) as refused:
        await work_product.attach_file(
            room.student, attempt.pk, quiz.questions[0].pk, "memo.pdf", declared, data
        )

    assert (refused.value.code, refused.value.message) == ("INVALID_INPUT", message)
    assert await SubmissionFile.all().count() == 0


async def test_file_over_the_size_cap_is_refused(auth):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(room)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    at_cap = PDF + b"0" * (work_product.MAX_FILE_BYTES - len(PDF))

    with pytest.raises(LimitExceeded) as default:
        await work_product.attach_file(
            room.student, attempt.pk, quiz.questions[0].pk, "m.pdf", "", at_cap + b"0"
        )
    with pytest.raises(LimitExceeded) as smaller:
        await work_product.attach_file(
            room.student,
            attempt.pk,
            quiz.questions[0].pk,
            "m.pdf",
            "",
            PDF + b"0" * 1000,
            max_bytes=1000,
        )
    accepted = await work_product.attach_file(
        room.student, attempt.pk, quiz.questions[0].pk, "m.pdf", "", at_cap
    )

    assert (default.value.code, default.value.message) == (
        "LIMIT_EXCEEDED",
        "A file is at most 10 MiB.",
    )
    assert (smaller.value.code, smaller.value.message) == (
        "LIMIT_EXCEEDED",
        "A file is at most 1,000 bytes.",
    )
    assert accepted.size == work_product.MAX_FILE_BYTES


async def test_files_answer_essays_only_and_only_in_time(auth):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(
        room, [essay(), true_false(True)], time_limit_minutes=30
    )
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )

    with pytest.raises(InvalidInput) as not_essay:
        await work_product.attach_file(
            room.student, attempt.pk, quiz.questions[1].pk, "m.pdf", "", PDF
        )
    await past_deadline(attempt)
    with pytest.raises(InvalidInput) as late:
        await work_product.attach_file(
            room.student, attempt.pk, quiz.questions[0].pk, "m.pdf", "", PDF
        )

    assert not_essay.value.message == "Only an essay question takes a file."
    assert late.value.message == "Time is up: the attempt's deadline has passed."
    assert await SubmissionFile.all().count() == 0


@pytest.mark.parametrize(
    ("given", "content_type", "safe"),
    [
        ("../../etc/passwd", work_product.TEXT, "passwd.txt"),
        ("C:\\Users\\lee\\Memo.PDF", work_product.PDF, "Memo.pdf"),
        (".htaccess", work_product.TEXT, "htaccess.txt"),
        ("memo.exe", work_product.PDF, "memo.exe.pdf"),
        ("", work_product.DOCX, "submission.docx"),
        ("..", work_product.PDF, "submission.pdf"),
        ('a<b>|c?"d".docx', work_product.DOCX, "a_b__c__d_.docx"),
        ("memo\x00\r\n.pdf", work_product.PDF, "memo___.pdf"),
        ("Mémo   final .pdf", work_product.PDF, "Mémo final.pdf"),
        ("x" * 300 + ".pdf", work_product.PDF, "x" * 196 + ".pdf"),
    ],
)
def test_file_names_lose_paths_and_unsafe_characters(given, content_type, safe):
    assert work_product.safe_filename(given, content_type) == safe


async def test_file_is_downloaded_by_its_learner_and_by_graders_only(auth):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(room)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    upload = await work_product.attach_file(
        room.student, attempt.pk, quiz.questions[0].pk, "Marbury.pdf", "", PDF
    )
    await attempts.submit_attempt(room.student, attempt.pk)
    colleague = user_principal(
        (await factories.learner(auth, "colleague@firm.example", room.firm)).pk
    )
    elsewhere = await factories.organization(name="Other CLE")
    outsider = user_principal(
        (await factories.user(auth, "grader@other.example", reviewer=elsewhere)).pk
    )

    own = await work_product.file_content(room.student, upload.pk)
    graded = await work_product.file_content(room.grader, str(upload.pk))
    refused = []
    for principal in (colleague, outsider):
        with pytest.raises(NotFound) as missing:
            await work_product.file_content(principal, upload.pk)
        refused.append(missing.value.message)

    assert (own.filename, bytes(own.content)) == ("Marbury.pdf", PDF)
    assert graded.filename == f"work-product-{str(upload.pk)[:8]}.pdf"
    assert work_product.sniff(bytes(graded.content)) == work_product.PDF
    assert refused == [f"No file with id {upload.pk}."] * 2
    assert (await SubmissionFile.get(id=upload.pk)).filename == "Marbury.pdf"


async def test_work_product_feedback_shows_the_marks_but_no_grading_notes(auth):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(room, feedback="after_submit")
    attempt = await handed_in(room, quiz, enrollment)
    (response,) = await Response.filter(attempt_id=attempt.pk)
    waiting = await attempts.attempt_feedback(room.student, attempt.pk)
    await work_product.grade_response(
        room.grader,
        response.pk,
        [{"criterion": 0, "points": 6}, {"criterion": 1, "points": 2}],
        "Cite the rules.",
    )

    feedback = await attempts.attempt_feedback(room.student, attempt.pk)

    done = await Attempt.get(id=attempt.pk)
    assert waiting["status"] == "awaiting_review"
    assert waiting["questions"][0]["points"] is None
    assert feedback == {
        "attempt": str(attempt.pk),
        "status": "graded",
        "assessment": str(quiz.assessment.pk),
        "number": 1,
        "submitted": done.submitted,
        "late": False,
        "score": Decimal("8.00"),
        "max_score": Decimal("10.00"),
        "percent": Decimal("80.00"),
        "passed": True,
        "questions": [
            {
                "question": str(quiz.questions[0].pk),
                "points": Decimal("8.00"),
                "max_points": Decimal("10.00"),
                "correct": None,
                "answer": {"text": "My memo."},
                "choice_feedback": [],
                "explanation": "A complete memo covers every regime.",
                "rubric": [
                    {
                        "criterion": "Identifies every regime",
                        "points": Decimal("6.00"),
                        "max_points": Decimal("6.00"),
                    },
                    {
                        "criterion": "Cites the rules",
                        "points": Decimal("2.00"),
                        "max_points": Decimal("4.00"),
                    },
                ],
                "reviewer_comment": "Cite the rules.",
            }
        ],
    }
    text = as_json([waiting, feedback])
    for secret in ("grading_notes", NOTES, str(room.grader.id)):
        assert secret not in text


def signed_docx() -> bytes:
    """A Word document that names its author, editor, company and commenter."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            '<w:document><w:ins w:id="1" w:author="Marbury" w:date="2026-05-01">'
            "<w:t>Notify within 72 hours.</w:t></w:ins></w:document>",
        )
        archive.writestr(
            "word/comments.xml",
            '<w:comments><w:comment w:id="0" w:author="W. Marbury" w:initials="WM">'
            "<w:p><w:t>Check Art. 33</w:t></w:p></w:comment></w:comments>",
        )
        archive.writestr(
            "docProps/core.xml",
            "<cp:coreProperties><dc:title>Breach memo</dc:title>"
            "<dc:creator>William Marbury</dc:creator>"
            "<cp:lastModifiedBy>W. Marbury</cp:lastModifiedBy></cp:coreProperties>",
        )
        archive.writestr(
            "docProps/app.xml",
            "<Properties><Company>Hartwell Okafor LLP</Company>"
            "<Manager>D. Hartwell</Manager><Pages>1</Pages></Properties>",
        )
    return buffer.getvalue()


async def test_a_graders_copy_of_a_word_document_names_no_one(auth):
    room = await classroom(auth)
    quiz, enrollment = await memo_course(room)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    original = signed_docx()
    upload = await work_product.attach_file(
        room.student, attempt.pk, quiz.questions[0].pk, "memo.docx", "", original
    )

    own = await work_product.file_content(room.student, upload.pk)
    graded = await work_product.file_content(room.grader, upload.pk)

    assert bytes(own.content) == original
    parts = zipfile.ZipFile(io.BytesIO(bytes(graded.content)))
    text = b"".join(parts.read(name) for name in parts.namelist())
    for name in (b"Marbury", b"WM", b"Hartwell"):
        assert name not in text
    # The work itself, and what does not name anyone, is left as it was.
    assert b"<w:t>Notify within 72 hours.</w:t>" in text
    assert b"<dc:title>Breach memo</dc:title>" in text
    assert b'w:date="2026-05-01"' in text
    assert work_product.sniff(bytes(graded.content)) == work_product.DOCX
    assert (await SubmissionFile.get(id=upload.pk)).sha256 == upload.sha256


async def test_a_graders_copy_of_a_pdf_names_no_one_and_a_locked_pdf_is_refused(auth):
    from pypdf import PdfReader, PdfWriter

    room = await classroom(auth)
    quiz, enrollment = await memo_course(room)
    attempt = await attempts.start_attempt(
        room.student, enrollment.pk, quiz.assessment.pk
    )
    original = pdf("William Marbury", Creator="Hartwell DMS")
    locked = PdfWriter(clone_from=PdfReader(io.BytesIO(original)))
    locked.encrypt("secret")
    sealed = io.BytesIO()
    locked.write(sealed)

    with pytest.raises(InvalidInput) as refused:
        await work_product.attach_file(
            room.student,
            attempt.pk,
            quiz.questions[0].pk,
            "m.pdf",
            "",
            sealed.getvalue(),
        )
    with pytest.raises(InvalidInput) as broken:
        await work_product.attach_file(
            room.student, attempt.pk, quiz.questions[0].pk, "m.pdf", "", b"%PDF-1.7 x"
        )
    upload = await work_product.attach_file(
        room.student, attempt.pk, quiz.questions[0].pk, "memo.pdf", "", original
    )
    own = await work_product.file_content(room.student, upload.pk)
    graded = await work_product.file_content(room.grader, upload.pk)

    assert "password" in refused.value.message
    assert "cannot be read" in broken.value.message
    assert bytes(own.content) == original
    assert PdfReader(io.BytesIO(original)).metadata["/Author"] == "William Marbury"
    copy = PdfReader(io.BytesIO(bytes(graded.content)))
    assert dict(copy.metadata or {}) == {"/Title": "Breach memo"}
    assert b"Marbury" not in bytes(graded.content)
    assert len(copy.pages) == 1
