"""The collections of the API, described once from the Tortoise models.

The GraphQL schema, the filter engine and the item services all read this
description, so a field added to a model appears everywhere at once.
"""

from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any

from tortoise import Tortoise, fields
from tortoise.fields.relational import (
    BackwardFKRelation,
    ForeignKeyFieldInstance,
    RelationalField,
)
from tortoise.models import Model

from app.models.base import Record
from app.models.fields import HoursField


class Kind(StrEnum):
    ID = "id"
    STRING = "string"
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATETIME = "datetime"
    DATE = "date"
    JSON = "json"


NUMERIC = frozenset({Kind.INTEGER, Kind.DECIMAL})
SYSTEM_FIELDS = (
    "id",
    "user_created",
    "date_created",
    "user_updated",
    "date_updated",
    "revision",
)


# The collections a release document holds: the course tree. Their published
# reads come from releases; their working copy is for editors.
VERSIONED = frozenset(
    {
        "courses",
        "courses_practice_areas",
        "modules",
        "lessons",
        "assessments",
        "questions",
        "choices",
        "approvals",
        "approval_credits",
    }
)


@dataclass(frozen=True)
class ScalarField:
    name: str
    kind: Kind
    nullable: bool
    required: bool  # on create: no default and not nullable
    read_only: bool
    restricted: bool
    max_length: int | None = None
    choices: tuple[str, ...] | None = None
    enum: type[Enum] | None = None


@dataclass(frozen=True)
class ManyToOne:
    """A foreign key: `module.course` points at one course."""

    name: str
    target: str
    column: str  # e.g. course_id
    nullable: bool


@dataclass(frozen=True)
class ToMany:
    """The reverse of a foreign key: `course.modules` lists many modules."""

    name: str
    target: str
    back: str  # the foreign key on the target pointing here, e.g. course


@dataclass
class Collection:
    name: str
    model: type[Model]
    fields: dict[str, ScalarField] = field(default_factory=dict)
    many_to_one: dict[str, ManyToOne] = field(default_factory=dict)
    to_many: dict[str, ToMany] = field(default_factory=dict)
    search_fields: tuple[str, ...] = ()
    restricted: frozenset[str] = frozenset()
    read_only: bool = False
    content_parent: str | None = None
    exposed: bool = True
    # Learner records: the field naming the user each row is about.
    owner_field: str | None = None

    @property
    def versioned(self) -> bool:
        """Part of the course tree that releases publish: read from releases."""
        return self.name in VERSIONED

    @property
    def owned(self) -> bool:
        return "organization" in self.many_to_one

    @property
    def default_sort(self) -> tuple[str, ...]:
        return ("sort", "id") if "sort" in self.fields else ("id",)


def _kind(f: fields.Field) -> Kind:
    if isinstance(f, fields.UUIDField):
        return Kind.ID
    if isinstance(f, HoursField | fields.DecimalField):
        return Kind.DECIMAL
    if isinstance(f, fields.BooleanField):
        return Kind.BOOLEAN
    if isinstance(f, fields.IntField | fields.SmallIntField | fields.BigIntField):
        return Kind.INTEGER
    if isinstance(f, fields.DatetimeField):
        return Kind.DATETIME
    if isinstance(f, fields.DateField):
        return Kind.DATE
    if isinstance(f, fields.JSONField):
        return Kind.JSON
    if isinstance(f, fields.TextField):
        return Kind.TEXT
    if isinstance(f, fields.CharField):
        return Kind.STRING
    raise TypeError(f"No API kind for field {f!r}")


def _describe(model: type[Model]) -> Collection:
    meta = model._meta
    restricted = frozenset(getattr(model, "restricted_fields", ()))
    collection = Collection(
        name=meta.db_table,
        model=model,
        search_fields=tuple(getattr(model, "search_fields", ())),
        restricted=restricted,
        read_only=model.read_only_collection,
        content_parent=model.content_parent,
        owner_field=model.owner_field,
        exposed=model.exposed,
    )
    private = set(model.private_fields)
    for name, f in meta.fields_map.items():
        if isinstance(f, ForeignKeyFieldInstance):
            collection.many_to_one[name] = ManyToOne(
                name=name,
                target=f.related_model._meta.db_table,
                column=f.source_field,
                nullable=f.null,
            )
        elif isinstance(f, BackwardFKRelation):
            collection.to_many[name] = ToMany(
                name=name,
                target=f.related_model._meta.db_table,
                back=f.relation_field.removesuffix("_id"),
            )
        elif not isinstance(f, RelationalField) and name not in private:
            fixed = name in model.read_only_fields
            collection.fields[name] = _scalar(name, f, restricted, fixed)
    # Foreign key columns (course_id) are reached through their relation
    # (`course`), as in Directus.
    for m2o in collection.many_to_one.values():
        collection.fields.pop(m2o.column, None)
    return collection


def _scalar(
    name: str, f: fields.Field, restricted: frozenset[str], fixed: bool = False
) -> ScalarField:
    enum_type = getattr(f, "enum_type", None)
    has_default = f.default is not None or getattr(f, "auto_now_add", False)
    read_only = fixed or name in SYSTEM_FIELDS
    return ScalarField(
        name=name,
        kind=_kind(f),
        nullable=f.null,
        required=not (f.null or has_default or read_only),
        read_only=read_only,
        restricted=name in restricted,
        max_length=getattr(f, "max_length", None),
        choices=tuple(m.value for m in enum_type) if enum_type else None,
        enum=enum_type,
    )


_registry: dict[str, Collection] = {}


def registry() -> dict[str, Collection]:
    """Every collection by name, described once the ORM knows its models."""
    if not _registry:
        for model in Tortoise.apps["models"].values():
            # Sessions, tokens and policy lines are lexstack's own business.
            if not issubclass(model, Record):
                continue
            collection = _describe(model)
            _registry[collection.name] = collection
    return _registry


def get(name: str) -> Collection:
    return registry()[name]


def exposed() -> dict[str, Collection]:
    """The collections the API shows."""
    return {name: c for name, c in registry().items() if c.exposed}


def value_of(item: Model, name: str) -> Any:
    """A field's value as the API shows it: enums as their plain strings."""
    value = getattr(item, name)
    return value.value if isinstance(value, Enum) else value
