"""Reads of published course content: from the catalog and release documents.

A page of published courses is one statement over catalog rows (filter,
search, sort and window pushed into SQL, on the columns a release states);
each row names its release, whose document is already in memory as a tree
or is fetched with the other misses in one more statement. Parts of courses
(modules, lessons...) come from the same trees. Which rows a principal sees
is decided once: everyone reads published content, a channel reads its
selection of its organization's courses, at the versions it follows or pins.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from app.errors import Forbidden, InvalidInput
from app.models import CatalogEntry, Channel, ChannelPin, Release
from app.services import catalog, collections, documents
from app.services import query as query_module
from app.services.catalog import NotInCatalog
from app.services.collections import Collection
from app.services.documents import Doc, Tree
from app.services.filters import compile_filter
from app.services.query import Query, Reader, order_by, parse_id
from permissions import ALL, Action, PrincipalKind, organizations
from permissions.enforcer import policies
from permissions.gate import public

# What a catalog row tells of its release: which one, its number and date.
STAMP = ("id", "version", "date_published")
DRAFT = "draft"
PUBLISHED = "published"


def parse_version(value: str | None) -> str | int:
    """`published` (the default), `draft`, or a release number."""
    if value is None or value == PUBLISHED:
        return PUBLISHED
    if value == DRAFT:
        return DRAFT
    if value.isdigit() and int(value) >= 1:
        return int(value)
    raise InvalidInput(
        f'version is "published", "draft" or a release number, not {value!r}.'
    )


@dataclass
class Published:
    """Published reads for one principal in one request."""

    reader: Reader
    _channel: tuple[Q, Q | None] | None = field(default=None, init=False)

    @property
    def principal(self) -> Any:
        return self.reader.principal

    async def scope(self, name: str, version: str | int) -> QuerySet:
        """The catalog rows of this version the principal may read."""
        rows = CatalogEntry.all()
        principal = self.principal
        if principal.kind is PrincipalKind.CHANNEL:
            if not policies.enforce("channel", "*", name, Action.READ_PUBLISHED.value):
                raise Forbidden(f"A channel may not read {name}.")
            selection, pinned = await self._channel_rows()
            rows = rows.filter(organization_id=principal.organization_id)
            rows = rows.filter(selection)
            if version == PUBLISHED and pinned is not None:
                return rows.filter(pinned)
        elif not public(Action.READ_PUBLISHED, name):
            orgs = organizations(principal, Action.READ, name)
            if orgs is not ALL:
                if not orgs:
                    raise Forbidden(f"You may not read {name}.")
                rows = rows.filter(organization_id__in=sorted(orgs))
        if version == PUBLISHED:
            return rows.filter(current=True)
        rows = rows.filter(version=version)
        # Earlier releases of a course that is published are on record for
        # all its readers; of one withdrawn, for its editors only.
        live = CatalogEntry.filter(current=True).values("course_id")
        editors = organizations(principal, Action.READ, name)
        if editors is ALL:
            return rows
        if principal.kind is PrincipalKind.CHANNEL or not editors:
            return rows.filter(course_id__in=Subquery(live))
        return rows.filter(
            Q(course_id__in=Subquery(live)) | Q(organization_id__in=sorted(editors))
        )

    async def has_releases(self, course_id: uuid.UUID) -> bool:
        """Whether the principal may read any release of the course."""
        for version in (PUBLISHED, 1):
            if (
                await (await self.scope("courses", version))
                .filter(course_id=course_id)
                .exists()
            ):
                return True
        return False

    async def _channel_rows(self) -> tuple[Q, Q | None]:
        """A channel's selection, and its pins as a condition (None: no pins)."""
        if self._channel is None:
            principal = self.principal
            channel = await Channel.get_or_none(id=principal.channel_id)
            selection = catalog.selection_condition(
                channel.selection if channel else None, self.reader.now
            )
            pins = await ChannelPin.filter(channel_id=principal.channel_id).values(
                "course_id", "version"
            )
            pinned: Q | None = None
            if pins:
                # A pinned course stays at its version while it is published
                # at all; withdrawn, it leaves the channel like any other.
                live = CatalogEntry.filter(
                    course_id__in=[p["course_id"] for p in pins], current=True
                ).values("course_id")
                held = Q(
                    *(Q(course_id=p["course_id"], version=p["version"]) for p in pins),
                    join_type="OR",
                )
                followed = Q(current=True) & ~Q(
                    course_id__in=[p["course_id"] for p in pins]
                )
                pinned = followed | (held & Q(course_id__in=Subquery(live)))
            self._channel = (selection, pinned)
        return self._channel

    # Courses: the catalog.

    async def courses(self, query: Query, version: str | int) -> list[Doc]:
        limit, offset = self.reader.window(query)
        if limit == 0:
            return []
        scope = await self.scope("courses", version)
        try:
            rows = self._where(scope, query)
            ordering = order_by(catalog.collection(), query.sort, _nothing_hidden)
        except NotInCatalog:
            # Conditions on the course tree (its modules, lessons...) are
            # met in memory, over the trees of every course in scope.
            docs = [tree.root for tree in await self.trees(await _stamps(scope))]
            courses = collections.get("courses")
            return self.select(courses, docs, query)[offset : offset + limit]
        page = await rows.order_by(*ordering).offset(offset).limit(limit).values(*STAMP)
        return [tree.root for tree in await self.trees(page)]

    async def course(self, course_id: Any, version: str | int) -> Doc | None:
        rows = (await self.scope("courses", version)).filter(
            course_id=parse_id(course_id)
        )
        found = await rows.limit(1).values(*STAMP)
        trees = await self.trees(found)
        return trees[0].root if trees else None

    async def courses_by_id(self, keys: list[uuid.UUID]) -> dict[uuid.UUID, Doc]:
        rows = (await self.scope("courses", PUBLISHED)).filter(course_id__in=keys)
        found = await rows.values(*STAMP)
        return {tree.root["id"]: tree.root for tree in await self.trees(found)}

    async def aggregate(
        self,
        query: Query,
        version: str | int,
        group_by: list[str],
        wanted: dict[str, list[str]],
    ) -> list[dict[str, Any]]:
        base = await self.scope("courses", version)
        translated = Query(
            filter=catalog.translate(query.filter) if query.filter else None,
            search=query.search,
            sort=query.sort,
            limit=query.limit,
            offset=query.offset,
            page=query.page,
        )
        return await self.reader.aggregate(
            catalog.collection(), translated, group_by, wanted, base=base
        )

    async def aggregate_items(
        self,
        c: Collection,
        query: Query,
        version: str | int,
        group_by: list[str],
        wanted: dict[str, list[str]],
    ) -> list[dict[str, Any]]:
        """Aggregates over published parts of courses, per group, in memory."""
        for name in group_by:
            if name not in c.fields or name in c.restricted:
                raise InvalidInput(f'Cannot group {c.name} by "{name}": no such field.')
        for aggregate, names in wanted.items():
            for name in names:
                if name in c.restricted:
                    raise InvalidInput(f'You may not aggregate {c.name} on "{name}".')
                # The same checks, and errors, as aggregates in SQL.
                query_module.aggregate_of(c, aggregate, name)
        limit, offset = self.reader.window(query)
        docs = self.select(c, await self.everything(c, version), query)
        groups: dict[tuple[Any, ...], list[Doc]] = defaultdict(list)
        for doc in docs:
            groups[tuple(doc.get(name) for name in group_by)].append(doc)
        ordered = sorted(
            groups.items(),
            key=lambda item: [(v is not None, str(v)) for v in item[0]],
        )
        rows = []
        for key, members in ordered[offset : offset + limit]:
            row: dict[str, Any] = {"group": dict(zip(group_by, key, strict=True))}
            for aggregate, names in (wanted or {"countAll": []}).items():
                if aggregate == "countAll":
                    row["countAll"] = len(members)
                    continue
                for name in names:
                    values = [m.get(name) for m in members if m.get(name) is not None]
                    row.setdefault(aggregate, {})[name] = query_module.number_of(
                        c, name, _fold(aggregate, values)
                    )
            rows.append(row)
        return rows

    def _where(self, rows: QuerySet, query: Query) -> QuerySet:
        c = catalog.collection()
        if query.filter:
            rows = rows.filter(
                compile_filter(c, catalog.translate(query.filter), self.reader.dynamic)
            )
        if query.search:
            rows = rows.filter(
                Q(
                    *(Q(**{f"{n}__icontains": query.search}) for n in c.search_fields),
                    join_type="OR",
                )
            )
        return rows

    # Parts of courses: from the trees of the releases in scope.

    async def items(self, c: Collection, query: Query, version: str | int) -> list[Doc]:
        limit, offset = self.reader.window(query)
        docs = await self.everything(c, version)
        return self.select(c, docs, query)[offset : offset + limit] if limit else []

    async def item(self, c: Collection, item_id: Any, version: str | int) -> Doc | None:
        if c.name == "courses":
            return await self.course(item_id, version)
        key = parse_id(item_id)
        for doc in await self.everything(c, version):
            if doc["id"] == key:
                return doc
        return None

    async def children(
        self, c: Collection, column: str, parents: list[Any], query: Query
    ) -> list[list[Doc]]:
        """Published items of `c` under each parent, for relations from outside
        the course tree (a practice area's courses, a jurisdiction's approvals)."""
        grouped: dict[Any, list[Doc]] = defaultdict(list)
        wanted = set(parents)
        for doc in self.select(c, await self.everything(c, PUBLISHED), query):
            if doc.get(column) in wanted:
                grouped[doc[column]].append(doc)
        limit, offset = self.reader.window(query)
        return [grouped[p][offset : offset + limit] for p in parents]

    async def everything(self, c: Collection, version: str | int) -> list[Doc]:
        if not c.versioned:
            raise InvalidInput(f"{c.name} has no published versions.")
        rows = await _stamps(await self.scope(c.name, version))
        return [doc for tree in await self.trees(rows) for doc in tree.all(c.name)]

    def select(self, c: Collection, docs: list[Doc], query: Query) -> list[Doc]:
        """Filter, search and sort published items in memory."""
        if query.filter:
            dyn = self.reader.dynamic
            # The filter is checked as SQL would check it, whether or not any
            # item is there to test; releases hold no answer keys to match.
            compile_filter(c, query.filter, replace(dyn, key_scope=_no_keys))
            docs = [d for d in docs if documents.matches(c, d, query.filter, dyn)]
        if query.search:
            docs = documents.searched(c, docs, query.search)
        return documents.sorted_docs(c, docs, query.sort)

    async def trees(self, rows: list[dict[str, Any]]) -> list[Tree]:
        """The trees of the releases the catalog rows name, in their order."""
        found: dict[uuid.UUID, Tree] = {}
        missing = []
        for row in rows:
            tree = documents.trees.get(row["id"])
            if tree is None:
                missing.append(row)
            else:
                found[row["id"]] = tree
        if missing:
            stamps = {row["id"]: row for row in missing}
            fetched = await Release.filter(id__in=list(stamps)).values("id", "document")
            for release in fetched:
                tree = documents.build(release["document"], stamps[release["id"]])
                documents.trees.put(release["id"], tree)
                found[release["id"]] = tree
        return [found[row["id"]] for row in rows if row["id"] in found]


def _fold(aggregate: str, values: list[Any]) -> Any:
    if aggregate == "count":
        return len(values)
    if aggregate == "countDistinct":
        return len(set(values))
    if not values:
        return None
    if aggregate == "sum":
        return sum(values)
    if aggregate == "avg":
        return sum(values) / len(values)
    return min(values) if aggregate == "min" else max(values)


async def _stamps(rows: QuerySet) -> list[dict[str, Any]]:
    return await rows.order_by("id").values(*STAMP)


def _no_keys(_: Collection) -> frozenset:
    return frozenset()


def _nothing_hidden(_: Collection) -> frozenset[str]:
    return frozenset()
