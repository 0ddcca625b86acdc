"""Directus filter objects turned into ORM conditions, for every collection.

A filter is a dict: `{"title": {"_icontains": "gdpr"}}`, nested through
many-to-one relations (`{"course": {"level": {"_eq": "advanced"}}}`),
quantified over to-many relations (`{"modules": {"_some": {...}}}`) and
combined with `_and`/`_or`. Relations compile to subqueries on the related
collection, so a filter never multiplies the rows it selects.
"""

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from tortoise.expressions import Q, Subquery

from app.errors import InvalidInput
from app.services import collections, periods
from app.services.collections import Collection, Kind, ScalarField

COMPARISON = ("_eq", "_neq", "_in", "_nin", "_null", "_nnull")
ORDERED = ("_lt", "_lte", "_gt", "_gte", "_between", "_nbetween")
TEXT = (
    "_contains",
    "_ncontains",
    "_icontains",
    "_starts_with",
    "_istarts_with",
    "_ends_with",
    "_iends_with",
    "_empty",
    "_nempty",
)

OPERATORS: dict[Kind, tuple[str, ...]] = {
    Kind.ID: COMPARISON,
    Kind.STRING: COMPARISON + TEXT,
    Kind.TEXT: COMPARISON + TEXT,
    Kind.INTEGER: COMPARISON + ORDERED,
    Kind.DECIMAL: COMPARISON + ORDERED,
    Kind.DATETIME: COMPARISON + ORDERED,
    Kind.DATE: COMPARISON + ORDERED,
    Kind.BOOLEAN: ("_eq", "_neq", "_null", "_nnull"),
    Kind.JSON: ("_null", "_nnull"),
}

_NOW = re.compile(
    r"^\$NOW(?:\(\s*([+-]?)\s*(\d+)\s*"
    r"(second|minute|hour|day|week|month|year)s?\s*\))?$"
)


@dataclass(frozen=True)
class Dynamic:
    """Values a filter may name instead of a literal: `$NOW`, `$CURRENT_USER`."""

    now: dt.datetime
    current_user: uuid.UUID | None = None
    # Organizations whose restricted fields (answer keys) the caller may read;
    # None for all. A filter is a way to learn a value as surely as reading
    # it, so a condition on such a field only ever matches those rows.
    key_scope: Callable[[Collection], frozenset | None] = lambda _: None


def compile_filter(collection: Collection, where: dict[str, Any], dyn: Dynamic) -> Q:
    """The condition a Directus filter object puts on rows of the collection."""
    if not isinstance(where, dict):
        raise InvalidInput(f"A filter on {collection.name} must be an object.")
    parts = [_entry(collection, key, value, dyn) for key, value in where.items()]
    return Q(*parts) if parts else Q()


def _entry(collection: Collection, key: str, value: Any, dyn: Dynamic) -> Q:
    if key in ("_and", "_or"):
        if not isinstance(value, list) or not value:
            raise InvalidInput(f"{key} takes a non-empty list of filters.")
        parts = [compile_filter(collection, item, dyn) for item in value]
        return Q(*parts, join_type="AND" if key == "_and" else "OR")
    if key in collection.restricted:
        orgs = dyn.key_scope(collection)
        if orgs is not None:
            if not orgs:
                raise InvalidInput(
                    f'You may not filter {collection.name} on "{key}".', field=key
                )
            condition = _scalar(collection, collection.fields[key], value, dyn)
            return condition & Q(organization_id__in=list(orgs))
    if key in collection.fields:
        return _scalar(collection, collection.fields[key], value, dyn)
    if key in collection.many_to_one:
        return _many_to_one(collection, key, value, dyn)
    if key in collection.to_many:
        return _to_many(collection, key, value, dyn)
    raise InvalidInput(
        f'Unknown field "{key}" in filter on {collection.name}.',
        field=key,
        collection=collection.name,
    )


def _many_to_one(collection: Collection, key: str, value: Any, dyn: Dynamic) -> Q:
    relation = collection.many_to_one[key]
    target = collections.get(relation.target)
    if not isinstance(value, dict):
        raise InvalidInput(f'Filter on relation "{key}" must be an object.')
    # A filter on the related id alone needs no subquery: the key is here.
    if set(value) == {"id"}:
        return _scalar(
            collection, target.fields["id"], value["id"], dyn, column=relation.column
        )
    inner = compile_filter(target, value, dyn)
    ids = target.model.filter(inner).values("id")
    return Q(**{f"{relation.column}__in": Subquery(ids)})


def _to_many(collection: Collection, key: str, value: Any, dyn: Dynamic) -> Q:
    relation = collection.to_many[key]
    target = collections.get(relation.target)
    if not isinstance(value, dict):
        raise InvalidInput(f'Filter on relation "{key}" must be an object.')
    quantifier = "_some"
    if set(value) & {"_some", "_none"}:
        if len(value) != 1:
            raise InvalidInput(f'Use either _some or _none on "{key}", alone.')
        quantifier, value = next(iter(value.items()))
    inner = compile_filter(target, value, dyn)
    back = target.many_to_one[relation.back].column
    owners = target.model.filter(inner).values(back)
    condition = Q(id__in=Subquery(owners))
    return condition if quantifier == "_some" else ~condition


def _scalar(
    collection: Collection,
    field: ScalarField,
    ops: Any,
    dyn: Dynamic,
    column: str | None = None,
) -> Q:
    column = column or field.name
    if not isinstance(ops, dict) or not ops:
        raise InvalidInput(
            f'Filter on "{field.name}" must be an object of operators, '
            f'such as {{"_eq": ...}}.',
            field=field.name,
        )
    parts = []
    for op, raw in ops.items():
        if op not in OPERATORS[field.kind]:
            raise InvalidInput(
                f'Operator "{op}" does not apply to field "{field.name}" of '
                f"{collection.name} (a {field.kind} field); use one of "
                f"{', '.join(OPERATORS[field.kind])}.",
                field=field.name,
                operator=op,
            )
        parts.append(_operator(field, column, op, raw, dyn))
    return Q(*parts)


def _operator(field: ScalarField, column: str, op: str, raw: Any, dyn: Dynamic) -> Q:
    if op in ("_null", "_nnull"):
        wanted = _coerce_bool(field, op, raw)
        is_null = wanted if op == "_null" else not wanted
        return Q(**{f"{column}__isnull": is_null})
    if op in ("_empty", "_nempty"):
        empty = Q(**{f"{column}__isnull": True}) | Q(**{column: ""})
        wanted = _coerce_bool(field, op, raw)
        return empty if wanted == (op == "_empty") else ~empty
    if op in ("_in", "_nin"):
        if not isinstance(raw, list):
            raise InvalidInput(f'{op} on "{field.name}" takes a list.')
        values = [coerce(field, op, v, dyn) for v in raw]
        condition = Q(**{f"{column}__in": values})
        return condition if op == "_in" else ~condition
    if op in ("_between", "_nbetween"):
        if not isinstance(raw, list) or len(raw) != 2:
            raise InvalidInput(f'{op} on "{field.name}" takes a list of two values.')
        low, high = (coerce(field, op, v, dyn) for v in raw)
        condition = Q(**{f"{column}__gte": low}) & Q(**{f"{column}__lte": high})
        return condition if op == "_between" else ~condition

    value = coerce(field, op, raw, dyn)
    if value is None and op in ("_eq", "_neq"):
        condition = Q(**{f"{column}__isnull": True})
        return condition if op == "_eq" else ~condition
    lookup, negate = _LOOKUPS[op]
    condition = Q(**{f"{column}__{lookup}" if lookup else column: value})
    return ~condition if negate else condition


_LOOKUPS: dict[str, tuple[str, bool]] = {
    "_eq": ("", False),
    "_neq": ("", True),
    "_lt": ("lt", False),
    "_lte": ("lte", False),
    "_gt": ("gt", False),
    "_gte": ("gte", False),
    "_contains": ("contains", False),
    "_ncontains": ("contains", True),
    "_icontains": ("icontains", False),
    "_starts_with": ("startswith", False),
    "_istarts_with": ("istartswith", False),
    "_ends_with": ("endswith", False),
    "_iends_with": ("iendswith", False),
}


def _coerce_bool(field: ScalarField, op: str, raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise InvalidInput(f'{op} on "{field.name}" takes true or false.')
    return raw


def coerce(field: ScalarField, op: str, raw: Any, dyn: Dynamic) -> Any:
    """The filter value as the field's type, or an error naming field and operator."""
    if raw is None:
        return None
    try:
        return _COERCERS[field.kind](raw, dyn)
    except (TypeError, ValueError, InvalidOperation, ArithmeticError) as exc:
        raise InvalidInput(
            f'Value {raw!r} of {op} does not fit field "{field.name}" '
            f"(a {field.kind} field).",
            field=field.name,
            operator=op,
        ) from exc


def _as_id(raw: Any, dyn: Dynamic) -> uuid.UUID:
    if raw == "$CURRENT_USER":
        if dyn.current_user is None:
            raise ValueError("no current user")
        return dyn.current_user
    return uuid.UUID(str(raw))


def _as_text(raw: Any, dyn: Dynamic) -> str:
    if not isinstance(raw, str):
        raise TypeError("expected text")
    return raw


def _as_int(raw: Any, dyn: Dynamic) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise TypeError("expected an integer")
    return int(raw)


def _as_decimal(raw: Any, dyn: Dynamic) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise TypeError("expected a number")
    value = Decimal(str(raw))
    if not value.is_finite():
        raise ValueError("expected a finite number")
    return value


def _as_bool(raw: Any, dyn: Dynamic) -> bool:
    if not isinstance(raw, bool):
        raise TypeError("expected true or false")
    return raw


def _as_datetime(raw: Any, dyn: Dynamic) -> dt.datetime:
    if isinstance(raw, dt.datetime):
        value = raw
    elif isinstance(raw, str) and raw.startswith("$NOW"):
        value = _now(raw, dyn)
    elif isinstance(raw, str):
        value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    else:
        raise TypeError("expected a date and time")
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _as_date(raw: Any, dyn: Dynamic) -> dt.date:
    if isinstance(raw, str) and raw.startswith("$NOW"):
        return _now(raw, dyn).date()
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str):
        return dt.date.fromisoformat(raw)
    raise TypeError("expected a date")


def _now(raw: str, dyn: Dynamic) -> dt.datetime:
    match = _NOW.match(raw)
    if not match:
        raise ValueError("use $NOW or $NOW(-1 year)")
    sign, amount, unit = match.groups()
    if not amount:
        return dyn.now
    count = int(amount) * (-1 if sign == "-" else 1)
    if unit in ("month", "year"):
        return periods.add_months(dyn.now, count * (12 if unit == "year" else 1))
    return dyn.now + dt.timedelta(**{f"{unit}s": count})


_COERCERS: dict[Kind, Callable[[Any, Dynamic], Any]] = {
    Kind.ID: _as_id,
    Kind.STRING: _as_text,
    Kind.TEXT: _as_text,
    Kind.INTEGER: _as_int,
    Kind.DECIMAL: _as_decimal,
    Kind.BOOLEAN: _as_bool,
    Kind.DATETIME: _as_datetime,
    Kind.DATE: _as_date,
}
