"""Reviews of working copies and the immutable releases that publishing writes."""

from tortoise import fields
from tortoise.models import Model

from app.models.base import Owned
from app.models.enums import ChangeKind, ReviewStatus


class Review(Owned):
    """A reviewer's decision on a working copy, bound to the content hash it saw."""

    course = fields.ForeignKeyField(
        "models.Course", related_name="reviews", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(
        ReviewStatus, max_length=20, default=ReviewStatus.PENDING
    )
    content_hash = fields.CharField(max_length=64)
    comment = fields.TextField(null=True)
    reviewer = fields.UUIDField(null=True)
    decided = fields.DatetimeField(null=True)

    search_fields = ("comment",)
    read_only_collection = True

    class Meta:
        table = "reviews"


class Release(Owned):
    """A numbered, content-hashed, immutable document of a whole course."""

    course = fields.ForeignKeyField(
        "models.Course", related_name="releases", on_delete=fields.RESTRICT
    )
    version = fields.IntField()
    content_hash = fields.CharField(max_length=64)
    document = fields.JSONField()
    notes = fields.TextField(null=True)
    review = fields.ForeignKeyField(
        "models.Review", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    approved_by = fields.UUIDField(null=True)
    published_by = fields.UUIDField(null=True)
    rollback_of = fields.IntField(null=True)

    search_fields = ("notes",)
    read_only_collection = True
    content_parent = "course"

    class Meta:
        table = "releases"
        unique_together = (("course", "version"),)


class ChangeEvent(Model):
    """One entry of the change feed: a course published, updated or withdrawn.

    The id is the feed's cursor. Events are written in the transaction of the
    release or withdrawal they describe, under a lock that makes commit order
    and id order agree, so a reader that remembers the last id it saw never
    skips one.
    """

    id = fields.BigIntField(primary_key=True)
    organization = fields.ForeignKeyField(
        "models.Organization", related_name=False, on_delete=fields.CASCADE
    )
    course = fields.ForeignKeyField(
        "models.Course", related_name=False, on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(ChangeKind, max_length=20)
    version = fields.IntField(null=True)
    content_hash = fields.CharField(max_length=64, null=True)
    date_created = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "change_events"
