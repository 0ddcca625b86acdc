"""Release documents as items the API serves, and reads over them in memory.

A release document is plain JSON. Before it is served it becomes a tree of
`Doc` items: typed values (dates, decimals, ids) under the names the
collections use, each child knowing its parent, so every field of a
published course resolves synchronously from memory. Releases never change,
so a tree is built once per process and kept.

Lists nested in a published item take the Directus arguments too (filter,
sort, search, limit, offset, page); they are applied here, in memory, with
the same operators and the same errors as in SQL.
"""

import datetime as dt
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from app.errors import InvalidInput
from app.services import collections
from app.services.collections import Collection, Kind
from app.services.filters import OPERATORS, Dynamic, coerce
from app.services.query import Row


class Doc(Row):
    """A published item: its values, its related items, its collection."""

    __slots__ = ("collection", "parents", "related")

    def __init__(self, collection: Collection) -> None:
        super().__init__()
        self.collection = collection
        # Many-to-one relation name -> the related Doc, where the tree has it.
        self.parents: dict[str, Doc] = {}
        # To-many relation name -> related Docs, where the tree has them.
        self.related: dict[str, list[Doc]] = {}


class Tree:
    """One release's items, from the course down, and an index by id."""

    __slots__ = ("items", "root")

    def __init__(self, root: Doc, items: dict[str, list[Doc]]) -> None:
        self.root = root
        self.items = items

    def all(self, collection: str) -> list[Doc]:
        return self.items.get(collection, [])


def _typed(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind is Kind.DATETIME:
        return dt.datetime.fromisoformat(value)
    if kind is Kind.DATE:
        return dt.date.fromisoformat(value)
    if kind is Kind.DECIMAL:
        return Decimal(str(value))
    if kind is Kind.ID:
        return uuid.UUID(str(value))
    return value


def build(document: dict[str, Any], stamp: dict[str, Any]) -> Tree:
    """The tree of a release document.

    `stamp` gives the values a document does not hold because they describe
    the release rather than the content: when it was published, its version.
    Every item's system dates are the release's.
    """
    items: dict[str, list[Doc]] = {}
    published = stamp["date_published"]

    def make(name: str, data: dict[str, Any], parent: Doc | None, back: str) -> Doc:
        c = collections.get(name)
        doc = Doc(c)
        for field, spec in c.fields.items():
            if field in data:
                doc[field] = _typed(spec.kind, data[field])
            elif spec.restricted:
                continue
            else:
                doc[field] = None
        doc["date_created"] = doc["date_updated"] = published
        for rel_name, rel in c.many_to_one.items():
            value = data.get(rel_name)
            if isinstance(value, dict):
                target = make(rel.target, value, None, "")
                doc.parents[rel_name] = target
                value = value["id"]
            doc[rel.column] = uuid.UUID(value) if value else None
        if parent is not None:
            doc.parents[back] = parent
        items.setdefault(name, []).append(doc)
        for rel_name, rel in c.to_many.items():
            children = data.get(rel_name)
            if isinstance(children, list):
                doc.related[rel_name] = [
                    make(rel.target, child, doc, rel.back) for child in children
                ]
        return doc

    root = make("courses", document, None, "")
    root.update(
        status="published",
        version=stamp["version"],
        date_published=published,
    )
    # Relations the document does not nest (an assessment's module) are
    # found by id among the release's own items.
    by_id = {d["id"]: d for docs in items.values() for d in docs}
    for name, docs in items.items():
        c = collections.get(name)
        if not c.versioned:
            continue
        for doc in docs:
            for rel_name, rel in c.many_to_one.items():
                if rel_name not in doc.parents and rel.target in items:
                    found = by_id.get(doc[rel.column])
                    if found is not None:
                        doc.parents[rel_name] = found
            for rel_name, rel in c.to_many.items():
                target = collections.get(rel.target)
                if rel_name not in doc.related and target.versioned:
                    column = target.many_to_one[rel.back].column
                    doc.related[rel_name] = [
                        d for d in items.get(rel.target, []) if d[column] == doc["id"]
                    ]
    return Tree(root, items)


class TreeCache:
    """Trees by release id, least recently used dropped first."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._trees: OrderedDict[uuid.UUID, Tree] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, release_id: uuid.UUID) -> Tree | None:
        with self._lock:
            tree = self._trees.get(release_id)
            if tree is not None:
                self._trees.move_to_end(release_id)
            return tree

    def put(self, release_id: uuid.UUID, tree: Tree) -> None:
        with self._lock:
            self._trees[release_id] = tree
            self._trees.move_to_end(release_id)
            while len(self._trees) > self.size:
                self._trees.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._trees.clear()


trees = TreeCache()


# In-memory filters, sorts and searches over Docs.


def matches(c: Collection, doc: Doc, where: dict[str, Any], dyn: Dynamic) -> bool:
    """Whether a published item meets a Directus filter."""
    if not isinstance(where, dict):
        raise InvalidInput(f"A filter on {c.name} must be an object.")
    return all(_entry(c, doc, key, value, dyn) for key, value in where.items())


def _entry(c: Collection, doc: Doc, key: str, value: Any, dyn: Dynamic) -> bool:
    if key in ("_and", "_or"):
        if not isinstance(value, list) or not value:
            raise InvalidInput(f"{key} takes a non-empty list of filters.")
        results = [matches(c, doc, part, dyn) for part in value]
        return all(results) if key == "_and" else any(results)
    if key in c.restricted:
        raise InvalidInput(f'You may not filter {c.name} on "{key}".', field=key)
    if key in c.fields:
        return _scalar(c, key, doc.get(key), value, dyn)
    if key in c.many_to_one:
        if not isinstance(value, dict):
            raise InvalidInput(f'Filter on relation "{key}" must be an object.')
        parent = doc.parents.get(key)
        if parent is None:
            if set(value) == {"id"}:
                column = c.many_to_one[key].column
                return _scalar(c, "id", doc.get(column), value["id"], dyn)
            raise InvalidInput(
                f'Published {c.name} can be filtered on "{key}" by id only.',
                field=key,
            )
        return matches(parent.collection, parent, value, dyn)
    if key in c.to_many:
        if not isinstance(value, dict):
            raise InvalidInput(f'Filter on relation "{key}" must be an object.')
        quantifier = "_some"
        if set(value) & {"_some", "_none"}:
            if len(value) != 1:
                raise InvalidInput(f'Use either _some or _none on "{key}", alone.')
            quantifier, value = next(iter(value.items()))
        children = doc.related.get(key)
        if children is None:
            raise InvalidInput(
                f'Published {c.name} cannot be filtered on "{key}".', field=key
            )
        target = collections.get(c.to_many[key].target)
        found = any(matches(target, child, value, dyn) for child in children)
        return found if quantifier == "_some" else not found
    raise InvalidInput(
        f'Unknown field "{key}" in filter on {c.name}.', field=key, collection=c.name
    )


def _scalar(c: Collection, name: str, actual: Any, ops: Any, dyn: Dynamic) -> bool:
    spec = c.fields[name]
    if not isinstance(ops, dict) or not ops:
        raise InvalidInput(
            f'Filter on "{name}" must be an object of operators, such as '
            '{"_eq": ...}.',
            field=name,
        )
    for op, raw in ops.items():
        if op not in OPERATORS[spec.kind]:
            raise InvalidInput(
                f'Operator "{op}" does not apply to field "{name}" of {c.name} '
                f"(a {spec.kind} field); use one of "
                f"{', '.join(OPERATORS[spec.kind])}.",
                field=name,
                operator=op,
            )
        if not _test(spec, op, actual, raw, dyn):
            return False
    return True


def _test(spec: Any, op: str, actual: Any, raw: Any, dyn: Dynamic) -> bool:
    if op in ("_null", "_nnull", "_empty", "_nempty"):
        if not isinstance(raw, bool):
            raise InvalidInput(f'{op} on "{spec.name}" takes true or false.')
        empty = actual is None or (op in ("_empty", "_nempty") and actual == "")
        return empty == raw if op in ("_null", "_empty") else empty != raw
    if op in ("_in", "_nin"):
        if not isinstance(raw, list):
            raise InvalidInput(f'{op} on "{spec.name}" takes a list.')
        values = [coerce(spec, op, v, dyn) for v in raw]
        inside = actual is not None and actual in values
        return inside if op == "_in" else not inside
    if op in ("_between", "_nbetween"):
        if not isinstance(raw, list) or len(raw) != 2:
            raise InvalidInput(f'{op} on "{spec.name}" takes a list of two values.')
        low, high = (coerce(spec, op, v, dyn) for v in raw)
        inside = actual is not None and low <= actual <= high
        return inside if op == "_between" else not inside
    value = coerce(spec, op, raw, dyn)
    if op == "_eq":
        return actual == value
    if op == "_neq":
        return actual != value
    if actual is None or value is None:
        return op in ("_ncontains",)
    if op in ("_lt", "_lte", "_gt", "_gte"):
        return {
            "_lt": actual < value,
            "_lte": actual <= value,
            "_gt": actual > value,
            "_gte": actual >= value,
        }[op]
    text, needle = str(actual), str(value)
    if op.startswith("_i") and op != "_in":
        text, needle = text.lower(), needle.lower()
    if op in ("_contains", "_icontains"):
        return needle in text
    if op == "_ncontains":
        return needle not in text
    if op in ("_starts_with", "_istarts_with"):
        return text.startswith(needle)
    return text.endswith(needle)


def searched(c: Collection, docs: Iterable[Doc], term: str) -> list[Doc]:
    if not c.search_fields:
        raise InvalidInput(f"{c.name} has no text fields to search.")
    needle = term.lower()
    return [
        d
        for d in docs
        if any(needle in str(d.get(f) or "").lower() for f in c.search_fields)
    ]


def sorted_docs(
    c: Collection, docs: list[Doc], sort: Sequence[str] | None
) -> list[Doc]:
    """Docs in Directus sort order, the id last; nulls first, as in SQL ascending."""
    keys = list(sort or c.default_sort)
    if "id" not in keys and "-id" not in keys:
        keys.append("id")
    ordered = list(docs)
    for key in reversed(keys):
        descending = key.startswith("-")
        ordered.sort(key=_sort_value(c, key.removeprefix("-")), reverse=descending)
    return ordered


def _sort_value(c: Collection, path: str) -> Callable[[Doc], Any]:
    hops = path.split(".")
    current = c
    for hop in hops[:-1]:
        relation = current.many_to_one.get(hop)
        if relation is None:
            raise InvalidInput(
                f'Cannot sort {c.name} by "{path}": "{hop}" is not a many-to-one '
                f"relation of {current.name}."
            )
        current = collections.get(relation.target)
    last = hops[-1]
    spec = current.fields.get(last)
    if spec is None or spec.kind is Kind.JSON or last in current.restricted:
        raise InvalidInput(
            f'Cannot sort {c.name} by "{path}": {current.name} has no sortable '
            f'field "{last}".'
        )

    def value(doc: Doc) -> Any:
        item: Doc | None = doc
        for hop in hops[:-1]:
            item = item.parents.get(hop) if item is not None else None
        found = item.get(last) if item is not None else None
        # None sorts first; other values compare among their own kind.
        return (found is not None, str(found) if spec.kind is Kind.ID else found)

    return value
