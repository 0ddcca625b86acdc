"""Reading collections: filter, search, sort, paginate and aggregate, scoped."""

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Avg, Count, Max, Min, Sum
from tortoise.models import Model
from tortoise.queryset import QuerySet

from app.errors import InvalidInput, LimitExceeded
from app.services import collections
from app.services.collections import NUMERIC, Collection, Kind
from app.services.filters import Dynamic, compile_filter
from permissions import Action, Principal, key_organizations, row_scope


@dataclass(frozen=True)
class Query:
    """The Directus list arguments, as plain values."""

    filter: dict[str, Any] | None = None
    search: str | None = None
    sort: Sequence[str] | None = None
    limit: int | None = None
    offset: int | None = None
    page: int | None = None


class Row(dict):
    """A row read for display: its columns, as attributes as a model has them."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def pk(self) -> Any:
        return self["id"]


@dataclass(frozen=True)
class Limits:
    default_limit: int = 100
    max_limit: int = 1000


@dataclass
class Reader:
    """Reads for one principal in one request: decisions made once, reused."""

    principal: Principal
    limits: Limits = field(default_factory=Limits)
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def dynamic(self) -> Dynamic:
        return Dynamic(
            now=self.now, current_user=self.principal.id, key_scope=self.key_scope
        )

    def key_scope(self, collection: Collection) -> frozenset | None:
        """Organizations whose answer keys this principal may read; None: all."""
        return key_organizations(self.principal, collection)

    def hidden(self, collection: Collection) -> frozenset[str]:
        """Restricted fields this principal may not read in every organization."""
        if self.key_scope(collection) is None:
            return frozenset()
        return collection.restricted

    def base(self, collection: Collection, action: Action = Action.READ) -> QuerySet:
        """Every row of the collection the principal may read (or act on)."""
        return scoped(collection, self.principal, action, self.now)

    def where(
        self, collection: Collection, query: Query, base: QuerySet | None = None
    ) -> QuerySet:
        queryset = self.base(collection) if base is None else base
        if query.filter:
            queryset = queryset.filter(
                compile_filter(collection, query.filter, self.dynamic)
            )
        if query.search:
            queryset = queryset.filter(_search(collection, query.search))
        return queryset

    def window(self, query: Query) -> tuple[int, int]:
        """(limit, offset) from limit/offset/page, within the configured cap."""
        limit = self.limits.default_limit if query.limit is None else query.limit
        if limit < 0:
            raise InvalidInput("limit must be zero or more.")
        if limit > self.limits.max_limit:
            raise LimitExceeded(
                f"limit {limit} is above the maximum of {self.limits.max_limit}; "
                "page through the results instead."
            )
        if query.page is not None and query.offset is not None:
            raise InvalidInput("Use either page or offset, not both.")
        if query.page is not None:
            if query.page < 1:
                raise InvalidInput("page starts at 1.")
            return limit, (query.page - 1) * limit
        offset = query.offset or 0
        if offset < 0:
            raise InvalidInput("offset must be zero or more.")
        return limit, offset

    async def items(
        self, collection: Collection, query: Query, columns: list[str]
    ) -> list[Row]:
        """A page of rows, with only the columns asked for."""
        limit, offset = self.window(query)
        if limit == 0:
            return []
        ordering = order_by(collection, query.sort, self.hidden)
        queryset = self.where(collection, query).order_by(*ordering)
        return await read_rows(queryset.offset(offset).limit(limit), columns)

    async def item(self, collection: Collection, item_id: Any) -> Model | None:
        key = parse_id(item_id)
        return await self.base(collection).filter(id=key).first()

    async def aggregate(
        self,
        collection: Collection,
        query: Query,
        group_by: Sequence[str],
        wanted: dict[str, Sequence[str]],
        base: QuerySet | None = None,
    ) -> list[dict[str, Any]]:
        """Aggregates per group in one statement.

        `wanted` maps an aggregate (count, countDistinct, sum, avg, min, max)
        to the fields it is asked for; `countAll` to an empty list.
        """
        hidden = self.hidden(collection)
        for name in [*group_by, *(n for names in wanted.values() for n in names)]:
            if name in hidden:
                raise InvalidInput(
                    f'You may not aggregate {collection.name} on "{name}".'
                )
        for name in group_by:
            if name not in collection.fields:
                raise InvalidInput(
                    f'Cannot group {collection.name} by "{name}": no such field.'
                )
        annotations: dict[str, Any] = {}
        for aggregate, names in wanted.items():
            if aggregate == "countAll":
                annotations["countAll"] = Count("id")
                continue
            for name in names:
                annotations[f"{aggregate}__{name}"] = aggregate_of(
                    collection, aggregate, name
                )
        if not annotations:
            annotations["countAll"] = Count("id")

        limit, offset = self.window(query)
        sort = [s for s in (query.sort or ()) if s.lstrip("-") in group_by]
        queryset = self.where(collection, query, base).annotate(**annotations)
        if group_by:
            queryset = queryset.group_by(*group_by).order_by(*sort or group_by)
        rows = (
            await queryset.offset(offset).limit(limit).values(*group_by, *annotations)
        )
        return [_shape(collection, row, group_by) for row in rows]


async def read_rows(queryset: QuerySet, columns: list[str]) -> list[Row]:
    return [Row(values) for values in await queryset.values(*columns)]


def scoped(
    collection: Collection,
    principal: Principal,
    action: Action = Action.READ,
    now: dt.datetime | None = None,
) -> QuerySet:
    """The rows of the collection the principal may act on, as a query."""
    scope = row_scope(principal, collection, action)
    queryset = collection.model.all()
    if scope is None:
        return queryset
    dynamic = Dynamic(now=now or dt.datetime.now(dt.UTC), current_user=principal.id)
    return queryset.filter(compile_filter(collection, scope, dynamic))


def aggregate_of(collection: Collection, aggregate: str, name: str) -> Any:
    spec = collection.fields.get(name)
    if spec is None:
        raise InvalidInput(f'Cannot aggregate unknown field "{name}".')
    if aggregate in ("count", "countDistinct"):
        return Count(name, distinct=aggregate == "countDistinct")
    if spec.kind not in NUMERIC:
        raise InvalidInput(f'{aggregate} needs a numeric field; "{name}" is not.')
    return {"sum": Sum, "avg": Avg, "min": Min, "max": Max}[aggregate](name)


def _shape(
    collection: Collection, row: dict[str, Any], group_by: Sequence[str]
) -> dict[str, Any]:
    shaped: dict[str, Any] = {"group": {}}
    for name in group_by:
        value = row[name]
        shaped["group"][name] = value.value if hasattr(value, "value") else value
    for key, value in row.items():
        if key in group_by:
            continue
        if key == "countAll":
            shaped["countAll"] = value
            continue
        aggregate, name = key.split("__", 1)
        shaped.setdefault(aggregate, {})[name] = number_of(collection, name, value)
    return shaped


def number_of(collection: Collection, name: str, value: Any) -> Any:
    """Aggregates of hours stay exact decimals; of integers, plain numbers."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if collection.fields[name].kind is Kind.DECIMAL:
        return Decimal(str(value)).quantize(Decimal("0.0001")).normalize()
    return float(value)


def _search(collection: Collection, term: str) -> Q:
    if not collection.search_fields:
        raise InvalidInput(f"{collection.name} has no text fields to search.")
    return Q(
        *(Q(**{f"{name}__icontains": term}) for name in collection.search_fields),
        join_type="OR",
    )


def order_by(
    collection: Collection,
    sort: Sequence[str] | None,
    hidden: Callable[[Collection], frozenset[str]] = lambda _: frozenset(),
) -> list[str]:
    """ORM ordering from Directus sort keys, with the id as the last tie-breaker.

    `-title` sorts descending; `course.title` sorts through a many-to-one
    relation.
    """
    ordering = [_sort_key(collection, key, hidden) for key in sort or ()]
    if not ordering:
        ordering = list(collection.default_sort)
    if "id" not in ordering and "-id" not in ordering:
        ordering.append("id")
    return ordering


def _sort_key(
    collection: Collection,
    key: str,
    hidden: Callable[[Collection], frozenset[str]],
) -> str:
    descending = key.startswith("-")
    path = key.removeprefix("-").split(".")
    current = collection
    for hop in path[:-1]:
        relation = current.many_to_one.get(hop)
        if relation is None:
            raise InvalidInput(
                f'Cannot sort {collection.name} by "{key}": "{hop}" is not a '
                f"many-to-one relation of {current.name}."
            )
        current = collections.get(relation.target)
    last = path[-1]
    spec = current.fields.get(last)
    if spec is None or spec.kind is Kind.JSON or last in hidden(current):
        raise InvalidInput(
            f'Cannot sort {collection.name} by "{key}": {current.name} has no '
            f'sortable field "{last}".'
        )
    return ("-" if descending else "") + "__".join(path)


def parse_id(item_id: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(item_id))
    except ValueError as exc:
        raise InvalidInput(f"{item_id!r} is not a valid id.") from exc
