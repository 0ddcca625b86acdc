"""Learner records: profiles, bar admissions, enrollments, progress, attempts.

Records point at the release a learner studied, never at the working copy:
an editor may change or delete a lesson, and the audit must still say which
text the learner saw. Course parts are named by their ids in that release.
"""

from tortoise import fields

from app.models.base import Owned
from app.models.enums import AttemptStatus, EnrollmentStatus
from app.models.fields import HoursField


class LearnerProfile(Owned):
    """A lawyer at their firm (the organization): the names bars file under."""

    user = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.RESTRICT
    )
    first_name = fields.CharField(max_length=100)
    last_name = fields.CharField(max_length=100)
    # New York's registration cycle and Texas's compliance year follow it.
    birth_date = fields.DateField(null=True)

    search_fields = ("first_name", "last_name")
    read_only_collection = True
    owner_field = "user"

    class Meta:
        table = "learner_profiles"
        unique_together = (("user",),)


class BarAdmission(Owned):
    """A learner's admission to a jurisdiction's bar, which they report CLE to."""

    profile = fields.ForeignKeyField(
        "models.LearnerProfile", related_name="admissions", on_delete=fields.CASCADE
    )
    user = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.RESTRICT
    )
    jurisdiction = fields.ForeignKeyField(
        "models.Jurisdiction", related_name=False, on_delete=fields.RESTRICT
    )
    bar_number = fields.CharField(max_length=40, null=True)
    admitted_on = fields.DateField()
    # California and Illinois group lawyers by the initial of the last name
    # on the roll at admission; a later change of name never moves them.
    last_name_at_admission = fields.CharField(max_length=100, null=True)
    # Florida assigns each member a reporting cycle: its last day.
    cycle_ends_on = fields.DateField(null=True)

    search_fields = ("bar_number",)
    read_only_collection = True
    owner_field = "user"

    class Meta:
        table = "bar_admissions"
        unique_together = (("profile", "jurisdiction"),)


class Enrollment(Owned):
    """A learner taking one release of a course: completion earns credit."""

    user = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.RESTRICT
    )
    profile = fields.ForeignKeyField(
        "models.LearnerProfile", related_name="enrollments", on_delete=fields.RESTRICT
    )
    course = fields.ForeignKeyField(
        "models.Course", related_name=False, on_delete=fields.RESTRICT
    )
    release = fields.ForeignKeyField(
        "models.Release", related_name=False, on_delete=fields.RESTRICT
    )
    version = fields.IntField()
    # The course's publisher, so that it may count its outcomes.
    publisher = fields.ForeignKeyField(
        "models.Organization", related_name=False, on_delete=fields.RESTRICT
    )
    status = fields.CharEnumField(
        EnrollmentStatus, max_length=20, default=EnrollmentStatus.ACTIVE
    )
    date_completed = fields.DatetimeField(null=True)

    read_only_collection = True
    owner_field = "user"

    class Meta:
        table = "enrollments"
        unique_together = (("user", "course"),)


class LessonProgress(Owned):
    """A lesson of the enrolled release, done."""

    enrollment = fields.ForeignKeyField(
        "models.Enrollment", related_name="progress", on_delete=fields.CASCADE
    )
    user = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.RESTRICT
    )
    lesson = fields.UUIDField()

    read_only_collection = True
    owner_field = "user"

    class Meta:
        table = "lesson_progress"
        unique_together = (("enrollment", "lesson"),)


class Attempt(Owned):
    """One try at an assessment of the enrolled release, graded on the server."""

    enrollment = fields.ForeignKeyField(
        "models.Enrollment", related_name="attempts", on_delete=fields.CASCADE
    )
    user = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.RESTRICT
    )
    assessment = fields.UUIDField()
    number = fields.IntField()
    status = fields.CharEnumField(
        AttemptStatus, max_length=20, default=AttemptStatus.IN_PROGRESS
    )
    started = fields.DatetimeField()
    # started + the time limit; null when the assessment has none.
    deadline = fields.DatetimeField(null=True)
    submitted = fields.DatetimeField(null=True)
    late = fields.BooleanField(default=False)
    score = HoursField(null=True)
    max_score = HoursField(null=True)
    percent = fields.DecimalField(max_digits=6, decimal_places=2, null=True)
    passed = fields.BooleanField(null=True)
    graded = fields.DatetimeField(null=True)

    read_only_collection = True
    owner_field = "user"

    class Meta:
        table = "attempts"
        unique_together = (("enrollment", "assessment", "number"),)


class Response(Owned):
    """A learner's answer to one question of an attempt, and what it earned.

    Answers are the learner's own: only they (and, for work product, the
    publisher's reviewer grading it) ever read them.
    """

    attempt = fields.ForeignKeyField(
        "models.Attempt", related_name="responses", on_delete=fields.CASCADE
    )
    user = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.RESTRICT
    )
    question = fields.UUIDField()
    answer = fields.JSONField(null=True)
    answered = fields.DatetimeField()
    points = HoursField(null=True)
    correct = fields.BooleanField(null=True)
    # A reviewer's marks against an essay's rubric, and their comment.
    rubric_scores = fields.JSONField(null=True)
    reviewer_comment = fields.TextField(null=True)
    reviewer = fields.UUIDField(null=True)

    # What an answer earned reaches the learner through the attempt's
    # feedback, as far as the assessment's feedback policy allows.
    private_fields = ("points", "correct", "rubric_scores", "reviewer")
    read_only_collection = True
    owner_field = "user"

    class Meta:
        table = "responses"
        unique_together = (("attempt", "question"),)


class SubmissionFile(Owned):
    """A document submitted as the answer to a work-product question."""

    response = fields.ForeignKeyField(
        "models.Response", related_name="files", on_delete=fields.CASCADE
    )
    user = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.RESTRICT
    )
    filename = fields.CharField(max_length=200)
    content_type = fields.CharField(max_length=100)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    content = fields.BinaryField()

    private_fields = ("content",)
    read_only_collection = True
    owner_field = "user"

    class Meta:
        table = "submission_files"
