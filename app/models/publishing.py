"""Reviews of working copies and the immutable releases that publishing writes."""

from tortoise import fields
from tortoise.models import Model

from app.models.base import Owned
from app.models.enums import (
    ApprovalStatus,
    ChangeKind,
    ContentStatus,
    CourseFormat,
    CourseLevel,
    Delivery,
    ReviewStatus,
)
from app.models.fields import HoursField


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


class ReleaseKey(Model):
    """The answer keys of a release, kept apart from its public document.

    Learners are graded against the keys of the release they studied, not
    the working copy an editor may be changing. Never part of the API.
    """

    release = fields.OneToOneField(
        "models.Release", related_name=False, on_delete=fields.CASCADE
    )
    # question id -> {"answer_key", "grading_notes", "choices": {id: {...}}}
    questions = fields.JSONField()

    class Meta:
        table = "release_keys"


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


class CatalogEntry(Owned):
    """What a release offers, in columns: the published catalog, one row per release.

    Published lists filter, sort and page over these rows, named as the
    course's fields are, and take the course tree from the release
    document; the current row of a course is the release channels follow.
    """

    id = fields.UUIDField(primary_key=True)  # the release's id
    course = fields.ForeignKeyField(
        "models.Course", related_name=False, on_delete=fields.CASCADE
    )
    version = fields.IntField()
    current = fields.BooleanField(default=False)
    # Always published: there for filters written for the working copy.
    status = fields.CharEnumField(
        ContentStatus, max_length=20, default=ContentStatus.PUBLISHED
    )
    date_published = fields.DatetimeField()
    title = fields.CharField(max_length=200)
    slug = fields.CharField(max_length=120)
    summary = fields.CharField(max_length=500, null=True)
    description = fields.TextField(null=True)
    level = fields.CharEnumField(CourseLevel, max_length=20)
    format = fields.CharEnumField(CourseFormat, max_length=20)
    language = fields.CharField(max_length=10)
    duration_minutes = fields.IntField()
    credit_hours = HoursField()
    featured = fields.BooleanField()
    available_from = fields.DateField(null=True)

    search_fields = ("title", "slug", "summary", "description")
    read_only_collection = True
    exposed = False

    class Meta:
        table = "catalog"
        unique_together = (("course", "version"),)
        indexes = (("organization_id", "current"),)


class CatalogPracticeArea(Owned):
    entry = fields.ForeignKeyField(
        "models.CatalogEntry", related_name="practice_areas", on_delete=fields.CASCADE
    )
    practice_area = fields.ForeignKeyField(
        "models.PracticeArea", related_name=False, on_delete=fields.CASCADE
    )
    read_only_collection = True
    exposed = False

    class Meta:
        table = "catalog_practice_areas"


class CatalogApproval(Owned):
    """A jurisdiction's approval as the release states it, for catalog filters."""

    entry = fields.ForeignKeyField(
        "models.CatalogEntry", related_name="approvals", on_delete=fields.CASCADE
    )
    jurisdiction = fields.ForeignKeyField(
        "models.Jurisdiction", related_name=False, on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(ApprovalStatus, max_length=20)
    delivery = fields.CharEnumField(Delivery, max_length=20)
    total_hours = HoursField()
    valid_from = fields.DateField()
    valid_until = fields.DateField(null=True)
    read_only_collection = True
    exposed = False

    class Meta:
        table = "catalog_approvals"
