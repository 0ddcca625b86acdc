"""GraphQL input types: filter operators per field kind, filters, create/update."""

import datetime as dt
import decimal
from enum import Enum
from typing import Any, Optional

import strawberry
from strawberry.scalars import JSON
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.unset import UNSET

from app.services.collections import Kind
from app.services.filters import OPERATORS

# The GraphQL type of a value of each kind, in filters and inputs. Dates are
# strings in filters so that `$NOW(-1 year)` is accepted as Directus does.
SCALARS: dict[Kind, Any] = {
    Kind.ID: strawberry.ID,
    Kind.STRING: str,
    Kind.TEXT: str,
    Kind.INTEGER: int,
    Kind.DECIMAL: decimal.Decimal,
    Kind.BOOLEAN: bool,
    Kind.DATETIME: dt.datetime,
    Kind.DATE: dt.date,
    Kind.JSON: JSON,
}
_FILTER_VALUE = {**SCALARS, Kind.DATETIME: str, Kind.DATE: str}
_OPERATOR_TYPE_NAMES = {
    Kind.ID: "id_filter_operators",
    Kind.STRING: "string_filter_operators",
    Kind.TEXT: "string_filter_operators",
    Kind.INTEGER: "number_filter_operators",
    Kind.DECIMAL: "decimal_filter_operators",
    Kind.BOOLEAN: "boolean_filter_operators",
    Kind.DATETIME: "datetime_filter_operators",
    Kind.DATE: "date_filter_operators",
    Kind.JSON: "json_filter_operators",
}
_FLAGS = {"_null", "_nnull", "_empty", "_nempty"}
_LISTS = {"_in", "_nin", "_between", "_nbetween"}


def make_input(name: str, annotations: dict[str, Any], description: str) -> type:
    """An input type whose every field may be left out."""
    namespace: dict[str, Any] = {"__annotations__": annotations}
    namespace.update({field: UNSET for field in annotations})
    cls = type(name, (), namespace)
    return strawberry.input(cls, name=name, description=description)


def _operator_type(kind: Kind) -> type:
    value = _FILTER_VALUE[kind]
    annotations: dict[str, Any] = {}
    for op in OPERATORS[kind]:
        if op in _FLAGS:
            annotations[op] = Optional[bool]  # noqa: UP045
        elif op in _LISTS:
            annotations[op] = Optional[list[value]]  # noqa: UP045
        else:
            annotations[op] = Optional[value]  # noqa: UP045
    return make_input(
        _OPERATOR_TYPE_NAMES[kind],
        annotations,
        f"Operators on a {kind} field.",
    )


OPERATOR_TYPES: dict[Kind, type] = {}
for _kind in Kind:
    _name = _OPERATOR_TYPE_NAMES[_kind]
    existing = next((t for t in OPERATOR_TYPES.values() if t.__name__ == _name), None)
    OPERATOR_TYPES[_kind] = existing or _operator_type(_kind)


def plain(value: Any) -> Any:
    """A Strawberry input value as plain dicts and lists, leaving out unset fields."""
    if value is UNSET:
        return UNSET
    if isinstance(value, list):
        return [plain(v) for v in value]
    definition = getattr(value, "__strawberry_definition__", None)
    if isinstance(definition, StrawberryObjectDefinition):
        result = {}
        for f in definition.fields:
            v = getattr(value, f.python_name)
            if v is not UNSET:
                result[f.graphql_name or f.python_name] = plain(v)
        return result
    if isinstance(value, Enum):
        return value.value
    return value
