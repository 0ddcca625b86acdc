"""System fields every lexstack record carries, and the ownership link."""

import uuid

from tortoise import fields
from tortoise.models import Model


class Record(Model):
    """A row with the Directus system fields.

    `user_created` and `user_updated` hold the id of the principal that made
    the change; for changes made by lexstack itself (seeds, migrations) they
    stay empty.
    """

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    user_created = fields.UUIDField(null=True)
    date_created = fields.DatetimeField(auto_now_add=True)
    user_updated = fields.UUIDField(null=True)
    date_updated = fields.DatetimeField(auto_now=True)
    # The row's latest revision, written with the row: whoever reads the row
    # reads the revision its values belong to, and can name it when updating.
    revision = fields.UUIDField(null=True)

    # What the API makes of the model: fields it never shows, fields only
    # lexstack writes, whether it takes writes, and for parts of a course,
    # the parent whose status decides whether they are published.
    private_fields: tuple[str, ...] = ()
    read_only_fields: tuple[str, ...] = ()
    read_only_collection = False
    content_parent: str | None = None
    # Learner records: the field naming the user a row is about. That user
    # reads it; so do the admins of the organization it belongs to.
    owner_field: str | None = None
    # Collections lexstack keeps for itself (the catalog) are described for
    # the filter engine but have no place in the schema.
    exposed = True

    class Meta:
        abstract = True


class Owned(Record):
    """A record that belongs to one organization.

    Every authoring row names its organization directly, even where a parent
    already implies it, so that the rows a principal may see are one
    `organization_id IN (...)` condition inside the SQL, never a join.
    """

    organization = fields.ForeignKeyField(
        "models.Organization", related_name=False, on_delete=fields.RESTRICT
    )

    class Meta:
        abstract = True
