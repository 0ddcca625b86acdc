"""Writing collections: validate everything first, then change in one transaction."""

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from tortoise.exceptions import IntegrityError, ValidationError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.models.enums import ContentStatus
from app.services import collections, revisions
from app.services.collections import Collection, Kind, ScalarField
from app.services.query import parse_id, scoped
from permissions import ALL, Action, Principal, authorize, organizations


async def create_items(
    collection: Collection, rows: Sequence[Mapping[str, Any]], principal: Principal
) -> list[Model]:
    """Create every row or none; each row is checked before any is written."""
    _writable(collection)
    authorize(principal, Action.CREATE, collection.name)
    if not rows:
        raise InvalidInput("Nothing to create.")
    async with in_transaction():
        created = []
        for index, data in enumerate(rows):
            values = await _values(collection, data, principal, creating=True)
            _authorize_row(principal, Action.CREATE, collection, None, values)
            item = collection.model(**values)
            item.user_created = principal.id
            item.user_updated = principal.id
            item.revision = uuid.uuid4()
            await _save(collection, item, index if len(rows) > 1 else None)
            after = revisions.snapshot(collection, item)
            await revisions.record(collection, "create", item, None, after, principal)
            created.append(item)
    return created


async def update_items(
    collection: Collection,
    ids: Sequence[Any],
    data: Mapping[str, Any],
    principal: Principal,
    *,
    based_on: Any = None,
    comment: str | None = None,
) -> list[Model]:
    """Apply the same change to every listed row, or to none of them.

    `based_on` names the revision the editor saw; if the row has changed
    since, nothing is written and the answer is a CONFLICT with the current
    state, so two editors never overwrite each other silently.
    """
    _writable(collection)
    authorize(principal, Action.UPDATE, collection.name)
    keys = [parse_id(i) for i in ids]
    if not data:
        raise InvalidInput("Nothing to update: data is empty.")
    async with in_transaction():
        items = await _load(collection, keys, principal, Action.UPDATE)
        if based_on is not None:
            await _check_based_on(collection, items, based_on)
        values = await _values(collection, data, principal, creating=False)
        for item in items:
            _check_organization(collection, item, values)
            _authorize_row(principal, Action.UPDATE, collection, item, values)
            await apply(collection, item, values, principal, comment)
    return items


async def apply(
    collection: Collection,
    item: Model,
    values: dict[str, Any],
    principal: Principal,
    comment: str | None = None,
) -> None:
    """Write checked values to a row and record the revision, if anything changed.

    The caller has already decided the principal may make this change: an
    update through the gate, or a status that publishing sets.
    """
    before = revisions.snapshot(collection, item)
    for name, value in values.items():
        setattr(item, name, value)
    if not revisions.changed(before, revisions.snapshot(collection, item)):
        return
    item.user_updated = principal.id
    item.revision = uuid.uuid4()
    await _save(collection, item, None)
    after = revisions.snapshot(collection, item)
    await revisions.record(
        collection, "update", item, before, after, principal, comment
    )


async def _check_based_on(
    collection: Collection, items: list[Model], based_on: Any
) -> None:
    if len(items) != 1:
        raise InvalidInput("A revision to build on applies to one item at a time.")
    (item,) = items
    # The row is locked: its revision cannot move between this check and
    # the write.
    current = item.revision
    if current is None or str(current) != str(based_on):
        raise Conflict(
            f"This {collection.name} item changed since revision {based_on}; "
            "nothing was written. Merge with the current state and try again.",
            revision=str(current) if current else None,
            current=revisions.snapshot(collection, item),
        )


async def delete_items(
    collection: Collection, ids: Sequence[Any], principal: Principal
) -> list[uuid.UUID]:
    """Delete every listed row, or none if any is missing or still referenced."""
    _writable(collection)
    authorize(principal, Action.DELETE, collection.name)
    keys = [parse_id(i) for i in ids]
    async with in_transaction():
        items = await _load(collection, keys, principal, Action.DELETE)
        for item in items:
            before = revisions.snapshot(collection, item)
            item.revision = uuid.uuid4()
            await revisions.record(collection, "delete", item, before, None, principal)
            try:
                await item.delete()
            except IntegrityError as exc:
                raise InvalidInput(
                    f"{collection.name} item {item.pk} is still referenced by "
                    "other items; remove those first."
                ) from exc
    return keys


def _writable(collection: Collection) -> None:
    if collection.read_only:
        raise Forbidden(f"{collection.name} cannot be changed through this API.")


def _organization_of(
    collection: Collection, item: Model | None, values: dict[str, Any]
) -> uuid.UUID | None:
    """The organization a row belongs to (an organization belongs to itself)."""
    if collection.name == "organizations":
        return item.pk if item is not None else None
    if values.get("organization") is not None:
        return values["organization"].pk
    if values.get("organization_id") is not None:
        return values["organization_id"]
    return getattr(item, "organization_id", None)


def _authorize_row(
    principal: Principal,
    action: Action,
    collection: Collection,
    item: Model | None,
    values: dict[str, Any],
) -> None:
    """The per-organization part of the decision, and the publishing rule.

    Only those who may publish set a status of published or archived, or
    change the status of a row that has one. Anyone who may update a
    published course edits its working copy: readers keep seeing the release
    until the next one.
    """
    organization_id = _organization_of(collection, item, values)
    if organization_id is None:
        # A new organization belongs to no one yet: only lexstack itself and
        # platform administrators make one.
        if organizations(principal, action, collection.name) is not ALL:
            raise Forbidden(f"You may not {action.value} {collection.name}.")
        return
    authorize(principal, action, collection.name, organization_id)
    if item is not None and values.get("organization") is not None:
        authorize(principal, action, collection.name, values["organization"].pk)
    status = collection.fields.get("status")
    if status is None or status.enum is not ContentStatus:
        return
    publishing = {ContentStatus.PUBLISHED, ContentStatus.ARCHIVED}
    changes_publication = values.get("status") in publishing or (
        item is not None and item.status in publishing and "status" in values
    )
    if changes_publication and collection.versioned:
        # A course is published by a release after review, not by its status.
        raise Forbidden(
            "Courses are published through review: submit_course_for_review, "
            "then publish_course; withdraw_course takes one off the channels."
        )
    if changes_publication:
        authorize(principal, Action.PUBLISH, collection.name, organization_id)


async def _load(
    collection: Collection,
    keys: Sequence[uuid.UUID],
    principal: Principal,
    action: Action,
) -> list[Model]:
    if not keys:
        raise InvalidInput("No ids given.")
    queryset = scoped(collection, principal, action).filter(id__in=keys)
    items = {item.pk: item for item in await queryset.select_for_update()}
    missing = [str(k) for k in keys if k not in items]
    if missing:
        # The same answer for rows that do not exist and rows one may not see.
        raise NotFound(f"No {collection.name} item with id {', '.join(missing)}.")
    return [items[k] for k in keys]


async def _save(collection: Collection, item: Model, index: int | None) -> None:
    where = f" (item {index + 1})" if index is not None else ""
    problems = item.problems() if hasattr(item, "problems") else []
    if problems:
        raise InvalidInput(f"Invalid {collection.name} item{where}: {problems[0]}")
    try:
        await item.save()
    except ValidationError as exc:
        raise InvalidInput(f"Invalid {collection.name} item{where}: {exc}") from exc
    except IntegrityError as exc:
        raise InvalidInput(
            f"{collection.name} item{where} conflicts with an existing item "
            "(a unique field such as slug is taken)."
        ) from exc


async def _values(
    collection: Collection,
    data: Mapping[str, Any],
    principal: Principal,
    *,
    creating: bool,
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, raw in data.items():
        if name in collection.fields:
            spec = collection.fields[name]
            if spec.read_only:
                raise InvalidInput(f'"{name}" of {collection.name} is set by lexstack.')
            values[name] = _coerce(collection, spec, raw)
        elif name in collection.many_to_one:
            values[name] = await _related(collection, name, raw, principal)
        else:
            raise InvalidInput(f'{collection.name} has no field "{name}".')

    if creating:
        if collection.owned and "organization" not in values:
            values["organization_id"] = _inherited_organization(collection, values)
        missing = [
            name
            for name, spec in collection.fields.items()
            if spec.required and name not in values
        ] + [
            name
            for name, rel in collection.many_to_one.items()
            if not rel.nullable and name not in values and rel.column not in values
        ]
        if missing:
            raise InvalidInput(
                f"A new {collection.name} item needs {', '.join(missing)}."
            )
        _check_organization(collection, None, values)
    return values


def _inherited_organization(collection: Collection, values: dict[str, Any]) -> Any:
    """A child belongs where its parent does: a lesson to its module's organization."""
    for name in collection.many_to_one:
        parent = values.get(name)
        if name != "organization" and parent is not None:
            organization_id = getattr(parent, "organization_id", None)
            if organization_id is not None:
                return organization_id
    raise InvalidInput(f"A new {collection.name} item needs an organization.")


def _check_organization(
    collection: Collection, item: Model | None, values: dict[str, Any]
) -> None:
    """Relations between owned rows never cross organizations.

    Jurisdictions belong to their regulator, and any publisher's approval
    may name them, so that one relation is exempt.
    """
    if not collection.owned:
        return
    if values.get("organization") is not None:
        organization_id = values["organization"].pk
    else:
        organization_id = values.get("organization_id") or (
            item and item.organization_id
        )
    for name, value in values.items():
        if name in ("organization", "organization_id", "jurisdiction") or value is None:
            continue
        related_organization = getattr(value, "organization_id", organization_id)
        if name in collection.many_to_one and related_organization != organization_id:
            raise InvalidInput(
                f'"{name}" of a {collection.name} item must belong to the '
                "same organization."
            )


async def _related(
    collection: Collection, name: str, raw: Any, principal: Principal
) -> Model | None:
    relation = collection.many_to_one[name]
    if raw is None:
        if not relation.nullable:
            raise InvalidInput(f'"{name}" of {collection.name} cannot be empty.')
        return None
    target = collections.get(relation.target)
    related = await scoped(target, principal).filter(id=parse_id(raw)).first()
    if related is None:
        # Not found, whether it does not exist or the caller may not see it.
        raise NotFound(f'"{name}" names no {target.name} item with id {raw}.')
    return related


def _coerce(collection: Collection, spec: ScalarField, raw: Any) -> Any:
    if raw is None:
        if not spec.nullable:
            raise InvalidInput(f'"{spec.name}" of {collection.name} cannot be empty.')
        return None
    try:
        value = _CONVERT[spec.kind](raw)
    except (TypeError, ValueError, InvalidOperation) as exc:
        raise InvalidInput(
            f'"{spec.name}" of {collection.name} must be a {spec.kind}; got {raw!r}.'
        ) from exc
    if spec.choices is not None:
        if value not in spec.choices:
            raise InvalidInput(
                f'"{spec.name}" of {collection.name} must be one of '
                f"{', '.join(spec.choices)}; got {value!r}."
            )
        value = spec.enum(value)
    if spec.max_length is not None and len(value) > spec.max_length:
        raise InvalidInput(
            f'"{spec.name}" of {collection.name} is longer than '
            f"{spec.max_length} characters."
        )
    return value


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise TypeError("expected text")
    return raw


def _integer(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise TypeError("expected an integer")
    return raw


def _decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise TypeError("expected a number")
    value = Decimal(str(raw))
    if not value.is_finite() or value < 0:
        raise ValueError("expected a finite number, zero or more")
    return value


def _boolean(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise TypeError("expected true or false")
    return raw


def _date(raw: Any) -> dt.date:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    return dt.date.fromisoformat(_text(raw))


def _datetime(raw: Any) -> dt.datetime:
    value = raw if isinstance(raw, dt.datetime) else dt.datetime.fromisoformat(raw)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


_CONVERT = {
    Kind.ID: parse_id,
    Kind.STRING: _text,
    Kind.TEXT: _text,
    Kind.INTEGER: _integer,
    Kind.DECIMAL: _decimal,
    Kind.BOOLEAN: _boolean,
    Kind.DATE: _date,
    Kind.DATETIME: _datetime,
    Kind.JSON: lambda raw: raw,
}
