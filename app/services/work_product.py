"""Work product: documents handed in, the blind grading queue, rubric marks.

A reviewer of the course's publisher grades an essay against its rubric
without learning who wrote it: the queue names attempts, never learners,
and files reach graders under neutral names.
"""

import datetime as dt
import hashlib
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject, TextStringObject
from tortoise.transactions import in_transaction

from app.errors import Conflict, Forbidden, InvalidInput, LimitExceeded, NotFound
from app.models import Attempt, Enrollment, Response, SubmissionFile
from app.models.enums import AttemptStatus
from app.services import grading
from app.services.attempts import (
    assessment_of,
    clock,
    keys_of,
    own_attempt,
    question_of,
    save_answer,
    setting_of,
    still_open,
    total_score,
)
from app.services.enrollments import document_of, refresh_completion
from app.services.grading import Criterion
from app.services.query import parse_id
from permissions import ALL, Action, Principal, PrincipalKind, authorize, organizations

logger = logging.getLogger("lexstack.learning")

MAX_FILE_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", TEXT: ".txt"}
MAX_COMMENT = 10_000
# Control characters never found in prose; tabs, line and page breaks are.
CONTROLS = [chr(c) for c in [*range(0, 9), 11, *range(14, 32), *range(127, 160)]]


def sniff(data: bytes) -> str:
    """The file's type by its content: PDF, DOCX or plain text, else InvalidInput.

    The declared type is the sender's claim; the bytes are what a reviewer's
    software will open.
    """
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            # Only the central directory is read: nothing is decompressed,
            # so a zip bomb costs no more than its size.
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            names = set()
        # A macro project makes it a .docm in disguise, whatever its name.
        if {"[Content_Types].xml", "word/document.xml"} <= names and not any(
            name.lower().endswith("vbaproject.bin") for name in names
        ):
            return DOCX
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        if text is not None and not any(c in text for c in CONTROLS):
            return TEXT
    raise InvalidInput("A work product is a PDF, a Word document (.docx) or text.")


def safe_filename(filename: str, content_type: str) -> str:
    """The name without any path, in safe characters, with the type's extension."""
    name = unicodedata.normalize("NFC", filename or "").replace("\\", "/")
    name = name.rsplit("/", 1)[-1]
    name = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in name)
    # No leading dot (a hidden file) and no trailing dots or spaces.
    name = " ".join(name.split()).strip(" .")
    extension = EXTENSIONS[content_type]
    if name.lower().endswith(extension):
        name = name[: -len(extension)].rstrip(" .")
    return (name[: 200 - len(extension)] or "submission") + extension


async def attach_file(
    principal: Principal,
    attempt_id: Any,
    question_id: Any,
    filename: str,
    content_type: str,
    data: bytes,
    *,
    max_bytes: int = MAX_FILE_BYTES,
) -> SubmissionFile:
    """Hand in a document as the answer to an essay; it replaces an earlier one."""
    if len(data) > max_bytes:
        mib, rest = divmod(max_bytes, 1024 * 1024)
        cap = f"{mib} MiB" if mib and not rest else f"{max_bytes:,} bytes"
        raise LimitExceeded(f"A file is at most {cap}.")
    if not data:
        raise InvalidInput("The file is empty.")
    detected = sniff(data)
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    if declared not in ("", "application/octet-stream", detected):
        raise InvalidInput(f"The file was sent as {declared[:100]} but is {detected}.")
    if detected == PDF:
        # A grader's copy is made on each download; a file that cannot be
        # made into one is refused now, while the learner can still fix it.
        pdf_without_authors(data)
    question_key = parse_id(question_id)

    async with in_transaction():
        attempt = await own_attempt(principal, attempt_id, lock=True)
        now = clock()
        still_open(attempt, now)
        _, assessment = await setting_of(attempt)
        if not grading.needs_review(question_of(assessment, question_key)):
            raise InvalidInput("Only an essay question takes a file.")
        response = await save_answer(attempt, question_key, None, now)
        await SubmissionFile.filter(response_id=response.pk).delete()
        stored = await SubmissionFile.create(
            response=response,
            user_id=attempt.user_id,
            organization_id=attempt.organization_id,
            filename=safe_filename(filename, detected),
            content_type=detected,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            content=data,
            user_created=principal.id,
        )
    logger.info(
        "submission_file.attached",
        extra={"file": str(stored.pk), "attempt": str(attempt.pk), "size": len(data)},
    )
    return stored


def _neutral_name(upload: SubmissionFile) -> str:
    # The learner's own file name often carries their name.
    return f"work-product-{str(upload.pk)[:8]}{EXTENSIONS.get(upload.content_type, '')}"


# Word names people in its document properties and on every comment and
# tracked change; a grader's copy has those names blanked. PDFs are
# rewritten without theirs (pdf_without_authors).
_DOCX_NAMES = [
    (re.compile(rb"(<(dc:creator|cp:lastModifiedBy)\b[^>]*>)[^<]*(</\2>)"), rb"\1\3"),
    (re.compile(rb"(<(Company|Manager)\b[^>]*>)[^<]*(</\2>)"), rb"\1\3"),
    (re.compile(rb'\b(w:author|w:initials)="[^"]*"'), rb'\1=""'),
]
# Unpacking a document for a grader never inflates more than this.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def pdf_without_authors(data: bytes) -> bytes:
    """A PDF without the names in its document information, its XMP metadata
    and its annotations; the title and subject stay.

    InvalidInput if the file cannot be read, or is locked with a password.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InvalidInput(
                "A PDF locked with a password cannot be graded; hand in one "
                "without a password."
            )
        writer = PdfWriter(clone_from=reader)
        kept = {
            key: str(value)
            for key, value in (reader.metadata or {}).items()
            if key in ("/Title", "/Subject")
        }
        writer.metadata = None
        if kept:
            writer.add_metadata(kept)
        writer.root_object.pop(NameObject("/Metadata"), None)
        for page in writer.pages:
            for annotation in page.get("/Annots") or []:
                note = annotation.get_object()
                if "/T" in note:
                    note[NameObject("/T")] = TextStringObject("")
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise InvalidInput(
            "This PDF cannot be read; save it again and hand it in."
        ) from exc
    return out.getvalue()


def without_authors(data: bytes) -> bytes:
    """A Word document with the names of its author, editors and commenters
    blanked, every other part left as it was."""
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = source.infolist()
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise LimitExceeded("This document unpacks too large to prepare for grading.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in entries:
            part = source.read(entry)
            if entry.filename.endswith((".xml", ".rels")):
                for pattern, blank in _DOCX_NAMES:
                    part = pattern.sub(blank, part)
            target.writestr(entry, part)
    return buffer.getvalue()


async def file_content(principal: Principal, file_id: Any) -> SubmissionFile:
    """A handed-in document, for its learner or a grader of the course's publisher.

    A grader gets it under a neutral name: grading is blind.
    """
    upload = await SubmissionFile.get_or_none(id=parse_id(file_id))
    if upload is None:
        raise NotFound(f"No file with id {file_id}.")
    if principal.kind is PrincipalKind.USER and upload.user_id == principal.id:
        return upload
    enrollment = await _enrollment_of(upload.response_id)
    try:
        authorize(principal, Action.GRADE, "responses", enrollment.publisher_id)
    except Forbidden as exc:
        raise NotFound(f"No file with id {file_id}.") from exc
    upload.filename = _neutral_name(upload)
    if upload.content_type == DOCX:
        upload.content = without_authors(upload.content)
    elif upload.content_type == PDF:
        upload.content = pdf_without_authors(bytes(upload.content))
    return upload


async def _enrollment_of(response_id: Any) -> Enrollment:
    response = await Response.get(id=response_id)
    attempt = await Attempt.get(id=response.attempt_id)
    return await Enrollment.get(id=attempt.enrollment_id)


@dataclass(frozen=True)
class FileForReview:
    """A handed-in document as a grader sees it: no name, which may be the learner's."""

    id: str
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ResponseForReview:
    """One essay of the attempt, with the rubric and notes its grader works from."""

    response: str
    question: str
    prompt: str
    points: Decimal
    rubric: list[Criterion]
    grading_notes: str | None
    text: str | None
    files: list[FileForReview]
    # The marks so far, while a second essay of the attempt waits.
    rubric_scores: list[dict[str, Any]] | None
    reviewer_comment: str | None


@dataclass(frozen=True)
class ReviewTask:
    """An attempt awaiting review, blind: nothing in it says who wrote it."""

    attempt: str
    course: str
    course_title: str
    version: int
    assessment: str
    assessment_title: str
    instructions: str | None
    submitted: dt.datetime
    responses: list[ResponseForReview]


async def grading_queue(
    principal: Principal, organization_id: Any = None, *, limit: int = 100
) -> list[ReviewTask]:
    """Attempts awaiting review at publishers where the principal grades, oldest first.

    A grader's own attempts are left out: nobody grades their own work. Oldest
    first and at most `limit`, so that a long queue is worked off in order.
    """
    if organization_id is not None:
        publisher = parse_id(organization_id)
        authorize(principal, Action.GRADE, "responses", publisher)
        scope: set[Any] | None = {publisher}
    else:
        authorize(principal, Action.GRADE, "responses")
        orgs = organizations(principal, Action.GRADE, "responses")
        scope = None if orgs is ALL else set(orgs)
    query = Attempt.filter(status=AttemptStatus.AWAITING_REVIEW)
    if scope is not None:
        query = query.filter(enrollment__publisher_id__in=list(scope))
    if principal.id is not None:
        query = query.exclude(user_id=principal.id)
    attempts = (
        await query.order_by("submitted", "id")
        .limit(max(1, min(limit, 500)))
        .prefetch_related("enrollment")
    )

    responses = await Response.filter(attempt_id__in=[a.pk for a in attempts])
    files = await SubmissionFile.filter(
        response_id__in=[r.pk for r in responses]
    ).values("id", "response_id", "content_type", "size", "sha256")
    releases: dict[Any, tuple[dict[str, Any], dict[str, Any]]] = {}
    tasks = []
    for attempt in attempts:
        enrollment = attempt.enrollment
        if enrollment.release_id not in releases:
            releases[enrollment.release_id] = (
                await document_of(enrollment),
                await keys_of(enrollment),
            )
        document, keys = releases[enrollment.release_id]
        assessment = assessment_of(document, attempt.assessment)
        mine = {str(r.question): r for r in responses if r.attempt_id == attempt.pk}
        tasks.append(
            ReviewTask(
                attempt=str(attempt.pk),
                course=str(enrollment.course_id),
                course_title=document["title"],
                version=enrollment.version,
                assessment=str(assessment["id"]),
                assessment_title=assessment["title"],
                instructions=assessment.get("instructions"),
                submitted=attempt.submitted,
                responses=[
                    _for_review(question, keys.get(str(question["id"]), {}), r, files)
                    for question in assessment["questions"]
                    if grading.needs_review(question)
                    and (r := mine.get(str(question["id"]))) is not None
                ],
            )
        )
    return tasks


def _for_review(
    question: dict[str, Any],
    key: dict[str, Any],
    response: Response,
    files: list[dict[str, Any]],
) -> ResponseForReview:
    return ResponseForReview(
        response=str(response.pk),
        question=str(question["id"]),
        prompt=question["prompt"],
        points=grading.points_of(question),
        rubric=grading.rubric_of(question, key),
        grading_notes=key.get("grading_notes"),
        text=(response.answer or {}).get("text"),
        files=[
            FileForReview(str(f["id"]), f["content_type"], f["size"], f["sha256"])
            for f in files
            if f["response_id"] == response.pk
        ],
        rubric_scores=response.rubric_scores,
        reviewer_comment=response.reviewer_comment,
    )


async def grade_response(
    principal: Principal,
    response_id: Any,
    rubric_scores: list[dict[str, Any]],
    comment: str | None = None,
) -> Response:
    """Mark an essay against its rubric; the last essay marked grades the attempt.

    Until the attempt is graded a reviewer may mark an essay again.
    """
    response_key = parse_id(response_id)
    found = await Response.get_or_none(id=response_key)
    if found is None:
        raise NotFound(f"No response with id {response_id}.")
    enrollment = await _enrollment_of(found.pk)
    authorize(principal, Action.GRADE, "responses", enrollment.publisher_id)
    if principal.id is not None and principal.id == found.user_id:
        raise Forbidden("A grader may not grade their own attempt.")
    if comment is not None and len(comment) > MAX_COMMENT:
        raise InvalidInput(f"A comment is at most {MAX_COMMENT:,} characters.")

    now = clock()
    async with in_transaction():
        attempt = await Attempt.filter(id=found.attempt_id).select_for_update().get()
        if attempt.status != AttemptStatus.AWAITING_REVIEW:
            raise Conflict(
                f"This attempt is {attempt.status.value}, not awaiting review."
            )
        assessment = assessment_of(await document_of(enrollment), attempt.assessment)
        question = question_of(assessment, found.question)
        if not grading.needs_review(question):
            raise InvalidInput("Only essays are graded by a reviewer.")
        keys = await keys_of(enrollment)
        points, stored = grading.mark_rubric(
            question, keys.get(str(question["id"]), {}), rubric_scores
        )
        response = await Response.get(id=response_key)
        response.points, response.correct = points, None
        response.rubric_scores = stored
        response.reviewer_comment = (comment or "").strip() or None
        response.reviewer = principal.id
        await response.save(
            update_fields=[
                "points",
                "correct",
                "rubric_scores",
                "reviewer_comment",
                "reviewer",
            ]
        )
        responses = await Response.filter(attempt_id=attempt.pk)
        if all(r.points is not None for r in responses):
            total_score(attempt, assessment, responses, now)
            await attempt.save()

    logger.info(
        "response.graded",
        extra={"response": str(response.pk), "attempt": str(attempt.pk)},
    )
    if attempt.status == AttemptStatus.GRADED:
        logger.info("attempt.graded", extra={"attempt": str(attempt.pk)})
        await refresh_completion(attempt.enrollment_id, passed=bool(attempt.passed))
    return response
