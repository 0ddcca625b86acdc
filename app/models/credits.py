"""The credit ledger: hours a learner earned, by jurisdiction and category."""

from tortoise import fields

from app.models.base import Owned
from app.models.enums import CreditCategory, CreditSource, Delivery
from app.models.fields import HoursField


class Credit(Owned):
    """One entry of a learner's ledger, written once and never edited.

    Each names the release studied and the approval that accredited it, so an
    audit can say which text earned which hours under which approval.
    """

    user = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.RESTRICT
    )
    profile = fields.ForeignKeyField(
        "models.LearnerProfile", related_name="credits", on_delete=fields.RESTRICT
    )
    admission = fields.ForeignKeyField(
        "models.BarAdmission", related_name="credits", on_delete=fields.RESTRICT
    )
    jurisdiction = fields.ForeignKeyField(
        "models.Jurisdiction", related_name=False, on_delete=fields.RESTRICT
    )
    enrollment = fields.ForeignKeyField(
        "models.Enrollment", related_name="credits", on_delete=fields.RESTRICT
    )
    course = fields.ForeignKeyField(
        "models.Course", related_name=False, on_delete=fields.RESTRICT
    )
    release = fields.ForeignKeyField(
        "models.Release", related_name=False, on_delete=fields.RESTRICT
    )
    version = fields.IntField()
    course_title = fields.CharField(max_length=200)
    category = fields.CharEnumField(CreditCategory, max_length=30)
    hours = HoursField()
    # live or self_study: caps on self-study hours count the latter.
    delivery = fields.CharEnumField(Delivery, max_length=20)
    earned_on = fields.DateField()
    approval = fields.UUIDField()
    approval_number = fields.CharField(max_length=80, null=True)
    source = fields.CharEnumField(
        CreditSource, max_length=30, default=CreditSource.COURSE_COMPLETION
    )

    search_fields = ("course_title", "approval_number")
    read_only_collection = True
    owner_field = "user"

    class Meta:
        table = "credits"
        unique_together = (("enrollment", "jurisdiction", "category"),)
