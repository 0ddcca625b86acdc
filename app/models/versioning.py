"""The record of every change to authoring content: revisions and activity."""

from tortoise import fields

from app.models.base import Owned


class _History(Owned):
    # History goes with its organization: deleting an organization (which
    # only a platform administrator may) deletes its record too.
    organization = fields.ForeignKeyField(
        "models.Organization", related_name=False, on_delete=fields.CASCADE
    )
    read_only_collection = True

    class Meta:
        abstract = True


class Revision(_History):
    """One recorded change to one row: who, when, the fields before and after.

    A row's latest revision is the one an editor's update names as the state
    it was based on; rows are locked while they change, so two revisions of
    one row never share a moment.
    """

    action = fields.CharField(max_length=10)
    collection = fields.CharField(max_length=64)
    item = fields.UUIDField()
    # The whole row after the change (before it, for a delete).
    data = fields.JSONField()
    # Changed fields only: their values before and after.
    before = fields.JSONField(null=True)
    after = fields.JSONField(null=True)

    search_fields = ("collection", "action")

    class Meta:
        table = "revisions"
        indexes = (("collection", "item", "date_created"),)


class Activity(_History):
    """What someone did, in the order they did it."""

    action = fields.CharField(max_length=20)
    collection = fields.CharField(max_length=64)
    item = fields.UUIDField()
    revision = fields.ForeignKeyField(
        "models.Revision", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    comment = fields.TextField(null=True)

    search_fields = ("collection", "action", "comment")

    class Meta:
        table = "activity"
