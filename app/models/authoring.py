"""What publishers author: organizations, courses and their parts, credentials."""

from tortoise import fields

from app.models.base import Owned, Record
from app.models.enums import (
    AssessmentKind,
    ContentStatus,
    CourseFormat,
    CourseLevel,
    CriterionKind,
    FeedbackPolicy,
    LatePolicy,
    LessonKind,
    OrganizationKind,
    QuestionKind,
    ScoringPolicy,
    StackRule,
)
from app.models.fields import HoursField


class Organization(Record):
    name = fields.CharField(max_length=200)
    slug = fields.CharField(max_length=80, unique=True)
    kind = fields.CharEnumField(OrganizationKind, max_length=20)
    website = fields.CharField(max_length=300, null=True)
    description = fields.TextField(null=True)

    search_fields = ("name", "slug", "description")

    class Meta:
        table = "organizations"


class PracticeArea(Owned):
    name = fields.CharField(max_length=120)
    slug = fields.CharField(max_length=80)
    description = fields.TextField(null=True)

    search_fields = ("name", "slug", "description")

    class Meta:
        table = "practice_areas"
        unique_together = (("organization", "slug"),)


class Course(Owned):
    status = fields.CharEnumField(
        ContentStatus, max_length=20, default=ContentStatus.DRAFT
    )
    title = fields.CharField(max_length=200)
    slug = fields.CharField(max_length=120)
    summary = fields.CharField(max_length=500, null=True)
    description = fields.TextField(null=True)
    level = fields.CharEnumField(CourseLevel, max_length=20)
    format = fields.CharEnumField(CourseFormat, max_length=20)
    language = fields.CharField(max_length=10, default="en")
    duration_minutes = fields.IntField(default=0)
    credit_hours = HoursField(default=0)
    featured = fields.BooleanField(default=False)
    available_from = fields.DateField(null=True)
    # The latest release, written by publishing: editors see what their
    # working copy was last published as; published reads show the release.
    version = fields.IntField(null=True)
    date_published = fields.DatetimeField(null=True)

    search_fields = ("title", "slug", "summary", "description")
    read_only_fields = ("version", "date_published")

    class Meta:
        table = "courses"
        unique_together = (("organization", "slug"),)


class CoursePracticeArea(Owned):
    """Junction between courses and practice areas, as a Directus M2M."""

    content_parent = "course"
    course = fields.ForeignKeyField(
        "models.Course", related_name="practice_areas", on_delete=fields.CASCADE
    )
    practice_area = fields.ForeignKeyField(
        "models.PracticeArea", related_name="courses", on_delete=fields.CASCADE
    )

    class Meta:
        table = "courses_practice_areas"
        unique_together = (("course", "practice_area"),)


class Module(Owned):
    content_parent = "course"
    course = fields.ForeignKeyField(
        "models.Course", related_name="modules", on_delete=fields.CASCADE
    )
    sort = fields.IntField(default=0)
    title = fields.CharField(max_length=200)
    summary = fields.TextField(null=True)

    search_fields = ("title", "summary")

    class Meta:
        table = "modules"


class Lesson(Owned):
    content_parent = "module"
    module = fields.ForeignKeyField(
        "models.Module", related_name="lessons", on_delete=fields.CASCADE
    )
    sort = fields.IntField(default=0)
    title = fields.CharField(max_length=200)
    kind = fields.CharEnumField(LessonKind, max_length=20)
    body = fields.TextField(null=True)
    media_url = fields.CharField(max_length=500, null=True)
    duration_minutes = fields.IntField(default=0)

    search_fields = ("title", "body")

    class Meta:
        table = "lessons"


class Assessment(Owned):
    content_parent = "course"
    course = fields.ForeignKeyField(
        "models.Course", related_name="assessments", on_delete=fields.CASCADE
    )
    module = fields.ForeignKeyField(
        "models.Module",
        related_name="assessments",
        null=True,
        on_delete=fields.SET_NULL,
    )
    sort = fields.IntField(default=0)
    title = fields.CharField(max_length=200)
    kind = fields.CharEnumField(AssessmentKind, max_length=20)
    instructions = fields.TextField(null=True)
    required = fields.BooleanField(default=True)
    pass_mark = fields.IntField(default=70)
    max_attempts = fields.IntField(null=True)
    time_limit_minutes = fields.IntField(null=True)
    scoring_policy = fields.CharEnumField(
        ScoringPolicy, max_length=20, default=ScoringPolicy.HIGHEST
    )
    feedback = fields.CharEnumField(
        FeedbackPolicy, max_length=20, default=FeedbackPolicy.AFTER_SUBMIT
    )
    late_policy = fields.CharEnumField(
        LatePolicy, max_length=20, default=LatePolicy.ON_TIME_ANSWERS
    )

    search_fields = ("title", "instructions")

    class Meta:
        table = "assessments"

    def problems(self) -> list[str]:
        found = []
        if not 0 <= self.pass_mark <= 100:
            found.append("pass_mark is a percentage, from 0 to 100.")
        if self.max_attempts is not None and self.max_attempts < 1:
            found.append("max_attempts must be at least 1, or empty for no limit.")
        if self.time_limit_minutes is not None and self.time_limit_minutes < 1:
            found.append("time_limit_minutes must be at least 1, or empty.")
        return found


class Question(Owned):
    content_parent = "assessment"
    assessment = fields.ForeignKeyField(
        "models.Assessment", related_name="questions", on_delete=fields.CASCADE
    )
    sort = fields.IntField(default=0)
    kind = fields.CharEnumField(QuestionKind, max_length=20)
    prompt = fields.TextField()
    points = HoursField(default=1)
    explanation = fields.TextField(null=True)
    # Accepted answers for short answers and rubric for essays; choice
    # questions keep their key on the choices.
    answer_key = fields.JSONField(null=True)
    grading_notes = fields.TextField(null=True)

    search_fields = ("prompt",)
    restricted_fields = ("answer_key", "grading_notes")

    class Meta:
        table = "questions"


class Choice(Owned):
    content_parent = "question"
    question = fields.ForeignKeyField(
        "models.Question", related_name="choices", on_delete=fields.CASCADE
    )
    sort = fields.IntField(default=0)
    label = fields.TextField()
    is_correct = fields.BooleanField(default=False)
    feedback = fields.TextField(null=True)

    search_fields = ("label",)
    restricted_fields = ("is_correct", "feedback")

    class Meta:
        table = "choices"


class MicroCredential(Owned):
    status = fields.CharEnumField(
        ContentStatus, max_length=20, default=ContentStatus.DRAFT
    )
    title = fields.CharField(max_length=200)
    slug = fields.CharField(max_length=120)
    description = fields.TextField()
    criteria_narrative = fields.TextField(null=True)
    validity_months = fields.IntField(null=True)

    search_fields = ("title", "slug", "description")

    class Meta:
        table = "micro_credentials"
        unique_together = (("organization", "slug"),)


class MicroCredentialCriterion(Owned):
    """One thing a learner must do to earn a micro-credential."""

    content_parent = "micro_credential"
    micro_credential = fields.ForeignKeyField(
        "models.MicroCredential", related_name="criteria", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(CriterionKind, max_length=30)
    course = fields.ForeignKeyField(
        "models.Course", related_name=False, null=True, on_delete=fields.CASCADE
    )
    assessment = fields.ForeignKeyField(
        "models.Assessment", related_name=False, null=True, on_delete=fields.CASCADE
    )
    min_score = fields.IntField(null=True)

    class Meta:
        table = "micro_credential_criteria"

    def problems(self) -> list[str]:
        if self.kind == CriterionKind.COURSE_COMPLETED and self.course_id is None:
            return ["a course_completed criterion names a course."]
        if self.kind == CriterionKind.ASSESSMENT_PASSED and self.assessment_id is None:
            return ["an assessment_passed criterion names an assessment."]
        if self.min_score is not None and not 0 <= self.min_score <= 100:
            return ["min_score is a percentage, from 0 to 100."]
        return []


class Pathway(Owned):
    status = fields.CharEnumField(
        ContentStatus, max_length=20, default=ContentStatus.DRAFT
    )
    title = fields.CharField(max_length=200)
    slug = fields.CharField(max_length=120)
    description = fields.TextField()
    rule = fields.CharEnumField(StackRule, max_length=10, default=StackRule.ALL_OF)
    required_count = fields.IntField(null=True)
    validity_months = fields.IntField(null=True)

    search_fields = ("title", "slug", "description")

    class Meta:
        table = "pathways"
        unique_together = (("organization", "slug"),)

    def problems(self) -> list[str]:
        if self.rule == StackRule.N_OF and not (self.required_count or 0) >= 1:
            return ["an n_of pathway needs required_count of at least 1."]
        return []


class PathwayMicroCredential(Owned):
    """Junction between pathways and the micro-credentials they stack."""

    content_parent = "pathway"
    pathway = fields.ForeignKeyField(
        "models.Pathway", related_name="micro_credentials", on_delete=fields.CASCADE
    )
    micro_credential = fields.ForeignKeyField(
        "models.MicroCredential", related_name="pathways", on_delete=fields.CASCADE
    )
    sort = fields.IntField(default=0)

    class Meta:
        table = "pathways_micro_credentials"
        unique_together = (("pathway", "micro_credential"),)


__all__ = [
    "Assessment",
    "Choice",
    "Course",
    "CoursePracticeArea",
    "Lesson",
    "MicroCredential",
    "MicroCredentialCriterion",
    "Module",
    "Organization",
    "Pathway",
    "PathwayMicroCredential",
    "PracticeArea",
    "Question",
]
