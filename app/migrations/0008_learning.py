from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from app.models.enums import (
    AttemptStatus,
    CreditCategory,
    CreditSource,
    Delivery,
    EnrollmentStatus,
    LatePolicy,
)
from app.models.fields import HoursField
from json import dumps, loads
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0007_syndication")]

    initial = False

    operations = [
        ops.CreateModel(
            name="LearnerProfile",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
                    ),
                ),
                ("user_created", fields.UUIDField(null=True)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                ("user_updated", fields.UUIDField(null=True)),
                (
                    "date_updated",
                    fields.DatetimeField(auto_now=True, auto_now_add=False),
                ),
                ("revision", fields.UUIDField(null=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("first_name", fields.CharField(max_length=100)),
                ("last_name", fields.CharField(max_length=100)),
                ("birth_date", fields.DateField(null=True)),
            ],
            options={
                "table": "learner_profiles",
                "app": "models",
                "unique_together": (("user",),),
                "pk_attr": "id",
                "table_description": "A lawyer at their firm (the organization): the names bars file under.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="BarAdmission",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
                    ),
                ),
                ("user_created", fields.UUIDField(null=True)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                ("user_updated", fields.UUIDField(null=True)),
                (
                    "date_updated",
                    fields.DatetimeField(auto_now=True, auto_now_add=False),
                ),
                ("revision", fields.UUIDField(null=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "profile",
                    fields.ForeignKeyField(
                        "models.LearnerProfile",
                        source_field="profile_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="admissions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "jurisdiction",
                    fields.ForeignKeyField(
                        "models.Jurisdiction",
                        source_field="jurisdiction_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("bar_number", fields.CharField(null=True, max_length=40)),
                ("admitted_on", fields.DateField()),
                ("last_name_at_admission", fields.CharField(null=True, max_length=100)),
                ("cycle_ends_on", fields.DateField(null=True)),
            ],
            options={
                "table": "bar_admissions",
                "app": "models",
                "unique_together": (("profile", "jurisdiction"),),
                "pk_attr": "id",
                "table_description": "A learner's admission to a jurisdiction's bar, which they report CLE to.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="Enrollment",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
                    ),
                ),
                ("user_created", fields.UUIDField(null=True)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                ("user_updated", fields.UUIDField(null=True)),
                (
                    "date_updated",
                    fields.DatetimeField(auto_now=True, auto_now_add=False),
                ),
                ("revision", fields.UUIDField(null=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "profile",
                    fields.ForeignKeyField(
                        "models.LearnerProfile",
                        source_field="profile_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="enrollments",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "course",
                    fields.ForeignKeyField(
                        "models.Course",
                        source_field="course_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "release",
                    fields.ForeignKeyField(
                        "models.Release",
                        source_field="release_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("version", fields.IntField()),
                (
                    "publisher",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="publisher_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=EnrollmentStatus.ACTIVE,
                        description="ACTIVE: active\nCOMPLETED: completed",
                        enum_type=EnrollmentStatus,
                        max_length=20,
                    ),
                ),
                (
                    "date_completed",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "enrollments",
                "app": "models",
                "unique_together": (("user", "course"),),
                "pk_attr": "id",
                "table_description": "A learner taking one release of a course: completion earns credit.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="Attempt",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
                    ),
                ),
                ("user_created", fields.UUIDField(null=True)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                ("user_updated", fields.UUIDField(null=True)),
                (
                    "date_updated",
                    fields.DatetimeField(auto_now=True, auto_now_add=False),
                ),
                ("revision", fields.UUIDField(null=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "enrollment",
                    fields.ForeignKeyField(
                        "models.Enrollment",
                        source_field="enrollment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="attempts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("assessment", fields.UUIDField()),
                ("number", fields.IntField()),
                (
                    "status",
                    fields.CharEnumField(
                        default=AttemptStatus.IN_PROGRESS,
                        description="IN_PROGRESS: in_progress\nAWAITING_REVIEW: awaiting_review\nGRADED: graded",
                        enum_type=AttemptStatus,
                        max_length=20,
                    ),
                ),
                ("started", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "deadline",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "submitted",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("late", fields.BooleanField(default=False)),
                ("score", HoursField(null=True)),
                ("max_score", HoursField(null=True)),
                (
                    "percent",
                    fields.DecimalField(null=True, max_digits=6, decimal_places=2),
                ),
                ("passed", fields.BooleanField(null=True)),
                (
                    "graded",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "attempts",
                "app": "models",
                "unique_together": (("enrollment", "assessment", "number"),),
                "pk_attr": "id",
                "table_description": "One try at an assessment of the enrolled release, graded on the server.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="Credit",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
                    ),
                ),
                ("user_created", fields.UUIDField(null=True)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                ("user_updated", fields.UUIDField(null=True)),
                (
                    "date_updated",
                    fields.DatetimeField(auto_now=True, auto_now_add=False),
                ),
                ("revision", fields.UUIDField(null=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "profile",
                    fields.ForeignKeyField(
                        "models.LearnerProfile",
                        source_field="profile_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="credits",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "admission",
                    fields.ForeignKeyField(
                        "models.BarAdmission",
                        source_field="admission_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="credits",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "jurisdiction",
                    fields.ForeignKeyField(
                        "models.Jurisdiction",
                        source_field="jurisdiction_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "enrollment",
                    fields.ForeignKeyField(
                        "models.Enrollment",
                        source_field="enrollment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="credits",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "course",
                    fields.ForeignKeyField(
                        "models.Course",
                        source_field="course_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "release",
                    fields.ForeignKeyField(
                        "models.Release",
                        source_field="release_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("version", fields.IntField()),
                ("course_title", fields.CharField(max_length=200)),
                (
                    "category",
                    fields.CharEnumField(
                        description="TOTAL: total\nGENERAL: general\nETHICS: ethics\nPROFESSIONALISM: professionalism\nBIAS: bias\nDIVERSITY: diversity\nCOMPETENCE: competence\nMENTAL_HEALTH: mental_health\nTECHNOLOGY: technology\nCYBERSECURITY: cybersecurity\nCIVILITY: civility\nSKILLS: skills\nLAW_PRACTICE_MANAGEMENT: law_practice_management\nAREAS_OF_PRACTICE: areas_of_practice",
                        enum_type=CreditCategory,
                        max_length=30,
                    ),
                ),
                ("hours", HoursField()),
                (
                    "delivery",
                    fields.CharEnumField(
                        description="ANY: any\nLIVE: live\nSELF_STUDY: self_study",
                        enum_type=Delivery,
                        max_length=20,
                    ),
                ),
                ("earned_on", fields.DateField()),
                ("approval", fields.UUIDField()),
                ("approval_number", fields.CharField(null=True, max_length=80)),
                (
                    "source",
                    fields.CharEnumField(
                        default=CreditSource.COURSE_COMPLETION,
                        description="COURSE_COMPLETION: course_completion",
                        enum_type=CreditSource,
                        max_length=30,
                    ),
                ),
            ],
            options={
                "table": "credits",
                "app": "models",
                "unique_together": (("enrollment", "jurisdiction", "category"),),
                "pk_attr": "id",
                "table_description": "One entry of a learner's ledger, written once and never edited.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="LessonProgress",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
                    ),
                ),
                ("user_created", fields.UUIDField(null=True)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                ("user_updated", fields.UUIDField(null=True)),
                (
                    "date_updated",
                    fields.DatetimeField(auto_now=True, auto_now_add=False),
                ),
                ("revision", fields.UUIDField(null=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "enrollment",
                    fields.ForeignKeyField(
                        "models.Enrollment",
                        source_field="enrollment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="progress",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("lesson", fields.UUIDField()),
            ],
            options={
                "table": "lesson_progress",
                "app": "models",
                "unique_together": (("enrollment", "lesson"),),
                "pk_attr": "id",
                "table_description": "A lesson of the enrolled release, done.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="ReleaseKey",
            fields=[
                (
                    "id",
                    fields.IntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "release",
                    fields.OneToOneField(
                        "models.Release",
                        source_field="release_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "questions",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
            ],
            options={
                "table": "release_keys",
                "app": "models",
                "pk_attr": "id",
                "table_description": "The answer keys of a release, kept apart from its public document.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Response",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
                    ),
                ),
                ("user_created", fields.UUIDField(null=True)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                ("user_updated", fields.UUIDField(null=True)),
                (
                    "date_updated",
                    fields.DatetimeField(auto_now=True, auto_now_add=False),
                ),
                ("revision", fields.UUIDField(null=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "attempt",
                    fields.ForeignKeyField(
                        "models.Attempt",
                        source_field="attempt_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="responses",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("question", fields.UUIDField()),
                (
                    "answer",
                    fields.JSONField(
                        null=True,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("answered", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("points", HoursField(null=True)),
                ("correct", fields.BooleanField(null=True)),
                (
                    "rubric_scores",
                    fields.JSONField(
                        null=True,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("reviewer_comment", fields.TextField(null=True, unique=False)),
                ("reviewer", fields.UUIDField(null=True)),
            ],
            options={
                "table": "responses",
                "app": "models",
                "unique_together": (("attempt", "question"),),
                "pk_attr": "id",
                "table_description": "A learner's answer to one question of an attempt, and what it earned.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="SubmissionFile",
            fields=[
                (
                    "id",
                    fields.UUIDField(
                        primary_key=True, default=uuid4, unique=True, db_index=True
                    ),
                ),
                ("user_created", fields.UUIDField(null=True)),
                (
                    "date_created",
                    fields.DatetimeField(auto_now=False, auto_now_add=True),
                ),
                ("user_updated", fields.UUIDField(null=True)),
                (
                    "date_updated",
                    fields.DatetimeField(auto_now=True, auto_now_add=False),
                ),
                ("revision", fields.UUIDField(null=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "response",
                    fields.ForeignKeyField(
                        "models.Response",
                        source_field="response_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="files",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("filename", fields.CharField(max_length=200)),
                ("content_type", fields.CharField(max_length=100)),
                ("size", fields.IntField()),
                ("sha256", fields.CharField(max_length=64)),
                ("content", fields.BinaryField()),
            ],
            options={
                "table": "submission_files",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A document submitted as the answer to a work-product question.",
            },
            bases=["Owned"],
        ),
        ops.AddField(
            model_name="Assessment",
            name="late_policy",
            field=fields.CharEnumField(
                default=LatePolicy.ON_TIME_ANSWERS,
                description="ON_TIME_ANSWERS: on_time_answers\nZERO: zero",
                enum_type=LatePolicy,
                max_length=20,
            ),
        ),
    ]
