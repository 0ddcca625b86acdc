"""What regulators demand and accredit: jurisdictions, requirements, approvals."""

from tortoise import fields

from app.models.base import Owned
from app.models.enums import (
    ApprovalStatus,
    Audience,
    CreditCategory,
    Delivery,
    PeriodAssignment,
    RequirementKind,
)
from app.models.fields import HoursField


class Jurisdiction(Owned):
    """A regulator's MCLE regime, owned by the regulator's organization."""

    code = fields.CharField(max_length=20, unique=True)
    name = fields.CharField(max_length=120)
    regulator = fields.CharField(max_length=200)
    period_months = fields.IntField()
    period_assignment = fields.CharEnumField(PeriodAssignment, max_length=20)
    # The parameters of the assignment: last-name groups and their deadlines,
    # the month a birth-month period ends in, and so on.
    period_rule = fields.JSONField(default=dict)
    reporting_deadline = fields.CharField(max_length=300, null=True)
    rules_url = fields.CharField(max_length=500)
    source = fields.TextField()
    verified_on = fields.DateField(null=True)

    search_fields = ("code", "name", "regulator")

    class Meta:
        table = "jurisdictions"


class Requirement(Owned):
    """One rule of a jurisdiction: a minimum, a cap or a carry-over limit."""

    jurisdiction = fields.ForeignKeyField(
        "models.Jurisdiction", related_name="requirements", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(RequirementKind, max_length=20)
    category = fields.CharEnumField(CreditCategory, max_length=30)
    audience = fields.CharEnumField(Audience, max_length=20, default=Audience.ALL)
    delivery = fields.CharEnumField(Delivery, max_length=20, default=Delivery.ANY)
    hours = HoursField()
    description = fields.TextField(null=True)
    source = fields.CharField(max_length=500)
    effective_from = fields.DateField(null=True)
    effective_until = fields.DateField(null=True)

    search_fields = ("description", "source")

    class Meta:
        table = "requirements"


class Approval(Owned):
    """A jurisdiction's accreditation of a course, owned by the course's publisher."""

    content_parent = "course"
    course = fields.ForeignKeyField(
        "models.Course", related_name="approvals", on_delete=fields.CASCADE
    )
    jurisdiction = fields.ForeignKeyField(
        "models.Jurisdiction", related_name="approvals", on_delete=fields.RESTRICT
    )
    status = fields.CharEnumField(
        ApprovalStatus, max_length=20, default=ApprovalStatus.APPROVED
    )
    approval_number = fields.CharField(max_length=80, null=True)
    delivery = fields.CharEnumField(Delivery, max_length=20, default=Delivery.ANY)
    total_hours = HoursField()
    valid_from = fields.DateField()
    valid_until = fields.DateField(null=True)

    search_fields = ("approval_number",)

    class Meta:
        table = "approvals"
        unique_together = (("course", "jurisdiction", "valid_from"),)

    def problems(self) -> list[str]:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            return ["valid_until comes before valid_from."]
        return []


class ApprovalCredit(Owned):
    """Hours of one category within an approval."""

    content_parent = "approval"
    approval = fields.ForeignKeyField(
        "models.Approval", related_name="credits", on_delete=fields.CASCADE
    )
    category = fields.CharEnumField(CreditCategory, max_length=30)
    hours = HoursField()

    class Meta:
        table = "approval_credits"
        unique_together = (("approval", "category"),)
