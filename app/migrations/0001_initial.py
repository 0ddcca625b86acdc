import functools
from json import dumps, loads
from uuid import uuid4

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from app.models.enums import (
    ApprovalStatus,
    AssessmentKind,
    Audience,
    ContentStatus,
    CourseFormat,
    CourseLevel,
    CreditCategory,
    CriterionKind,
    Delivery,
    FeedbackPolicy,
    LessonKind,
    OrganizationKind,
    PeriodAssignment,
    QuestionKind,
    RequirementKind,
    ScoringPolicy,
    StackRule,
)
from app.models.fields import HoursField


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Organization",
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
                ("name", fields.CharField(max_length=200)),
                ("slug", fields.CharField(unique=True, max_length=80)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="PUBLISHER: publisher\nFIRM: firm\nBAR_ASSOCIATION: bar_association\nREGULATOR: regulator",
                        enum_type=OrganizationKind,
                        max_length=20,
                    ),
                ),
                ("website", fields.CharField(null=True, max_length=300)),
                ("description", fields.TextField(null=True, unique=False)),
            ],
            options={"table": "organizations", "app": "models", "pk_attr": "id"},
            bases=["Record"],
        ),
        ops.CreateModel(
            name="Course",
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
                    "status",
                    fields.CharEnumField(
                        default=ContentStatus.DRAFT,
                        description="DRAFT: draft\nIN_REVIEW: in_review\nPUBLISHED: published\nARCHIVED: archived",
                        enum_type=ContentStatus,
                        max_length=20,
                    ),
                ),
                ("title", fields.CharField(max_length=200)),
                ("slug", fields.CharField(max_length=120)),
                ("summary", fields.CharField(null=True, max_length=500)),
                ("description", fields.TextField(null=True, unique=False)),
                (
                    "level",
                    fields.CharEnumField(
                        description="FOUNDATIONAL: foundational\nINTERMEDIATE: intermediate\nADVANCED: advanced",
                        enum_type=CourseLevel,
                        max_length=20,
                    ),
                ),
                (
                    "format",
                    fields.CharEnumField(
                        description="ON_DEMAND: on_demand\nLIVE_WEBINAR: live_webinar\nIN_PERSON: in_person",
                        enum_type=CourseFormat,
                        max_length=20,
                    ),
                ),
                ("language", fields.CharField(default="en", max_length=10)),
                ("duration_minutes", fields.IntField(default=0)),
                ("credit_hours", HoursField(default=0)),
                ("featured", fields.BooleanField(default=False)),
                ("available_from", fields.DateField(null=True)),
            ],
            options={
                "table": "courses",
                "app": "models",
                "unique_together": (("organization", "slug"),),
                "pk_attr": "id",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="Jurisdiction",
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
                ("code", fields.CharField(unique=True, max_length=20)),
                ("name", fields.CharField(max_length=120)),
                ("regulator", fields.CharField(max_length=200)),
                ("period_months", fields.IntField()),
                (
                    "period_assignment",
                    fields.CharEnumField(
                        description="FIXED: fixed\nLAST_NAME: last_name\nBIRTH_MONTH: birth_month\nBIRTH_DATE: birth_date\nADMISSION_DATE: admission_date",
                        enum_type=PeriodAssignment,
                        max_length=20,
                    ),
                ),
                (
                    "period_rule",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("reporting_deadline", fields.CharField(null=True, max_length=300)),
                ("rules_url", fields.CharField(max_length=500)),
                ("source", fields.TextField(unique=False)),
                ("verified_on", fields.DateField(null=True)),
            ],
            options={
                "table": "jurisdictions",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A regulator's MCLE regime, owned by the regulator's organization.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="Approval",
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
                    "course",
                    fields.ForeignKeyField(
                        "models.Course",
                        source_field="course_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="approvals",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "jurisdiction",
                    fields.ForeignKeyField(
                        "models.Jurisdiction",
                        source_field="jurisdiction_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="approvals",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=ApprovalStatus.APPROVED,
                        description="PENDING: pending\nAPPROVED: approved\nDENIED: denied\nEXPIRED: expired",
                        enum_type=ApprovalStatus,
                        max_length=20,
                    ),
                ),
                ("approval_number", fields.CharField(null=True, max_length=80)),
                (
                    "delivery",
                    fields.CharEnumField(
                        default=Delivery.ANY,
                        description="ANY: any\nLIVE: live\nSELF_STUDY: self_study",
                        enum_type=Delivery,
                        max_length=20,
                    ),
                ),
                ("total_hours", HoursField()),
                ("valid_from", fields.DateField()),
                ("valid_until", fields.DateField(null=True)),
            ],
            options={
                "table": "approvals",
                "app": "models",
                "unique_together": (("course", "jurisdiction", "valid_from"),),
                "pk_attr": "id",
                "table_description": "A jurisdiction's accreditation of a course, owned by the course's publisher.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="ApprovalCredit",
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
                    "approval",
                    fields.ForeignKeyField(
                        "models.Approval",
                        source_field="approval_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="credits",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "category",
                    fields.CharEnumField(
                        description="TOTAL: total\nGENERAL: general\nETHICS: ethics\nPROFESSIONALISM: professionalism\nBIAS: bias\nDIVERSITY: diversity\nCOMPETENCE: competence\nMENTAL_HEALTH: mental_health\nTECHNOLOGY: technology\nCYBERSECURITY: cybersecurity\nCIVILITY: civility\nSKILLS: skills\nLAW_PRACTICE_MANAGEMENT: law_practice_management\nAREAS_OF_PRACTICE: areas_of_practice",
                        enum_type=CreditCategory,
                        max_length=30,
                    ),
                ),
                ("hours", HoursField()),
            ],
            options={
                "table": "approval_credits",
                "app": "models",
                "unique_together": (("approval", "category"),),
                "pk_attr": "id",
                "table_description": "Hours of one category within an approval.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="MicroCredential",
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
                    "status",
                    fields.CharEnumField(
                        default=ContentStatus.DRAFT,
                        description="DRAFT: draft\nIN_REVIEW: in_review\nPUBLISHED: published\nARCHIVED: archived",
                        enum_type=ContentStatus,
                        max_length=20,
                    ),
                ),
                ("title", fields.CharField(max_length=200)),
                ("slug", fields.CharField(max_length=120)),
                ("description", fields.TextField(unique=False)),
                ("criteria_narrative", fields.TextField(null=True, unique=False)),
                ("validity_months", fields.IntField(null=True)),
            ],
            options={
                "table": "micro_credentials",
                "app": "models",
                "unique_together": (("organization", "slug"),),
                "pk_attr": "id",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="Module",
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
                    "course",
                    fields.ForeignKeyField(
                        "models.Course",
                        source_field="course_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="modules",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("sort", fields.IntField(default=0)),
                ("title", fields.CharField(max_length=200)),
                ("summary", fields.TextField(null=True, unique=False)),
            ],
            options={"table": "modules", "app": "models", "pk_attr": "id"},
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="Assessment",
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
                    "course",
                    fields.ForeignKeyField(
                        "models.Course",
                        source_field="course_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="assessments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "module",
                    fields.ForeignKeyField(
                        "models.Module",
                        source_field="module_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="assessments",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("sort", fields.IntField(default=0)),
                ("title", fields.CharField(max_length=200)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="QUIZ: quiz\nWORK_PRODUCT: work_product\nSIMULATION: simulation",
                        enum_type=AssessmentKind,
                        max_length=20,
                    ),
                ),
                ("instructions", fields.TextField(null=True, unique=False)),
                ("required", fields.BooleanField(default=True)),
                ("pass_mark", fields.IntField(default=70)),
                ("max_attempts", fields.IntField(null=True)),
                ("time_limit_minutes", fields.IntField(null=True)),
                (
                    "scoring_policy",
                    fields.CharEnumField(
                        default=ScoringPolicy.HIGHEST,
                        description="HIGHEST: highest\nLATEST: latest",
                        enum_type=ScoringPolicy,
                        max_length=20,
                    ),
                ),
                (
                    "feedback",
                    fields.CharEnumField(
                        default=FeedbackPolicy.AFTER_SUBMIT,
                        description="NONE: none\nAFTER_SUBMIT: after_submit\nAFTER_PASS: after_pass",
                        enum_type=FeedbackPolicy,
                        max_length=20,
                    ),
                ),
            ],
            options={"table": "assessments", "app": "models", "pk_attr": "id"},
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="Lesson",
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
                    "module",
                    fields.ForeignKeyField(
                        "models.Module",
                        source_field="module_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="lessons",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("sort", fields.IntField(default=0)),
                ("title", fields.CharField(max_length=200)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="READING: reading\nVIDEO: video\nSIMULATION: simulation",
                        enum_type=LessonKind,
                        max_length=20,
                    ),
                ),
                ("body", fields.TextField(null=True, unique=False)),
                ("media_url", fields.CharField(null=True, max_length=500)),
                ("duration_minutes", fields.IntField(default=0)),
            ],
            options={"table": "lessons", "app": "models", "pk_attr": "id"},
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="MicroCredentialCriterion",
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
                    "micro_credential",
                    fields.ForeignKeyField(
                        "models.MicroCredential",
                        source_field="micro_credential_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="criteria",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="COURSE_COMPLETED: course_completed\nASSESSMENT_PASSED: assessment_passed",
                        enum_type=CriterionKind,
                        max_length=30,
                    ),
                ),
                (
                    "course",
                    fields.ForeignKeyField(
                        "models.Course",
                        source_field="course_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "assessment",
                    fields.ForeignKeyField(
                        "models.Assessment",
                        source_field="assessment_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("min_score", fields.IntField(null=True)),
            ],
            options={
                "table": "micro_credential_criteria",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One thing a learner must do to earn a micro-credential.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="Pathway",
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
                    "status",
                    fields.CharEnumField(
                        default=ContentStatus.DRAFT,
                        description="DRAFT: draft\nIN_REVIEW: in_review\nPUBLISHED: published\nARCHIVED: archived",
                        enum_type=ContentStatus,
                        max_length=20,
                    ),
                ),
                ("title", fields.CharField(max_length=200)),
                ("slug", fields.CharField(max_length=120)),
                ("description", fields.TextField(unique=False)),
                (
                    "rule",
                    fields.CharEnumField(
                        default=StackRule.ALL_OF,
                        description="ALL_OF: all_of\nN_OF: n_of",
                        enum_type=StackRule,
                        max_length=10,
                    ),
                ),
                ("required_count", fields.IntField(null=True)),
                ("validity_months", fields.IntField(null=True)),
            ],
            options={
                "table": "pathways",
                "app": "models",
                "unique_together": (("organization", "slug"),),
                "pk_attr": "id",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="PathwayMicroCredential",
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
                    "pathway",
                    fields.ForeignKeyField(
                        "models.Pathway",
                        source_field="pathway_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="micro_credentials",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "micro_credential",
                    fields.ForeignKeyField(
                        "models.MicroCredential",
                        source_field="micro_credential_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="pathways",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("sort", fields.IntField(default=0)),
            ],
            options={
                "table": "pathways_micro_credentials",
                "app": "models",
                "unique_together": (("pathway", "micro_credential"),),
                "pk_attr": "id",
                "table_description": "Junction between pathways and the micro-credentials they stack.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="PracticeArea",
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
                ("name", fields.CharField(max_length=120)),
                ("slug", fields.CharField(max_length=80)),
                ("description", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "practice_areas",
                "app": "models",
                "unique_together": (("organization", "slug"),),
                "pk_attr": "id",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="CoursePracticeArea",
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
                    "course",
                    fields.ForeignKeyField(
                        "models.Course",
                        source_field="course_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="practice_areas",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "practice_area",
                    fields.ForeignKeyField(
                        "models.PracticeArea",
                        source_field="practice_area_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="courses",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
            ],
            options={
                "table": "courses_practice_areas",
                "app": "models",
                "unique_together": (("course", "practice_area"),),
                "pk_attr": "id",
                "table_description": "Junction between courses and practice areas, as a Directus M2M.",
            },
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="Question",
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
                    "assessment",
                    fields.ForeignKeyField(
                        "models.Assessment",
                        source_field="assessment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="questions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("sort", fields.IntField(default=0)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="SINGLE_CHOICE: single_choice\nMULTIPLE_CHOICE: multiple_choice\nTRUE_FALSE: true_false\nSHORT_ANSWER: short_answer\nESSAY: essay",
                        enum_type=QuestionKind,
                        max_length=20,
                    ),
                ),
                ("prompt", fields.TextField(unique=False)),
                ("points", HoursField(default=1)),
                ("explanation", fields.TextField(null=True, unique=False)),
                (
                    "answer_key",
                    fields.JSONField(
                        null=True,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("grading_notes", fields.TextField(null=True, unique=False)),
            ],
            options={"table": "questions", "app": "models", "pk_attr": "id"},
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="Choice",
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
                    "question",
                    fields.ForeignKeyField(
                        "models.Question",
                        source_field="question_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="choices",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("sort", fields.IntField(default=0)),
                ("label", fields.TextField(unique=False)),
                ("is_correct", fields.BooleanField(default=False)),
                ("feedback", fields.TextField(null=True, unique=False)),
            ],
            options={"table": "choices", "app": "models", "pk_attr": "id"},
            bases=["Owned"],
        ),
        ops.CreateModel(
            name="Requirement",
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
                    "jurisdiction",
                    fields.ForeignKeyField(
                        "models.Jurisdiction",
                        source_field="jurisdiction_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="requirements",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="MINIMUM: minimum\nMAXIMUM: maximum\nCARRY_OVER: carry_over",
                        enum_type=RequirementKind,
                        max_length=20,
                    ),
                ),
                (
                    "category",
                    fields.CharEnumField(
                        description="TOTAL: total\nGENERAL: general\nETHICS: ethics\nPROFESSIONALISM: professionalism\nBIAS: bias\nDIVERSITY: diversity\nCOMPETENCE: competence\nMENTAL_HEALTH: mental_health\nTECHNOLOGY: technology\nCYBERSECURITY: cybersecurity\nCIVILITY: civility\nSKILLS: skills\nLAW_PRACTICE_MANAGEMENT: law_practice_management\nAREAS_OF_PRACTICE: areas_of_practice",
                        enum_type=CreditCategory,
                        max_length=30,
                    ),
                ),
                (
                    "audience",
                    fields.CharEnumField(
                        default=Audience.ALL,
                        description="ALL: all\nNEWLY_ADMITTED: newly_admitted\nEXPERIENCED: experienced",
                        enum_type=Audience,
                        max_length=20,
                    ),
                ),
                (
                    "delivery",
                    fields.CharEnumField(
                        default=Delivery.ANY,
                        description="ANY: any\nLIVE: live\nSELF_STUDY: self_study",
                        enum_type=Delivery,
                        max_length=20,
                    ),
                ),
                ("hours", HoursField()),
                ("description", fields.TextField(null=True, unique=False)),
                ("source", fields.CharField(max_length=500)),
                ("effective_from", fields.DateField(null=True)),
                ("effective_until", fields.DateField(null=True)),
            ],
            options={
                "table": "requirements",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One rule of a jurisdiction: a minimum, a cap or a carry-over limit.",
            },
            bases=["Owned"],
        ),
    ]
