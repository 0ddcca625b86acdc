"""Resolvers of the generated schema: lists, items, aggregates, relations, writes.

Each factory closes over one collection and returns a function whose
signature carries that collection's GraphQL arguments.
"""

import inspect
from collections import defaultdict
from collections.abc import Callable
from typing import Any, Optional

import strawberry

from app.errors import Forbidden
from app.services import collections, items
from app.services.collections import Collection
from app.services.documents import Doc
from app.services.published import DRAFT, PUBLISHED, parse_version
from app.services.query import Query, order_by, read_rows
from schema.context import Context
from schema.inputs import plain


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
    signature = inspect.Signature(parameters, return_annotation=returns)
    wrapper.__signature__ = signature  # type: ignore[attr-defined]
    wrapper.__annotations__ = {n: a for n, (a, _) in params.items()} | {
        "info": strawberry.Info,
        "return": returns,
    }
    wrapper.__name__ = fn.__name__
    return wrapper


# "published" (the default), "draft" (the working copy, for its editors) or
# a release number.
VERSION_PARAM: tuple[Any, Any] = (Optional[str], None)  # noqa: UP045


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


def restricted(c: Collection, name: str, returns: Any) -> Callable[..., Any]:
    def resolve(root: Any, info: strawberry.Info) -> Any:
        context: Context = info.context
        orgs = context.key_scope(c)
        if orgs is not None and root.organization_id not in orgs:
            raise Forbidden(f'You may not read "{name}" of {c.name}.')
        if isinstance(root, Doc):
            # Releases never hold answer keys or grading notes.
            return None
        return collections.value_of(root, name)

    resolve.__name__ = name
    return resolver(resolve, {}, returns)


def _published_side(c: Collection, target: Collection, root: Any) -> bool:
    """Whether a relation leads to published items rather than the working copy.

    Published items lead to published items; so does anything outside the
    course tree (a credential's criterion, a practice area); a working-copy
    row of the course tree leads to the working copy.
    """
    return target.versioned and (isinstance(root, Doc) or not c.versioned)


def many_to_one(
    c: Collection, rel: collections.ManyToOne, returns: Any
) -> Callable[..., Any]:
    target = collections.get(rel.target)

    def resolve(root: Any, info: strawberry.Info) -> Any:
        if isinstance(root, Doc):
            parent = root.parents.get(rel.name)
            if parent is not None:
                return parent
        key = getattr(root, rel.column)
        if key is None:
            return None
        context: Context = info.context

        if _published_side(c, target, root):

            async def load_published(keys: list[Any]) -> list[Any]:
                if target.name == "courses":
                    found = await context.published.courses_by_id(keys)
                else:
                    docs = await context.published.everything(target, PUBLISHED)
                    found = {d["id"]: d for d in docs}
                return [found.get(k) for k in keys]

            loader = context.loader(("published", place(info)), load_published)
            return loader.load(key)

        context.live = True

        async def load(keys: list[Any]) -> list[Any]:
            queryset = context.reader.base(target).filter(id__in=keys)
            rows = await read_rows(queryset, columns(target, info))
            found = {row.pk: row for row in rows}
            return [found.get(k) for k in keys]

        # One batch per place in the query: every row of a batch is asked for
        # the same fields, so the batch reads only their columns.
        return context.loader(("one", place(info)), load).load(key)

    resolve.__name__ = rel.name
    return resolver(resolve, {}, returns)


def to_many(
    c: Collection,
    rel: collections.ToMany,
    params: dict[str, tuple[Any, Any]],
    target_type: type,
) -> Callable[..., Any]:
    target = collections.get(rel.target)
    back_column = target.many_to_one[rel.back].column

    def resolve(root: Any, info: strawberry.Info, **args: Any) -> Any:
        context: Context = info.context
        if isinstance(root, Doc):
            children = root.related.get(rel.name)
            if children is not None:
                # Nested in a release: resolved in memory, with no statement.
                query = _query_from(args)
                limit, offset = context.reader.window(query)
                if query.filter or query.search or query.sort:
                    children = context.published.select(target, children, query)
                return children[offset : offset + limit]
        # The arguments at one place in the query are the same for every
        # parent, so the place names the batch.
        key = ("many", place(info))

        if _published_side(c, target, root):

            async def load_published(parents: list[Any]) -> list[list[Any]]:
                return await context.published.children(
                    target, back_column, parents, _query_from(args)
                )

            return context.loader(key, load_published).load(root.pk)

        context.live = True

        async def load(parents: list[Any]) -> list[list[Any]]:
            # One statement for the children of every parent in the batch;
            # each parent's window (offset, limit) is cut from its own rows.
            query = _query_from(args)
            limit, offset = context.reader.window(query)
            ordering = order_by(target, query.sort, context.hidden)
            queryset = context.reader.where(target, query)
            queryset = queryset.filter(**{f"{back_column}__in": parents})
            names = sorted({*columns(target, info), back_column})
            rows = await read_rows(queryset.order_by(*ordering), names)
            grouped: dict[Any, list[Any]] = defaultdict(list)
            for row in rows:
                grouped[getattr(row, back_column)].append(row)
            return [grouped[p][offset : offset + limit] for p in parents]

        return context.loader(key, load).load(root.pk)

    resolve.__name__ = rel.name
    return resolver(resolve, params, list[target_type])


def place(info: strawberry.Info) -> tuple[str, ...]:
    """Where a field stands in the query, without list positions: courses.modules."""
    keys = []
    path = info.path
    while path is not None:
        if isinstance(path.key, str):
            keys.append(path.key)
        path = path.prev
    return tuple(reversed(keys))


def columns(c: Collection, info: strawberry.Info) -> list[str]:
    """The columns the selection of this field needs, and the ones lexstack does.

    Converting values costs more than fetching them (a row of lessons with
    every column takes four times as long), so reads ask only for what the
    query will show, plus the id and the organization that access checks use.
    """
    wanted = {"id"}
    if "organization" in c.many_to_one:
        wanted.add("organization_id")
    for selection in _flatten(info.selected_fields[0].selections):
        if selection.name in c.fields:
            wanted.add(selection.name)
        elif selection.name in c.many_to_one:
            wanted.add(c.many_to_one[selection.name].column)
    return sorted(wanted)


def list_of(c: Collection, params: dict[str, tuple[Any, Any]], returns: Any) -> Any:
    async def resolve(root: Any, info: strawberry.Info, **args: Any) -> Any:
        context: Context = info.context
        query = _query_from(args)
        if c.versioned:
            version = parse_version(args.get("version"))
            if version != DRAFT:
                context.published_roots += 1
                if c.name == "courses":
                    return await context.published.courses(query, version)
                return await context.published.items(c, query, version)
        context.live = True
        return await context.reader.items(c, query, columns(c, info))

    resolve.__name__ = c.name
    return resolver(resolve, params, returns)


def by_id(c: Collection, returns: Any) -> Any:
    async def resolve(
        root: Any, info: strawberry.Info, id: strawberry.ID, **args: Any
    ) -> Any:
        context: Context = info.context
        if c.versioned:
            version = parse_version(args.get("version"))
            if version != DRAFT:
                context.published_roots += 1
                return await context.published.item(c, id, version)
        context.live = True
        return await context.reader.item(c, id)

    resolve.__name__ = f"{c.name}_by_id"
    params: dict[str, tuple[Any, Any]] = {
        "id": (strawberry.ID, inspect.Parameter.empty)
    }
    if c.versioned:
        params["version"] = VERSION_PARAM
    return resolver(resolve, params, returns)


def aggregated(c: Collection, params: dict[str, tuple[Any, Any]], returns: Any) -> Any:
    result_type = returns.__args__[0]

    async def resolve(root: Any, info: strawberry.Info, **args: Any) -> Any:
        context: Context = info.context
        wanted = _wanted_aggregates(info)
        query, group_by = _query_from(args), args.get("groupBy") or []
        version = parse_version(args.get("version")) if c.versioned else DRAFT
        if version == DRAFT:
            context.live = True
            rows = await context.reader.aggregate(c, query, group_by, wanted)
        elif c.name == "courses":
            context.published_roots += 1
            rows = await context.published.aggregate(query, version, group_by, wanted)
        else:
            context.published_roots += 1
            rows = await context.published.aggregate_items(
                c, query, version, group_by, wanted
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


def create_one(c: Collection, create: type, returns: Any) -> Any:
    async def resolve(root: Any, info: strawberry.Info, data: Any) -> Any:
        (item,) = await items.create_items(c, [_data(data)], info.context.principal)
        return item

    resolve.__name__ = f"create_{c.name}_item"
    return resolver(resolve, {"data": (create, inspect.Parameter.empty)}, returns)


def create_many(c: Collection, create: type, returns: Any) -> Any:
    async def resolve(root: Any, info: strawberry.Info, data: Any) -> Any:
        rows = [_data(d) for d in data]
        return await items.create_items(c, rows, info.context.principal)

    resolve.__name__ = f"create_{c.name}_items"
    return resolver(resolve, {"data": (list[create], inspect.Parameter.empty)}, returns)


def update_one(c: Collection, update: type, returns: Any) -> Any:
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


def update_many(c: Collection, update: type, returns: Any) -> Any:
    async def resolve(root: Any, info: strawberry.Info, ids: Any, data: Any) -> Any:
        return await items.update_items(c, ids, _data(data), info.context.principal)

    resolve.__name__ = f"update_{c.name}_items"
    params = {
        "ids": (list[strawberry.ID], inspect.Parameter.empty),
        "data": (update, inspect.Parameter.empty),
    }
    return resolver(resolve, params, returns)


def delete_one(c: Collection, returns: type) -> Any:
    async def resolve(root: Any, info: strawberry.Info, id: Any) -> Any:
        (key,) = await items.delete_items(c, [id], info.context.principal)
        return returns(id=str(key))

    resolve.__name__ = f"delete_{c.name}_item"
    return resolver(resolve, {"id": (strawberry.ID, inspect.Parameter.empty)}, returns)


def delete_many(c: Collection, returns: type) -> Any:
    async def resolve(root: Any, info: strawberry.Info, ids: Any) -> Any:
        keys = await items.delete_items(c, ids, info.context.principal)
        return returns(ids=[str(k) for k in keys])

    resolve.__name__ = f"delete_{c.name}_items"
    params = {"ids": (list[strawberry.ID], inspect.Parameter.empty)}
    return resolver(resolve, params, returns)
