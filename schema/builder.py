"""The Directus-dialect schema, generated from the collection descriptions.

For each collection: an object type, a filter, create and update inputs, an
aggregate type; the list, `_by_id` and `_aggregated` queries; and the six
item mutations. Relations resolve through per-request DataLoaders, so the
statements a request costs grow with its depth, never with its rows.
"""

import inspect
import json
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Optional

import strawberry
from strawberry.scalars import JSON
from strawberry.types.unset import UNSET

from app.errors import Forbidden
from app.services import collections, items, revisions
from app.services.collections import NUMERIC, Collection, Kind
from app.services.query import Query, order_by
from app.services.revisions import organization_of
from permissions import ALL, Action, organizations
from schema import identity
from schema.context import Context
from schema.inputs import OPERATOR_TYPES, SCALARS, make_input, plain

LIST_ARGS = ("filter", "sort", "limit", "offset", "page", "search")


def resolver(
    fn: Callable[..., Any], params: dict[str, tuple[Any, Any]], returns: Any
) -> Callable[..., Any]:
    """Give a generic resolver the GraphQL arguments of one collection.

    `params` maps an argument name to (annotation, default); `root` and `info`
    are passed through as Strawberry expects them.
    """
    parameters = [
        inspect.Parameter("root", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter(
            "info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=strawberry.Info
        ),
    ] + [
        inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
        )
        for name, (annotation, default) in params.items()
    ]

    def bound(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    async def bound_async(*args: Any, **kwargs: Any) -> Any:
        return await fn(*args, **kwargs)

    wrapper = bound_async if inspect.iscoroutinefunction(fn) else bound
    wrapper.__signature__ = inspect.Signature(parameters, return_annotation=returns)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {n: a for n, (a, _) in params.items()} | {
        "info": strawberry.Info,
        "return": returns,
    }
    wrapper.__name__ = fn.__name__
    return wrapper


def _query_from(args: dict[str, Any]) -> Query:
    where = plain(args.get("filter"))
    return Query(
        filter=where or None,
        search=args.get("search"),
        sort=args.get("sort"),
        limit=args.get("limit"),
        offset=args.get("offset"),
        page=args.get("page"),
    )


class SchemaBuilder:
    def __init__(self) -> None:
        self.registry = collections.registry()
        self.types: dict[str, type] = {}
        self.filters: dict[str, type] = {}
        self.quantified: dict[str, type] = {}
        self.creates: dict[str, type] = {}
        self.updates: dict[str, type] = {}
        self.aggregates: dict[str, type] = {}
        self.delete_one = strawberry.type(
            type("delete_one", (), {"__annotations__": {"id": strawberry.ID}}),
            name="delete_one",
        )
        self.delete_many = strawberry.type(
            type("delete_many", (), {"__annotations__": {"ids": list[strawberry.ID]}}),
            name="delete_many",
        )

    def build(self) -> tuple[type, type]:
        # Object and filter types refer to each other in cycles (courses ->
        # modules -> course), so every class exists before any is decorated.
        for name in self.registry:
            self.types[name] = type(name, (), {})
            self.filters[name] = type(f"{name}_filter", (), {})
            self.quantified[name] = type(f"{name}_quantifier_filter", (), {})
        for collection in self.registry.values():
            self._filter(collection)
        for collection in self.registry.values():
            self._object(collection)
            self._inputs(collection)
            self._aggregate(collection)
        query, mutation = identity.fields(self.types)
        return self._query(query), self._mutation(mutation)

    def _filter(self, c: Collection) -> None:
        fields: dict[str, Any] = {}
        for name, spec in c.fields.items():
            fields[name] = Optional[OPERATOR_TYPES[spec.kind]]  # noqa: UP045
        for name, rel in c.many_to_one.items():
            fields[name] = Optional[self.filters[rel.target]]  # noqa: UP045
        for name, rel in c.to_many.items():
            fields[name] = Optional[self.quantified[rel.target]]  # noqa: UP045
        filter_type = self.filters[c.name]
        fields["_and"] = Optional[list[filter_type]]  # noqa: UP045
        fields["_or"] = Optional[list[filter_type]]  # noqa: UP045
        _decorate_input(
            filter_type, fields, f"Conditions on {c.name}, in the Directus dialect."
        )
        quantified = dict(fields)
        quantified["_some"] = Optional[filter_type]  # noqa: UP045
        quantified["_none"] = Optional[filter_type]  # noqa: UP045
        _decorate_input(
            self.quantified[c.name],
            quantified,
            f"Conditions on related {c.name}: _some (the default) or _none.",
        )

    def _list_params(self, c: Collection) -> dict[str, tuple[Any, Any]]:
        return {
            "filter": (Optional[self.filters[c.name]], None),  # noqa: UP045
            "sort": (Optional[list[str]], None),  # noqa: UP045
            "limit": (Optional[int], None),  # noqa: UP045
            "offset": (Optional[int], None),  # noqa: UP045
            "page": (Optional[int], None),  # noqa: UP045
            "search": (Optional[str], None),  # noqa: UP045
        }

    def _object(self, c: Collection) -> None:
        cls = self.types[c.name]
        annotations: dict[str, Any] = {}
        for name, spec in c.fields.items():
            scalar = SCALARS[spec.kind]
            annotation = Optional[scalar] if spec.nullable else scalar  # noqa: UP045
            if spec.restricted:
                # Nullable, so that a denied field is null with an error rather
                # than nulling the whole item.
                hidden = Optional[scalar]  # noqa: UP045
                setattr(
                    cls, name, strawberry.field(resolver=_restricted(c, name, hidden))
                )
            elif spec.choices is not None:
                setattr(
                    cls, name, strawberry.field(resolver=_enum_value(name, annotation))
                )
            else:
                annotations[name] = annotation
        for name, rel in c.many_to_one.items():
            target = self.types[rel.target]
            returns = Optional[target]  # noqa: UP045
            setattr(cls, name, strawberry.field(resolver=_many_to_one(rel, returns)))
        for name, rel in c.to_many.items():
            target = self.types[rel.target]
            fn = _to_many(rel, self._list_params(self.registry[rel.target]), target)
            setattr(cls, name, strawberry.field(resolver=fn))
        if not c.read_only:
            cls.revision = strawberry.field(  # type: ignore[attr-defined]
                resolver=_revision(c),
                description="The latest revision: name it when updating, so that "
                "a change made since is not overwritten. Null for those who may "
                "not read revisions.",
            )
        cls.__annotations__ = annotations
        strawberry.type(cls, name=c.name)

    def _inputs(self, c: Collection) -> None:
        create: dict[str, Any] = {}
        update: dict[str, Any] = {}
        for name, spec in c.fields.items():
            if spec.read_only:
                continue
            scalar = SCALARS[spec.kind]
            create[name] = scalar if spec.required else Optional[scalar]  # noqa: UP045
            update[name] = Optional[scalar]  # noqa: UP045
        for name, rel in c.many_to_one.items():
            # A child's organization is inherited from its parent when left out.
            required = not rel.nullable and name != "organization"
            create[name] = strawberry.ID if required else Optional[strawberry.ID]  # noqa: UP045
            update[name] = Optional[strawberry.ID]  # noqa: UP045
        self.creates[c.name] = _required_input(f"create_{c.name}_input", create)
        self.updates[c.name] = make_input(
            f"update_{c.name}_input", update, f"Changes to {c.name} items."
        )

    def _aggregate(self, c: Collection) -> None:
        count_fields = {name: Optional[int] for name in c.fields}  # noqa: UP045
        count_type = _output(f"{c.name}_aggregated_count", count_fields)
        numeric = {
            name: Optional[Decimal if spec.kind is Kind.DECIMAL else float]  # noqa: UP045
            for name, spec in c.fields.items()
            if spec.kind in NUMERIC
        }
        annotations: dict[str, Any] = {
            "group": Optional[JSON],  # noqa: UP045
            "countAll": Optional[int],  # noqa: UP045
            "count": Optional[count_type],  # noqa: UP045
            "countDistinct": Optional[count_type],  # noqa: UP045
        }
        if numeric:
            numbers = _output(f"{c.name}_aggregated_fields", numeric)
            for aggregate in ("sum", "avg", "min", "max"):
                annotations[aggregate] = Optional[numbers]  # noqa: UP045
        self.aggregates[c.name] = _output(f"{c.name}_aggregated", annotations)

    def _query(self, extra: dict[str, Any]) -> type:
        namespace: dict[str, Any] = dict(extra)
        for name, c in self.registry.items():
            obj = self.types[name]
            namespace[name] = strawberry.field(
                resolver=_list(c, self._list_params(c), list[obj]),
                description=f"List {name}.",
            )
            namespace[f"{name}_by_id"] = strawberry.field(
                resolver=_by_id(c, Optional[obj]),  # noqa: UP045
                description=f"One item of {name}, or null.",
            )
            params = self._list_params(c) | {
                "groupBy": (Optional[list[str]], None)  # noqa: UP045
            }
            namespace[f"{name}_aggregated"] = strawberry.field(
                resolver=_aggregated(c, params, list[self.aggregates[name]]),
                description=f"Aggregates over {name}, optionally per group.",
            )
        return strawberry.type(type("Query", (), namespace), name="Query")

    def _mutation(self, extra: dict[str, Any]) -> type:
        namespace: dict[str, Any] = dict(extra)
        for name, c in self.registry.items():
            if c.read_only:
                continue
            obj, create, update = (
                self.types[name],
                self.creates[name],
                self.updates[name],
            )
            namespace[f"create_{name}_item"] = strawberry.mutation(
                resolver=_create_one(c, create, Optional[obj])  # noqa: UP045
            )
            namespace[f"create_{name}_items"] = strawberry.mutation(
                resolver=_create_many(c, create, list[obj])
            )
            namespace[f"update_{name}_item"] = strawberry.mutation(
                resolver=_update_one(c, update, Optional[obj])  # noqa: UP045
            )
            namespace[f"update_{name}_items"] = strawberry.mutation(
                resolver=_update_many(c, update, list[obj])
            )
            namespace[f"delete_{name}_item"] = strawberry.mutation(
                resolver=_delete_one(c, self.delete_one)
            )
            namespace[f"delete_{name}_items"] = strawberry.mutation(
                resolver=_delete_many(c, self.delete_many)
            )
        return strawberry.type(type("Mutation", (), namespace), name="Mutation")


def _decorate_input(cls: type, annotations: dict[str, Any], description: str) -> None:
    cls.__annotations__ = annotations
    for name in annotations:
        setattr(cls, name, UNSET)
    strawberry.input(cls, name=cls.__name__, description=description)


def _required_input(name: str, annotations: dict[str, Any]) -> type:
    namespace: dict[str, Any] = {"__annotations__": annotations}
    for field, annotation in annotations.items():
        if type(None) in getattr(annotation, "__args__", ()):
            namespace[field] = UNSET
    # Required fields first: dataclasses refuse a required field after a default.
    ordered = dict(sorted(annotations.items(), key=lambda item: item[0] in namespace))
    namespace["__annotations__"] = ordered
    cls = type(name, (), namespace)
    return strawberry.input(cls, name=name)


def _output(name: str, annotations: dict[str, Any]) -> type:
    cls = type(name, (), {"__annotations__": annotations, **dict.fromkeys(annotations)})
    return strawberry.type(cls, name=name)


def _restricted(c: Collection, name: str, returns: Any) -> Callable[..., Any]:
    def resolve(root: Any, info: strawberry.Info) -> Any:
        context: Context = info.context
        orgs = context.key_scope(c)
        if orgs is not None and root.organization_id not in orgs:
            raise Forbidden(f'You may not read "{name}" of {c.name}.')
        return collections.value_of(root, name)

    resolve.__name__ = name
    return resolver(resolve, {}, returns)


def _enum_value(name: str, returns: Any) -> Callable[..., Any]:
    def resolve(root: Any, info: strawberry.Info) -> Any:
        return collections.value_of(root, name)

    resolve.__name__ = name
    return resolver(resolve, {}, returns)


def _many_to_one(rel: collections.ManyToOne, returns: Any) -> Callable[..., Any]:
    target = collections.get(rel.target)

    async def resolve(root: Any, info: strawberry.Info) -> Any:
        key = getattr(root, rel.column)
        if key is None:
            return None
        context: Context = info.context

        async def load(keys: list[Any]) -> list[Any]:
            rows = await context.reader.base(target).filter(id__in=keys)
            found = {row.pk: row for row in rows}
            return [found.get(k) for k in keys]

        return await context.loader(("one", target.name), load).load(key)

    resolve.__name__ = rel.name
    return resolver(resolve, {}, returns)


def _to_many(
    rel: collections.ToMany, params: dict[str, tuple[Any, Any]], target_type: type
) -> Callable[..., Any]:
    target = collections.get(rel.target)
    back_column = target.many_to_one[rel.back].column

    async def resolve(root: Any, info: strawberry.Info, **args: Any) -> Any:
        context: Context = info.context
        query = _query_from(args)
        limit, offset = context.reader.window(query)
        key = ("many", target.name, rel.back, _fingerprint(query))

        async def load(parents: list[Any]) -> list[list[Any]]:
            # One statement for the children of every parent in the batch;
            # each parent's window (offset, limit) is cut from its own rows.
            ordering = order_by(target, query.sort, context.hidden)
            queryset = context.reader.where(target, query)
            rows = await queryset.filter(**{f"{back_column}__in": parents}).order_by(
                *ordering
            )
            grouped: dict[Any, list[Any]] = defaultdict(list)
            for row in rows:
                grouped[getattr(row, back_column)].append(row)
            return [grouped[p][offset : offset + limit] for p in parents]

        return await context.loader(key, load).load(root.pk)

    resolve.__name__ = rel.name
    return resolver(resolve, params, list[target_type])


def may_read_revisions(principal: Any, organization_id: Any) -> bool:
    orgs = organizations(principal, Action.READ, "revisions")
    return orgs is ALL or organization_id in orgs


def _fingerprint(query: Query) -> str:
    return json.dumps(query.__dict__, sort_keys=True, default=str)


def _list(c: Collection, params: dict[str, tuple[Any, Any]], returns: Any) -> Any:
    async def resolve(root: Any, info: strawberry.Info, **args: Any) -> Any:
        return await info.context.reader.items(c, _query_from(args))

    resolve.__name__ = c.name
    return resolver(resolve, params, returns)


def _by_id(c: Collection, returns: Any) -> Any:
    async def resolve(root: Any, info: strawberry.Info, id: strawberry.ID) -> Any:
        return await info.context.reader.item(c, id)

    resolve.__name__ = f"{c.name}_by_id"
    return resolver(resolve, {"id": (strawberry.ID, inspect.Parameter.empty)}, returns)


def _aggregated(c: Collection, params: dict[str, tuple[Any, Any]], returns: Any) -> Any:
    result_type = returns.__args__[0]

    async def resolve(root: Any, info: strawberry.Info, **args: Any) -> Any:
        wanted = _wanted_aggregates(info)
        rows = await info.context.reader.aggregate(
            c, _query_from(args), args.get("groupBy") or [], wanted
        )
        return [_aggregate_result(result_type, row) for row in rows]

    resolve.__name__ = f"{c.name}_aggregated"
    return resolver(resolve, params, returns)


def _wanted_aggregates(info: strawberry.Info) -> dict[str, list[str]]:
    wanted: dict[str, list[str]] = {}
    for selection in _flatten(info.selected_fields[0].selections):
        if selection.name in ("group", "__typename"):
            continue
        if selection.name == "countAll":
            wanted["countAll"] = []
            continue
        names = [s.name for s in _flatten(selection.selections)]
        wanted.setdefault(selection.name, [])
        wanted[selection.name] += [n for n in names if n != "__typename"]
    return wanted


def _flatten(selections: list[Any]) -> list[Any]:
    flat = []
    for selection in selections:
        if hasattr(selection, "name") and not hasattr(selection, "type_condition"):
            flat.append(selection)
        else:
            flat.extend(_flatten(selection.selections))
    return flat


def _aggregate_result(result_type: type, row: dict[str, Any]) -> Any:
    hints = result_type.__annotations__
    values: dict[str, Any] = {"group": row["group"], "countAll": row.get("countAll")}
    for aggregate in ("count", "countDistinct", "sum", "avg", "min", "max"):
        if aggregate in row and aggregate in hints:
            sub_type = hints[aggregate].__args__[0]
            values[aggregate] = sub_type(**row[aggregate])
    return result_type(**values)


def _data(value: Any) -> dict[str, Any]:
    return plain(value)


def _create_one(c: Collection, create: type, returns: Any) -> Any:
    async def resolve(root: Any, info: strawberry.Info, data: Any) -> Any:
        (item,) = await items.create_items(c, [_data(data)], info.context.principal)
        return item

    resolve.__name__ = f"create_{c.name}_item"
    return resolver(resolve, {"data": (create, inspect.Parameter.empty)}, returns)


def _create_many(c: Collection, create: type, returns: Any) -> Any:
    async def resolve(root: Any, info: strawberry.Info, data: Any) -> Any:
        rows = [_data(d) for d in data]
        return await items.create_items(c, rows, info.context.principal)

    resolve.__name__ = f"create_{c.name}_items"
    return resolver(resolve, {"data": (list[create], inspect.Parameter.empty)}, returns)


def _revision(c: Collection) -> Any:
    async def resolve(root: Any, info: strawberry.Info) -> Any:
        context: Context = info.context
        if not may_read_revisions(context.principal, organization_of(c, root)):
            return None

        async def load(keys: list[Any]) -> list[Any]:
            found = await revisions.latest(c, keys)
            return [found.get(k) for k in keys]

        return await context.loader(("revision", c.name), load).load(root.pk)

    resolve.__name__ = "revision"
    return resolver(resolve, {}, Optional[strawberry.ID])  # noqa: UP045


def _update_one(c: Collection, update: type, returns: Any) -> Any:
    async def resolve(
        root: Any,
        info: strawberry.Info,
        id: Any,
        data: Any,
        revision: Any = None,
    ) -> Any:
        (item,) = await items.update_items(
            c, [id], _data(data), info.context.principal, based_on=revision
        )
        return item

    resolve.__name__ = f"update_{c.name}_item"
    params = {
        "id": (strawberry.ID, inspect.Parameter.empty),
        "data": (update, inspect.Parameter.empty),
        "revision": (Optional[strawberry.ID], None),  # noqa: UP045
    }
    return resolver(resolve, params, returns)


def _update_many(c: Collection, update: type, returns: Any) -> Any:
    async def resolve(root: Any, info: strawberry.Info, ids: Any, data: Any) -> Any:
        return await items.update_items(c, ids, _data(data), info.context.principal)

    resolve.__name__ = f"update_{c.name}_items"
    params = {
        "ids": (list[strawberry.ID], inspect.Parameter.empty),
        "data": (update, inspect.Parameter.empty),
    }
    return resolver(resolve, params, returns)


def _delete_one(c: Collection, returns: type) -> Any:
    async def resolve(root: Any, info: strawberry.Info, id: Any) -> Any:
        (key,) = await items.delete_items(c, [id], info.context.principal)
        return returns(id=str(key))

    resolve.__name__ = f"delete_{c.name}_item"
    return resolver(resolve, {"id": (strawberry.ID, inspect.Parameter.empty)}, returns)


def _delete_many(c: Collection, returns: type) -> Any:
    async def resolve(root: Any, info: strawberry.Info, ids: Any) -> Any:
        keys = await items.delete_items(c, ids, info.context.principal)
        return returns(ids=[str(k) for k in keys])

    resolve.__name__ = f"delete_{c.name}_items"
    params = {"ids": (list[strawberry.ID], inspect.Parameter.empty)}
    return resolver(resolve, params, returns)
