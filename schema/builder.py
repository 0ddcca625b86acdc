"""The Directus-dialect schema, generated from the collection descriptions.

For each collection: an object type, a filter, create and update inputs, an
aggregate type; the list, `_by_id` and `_aggregated` queries; and the six
item mutations. Relations resolve through per-request DataLoaders, so the
statements a request costs grow with its depth, never with its rows.
"""

from decimal import Decimal
from typing import Any, Optional

import strawberry
from strawberry.scalars import JSON
from strawberry.types.unset import UNSET

from app.services import collections
from app.services.collections import NUMERIC, Collection, Kind
from app.settings import Settings
from schema import (
    assessments,
    credentials,
    identity,
    learning,
    publishing,
    resolvers,
    webhooks,
)
from schema.inputs import OPERATOR_TYPES, SCALARS, make_input


class SchemaBuilder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.registry = collections.exposed()
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
        for more_query, more_mutation in (
            publishing.fields(self.types),
            learning.fields(self.types),
            assessments.fields(self.types),
            credentials.fields(self.types),
            webhooks.fields(self.types, self.settings),
        ):
            query.update(more_query)
            mutation.update(more_mutation)
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
                    cls,
                    name,
                    strawberry.field(resolver=resolvers.restricted(c, name, hidden)),
                )
            else:
                # Closed vocabularies are StrEnums: strings as they stand.
                annotations[name] = annotation
        for name, rel in c.many_to_one.items():
            target = self.types[rel.target]
            returns = Optional[target]  # noqa: UP045
            setattr(
                cls,
                name,
                strawberry.field(resolver=resolvers.many_to_one(c, rel, returns)),
            )
        for name, rel in c.to_many.items():
            target = self.types[rel.target]
            fn = resolvers.to_many(
                c, rel, self._list_params(self.registry[rel.target]), target
            )
            setattr(cls, name, strawberry.field(resolver=fn))
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
            optional_id = Optional[strawberry.ID]  # noqa: UP045
            create[name] = strawberry.ID if required else optional_id
            update[name] = Optional[strawberry.ID]  # noqa: UP045
        self.creates[c.name] = _required_input(f"create_{c.name}_input", create)
        self.updates[c.name] = make_input(
            f"update_{c.name}_input", update, f"Changes to {c.name} items."
        )

    def _aggregate(self, c: Collection) -> None:
        count_fields = {name: Optional[int] for name in c.fields}  # noqa: UP045
        count_type = _output(f"{c.name}_aggregated_count", count_fields)
        numeric: dict[str, Any] = {}
        for name, spec in c.fields.items():
            if spec.kind in NUMERIC:
                number = Decimal if spec.kind is Kind.DECIMAL else float
                numeric[name] = Optional[number]  # noqa: UP045
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
            versions = {"version": resolvers.VERSION_PARAM} if c.versioned else {}
            namespace[name] = strawberry.field(
                resolver=resolvers.list_of(
                    c, self._list_params(c) | versions, list[obj]
                ),
                description=f"List {name}.",
            )
            namespace[f"{name}_by_id"] = strawberry.field(
                resolver=resolvers.by_id(c, Optional[obj]),  # noqa: UP045
                description=f"One item of {name}, or null.",
            )
            params = self._list_params(c) | versions
            params["groupBy"] = (Optional[list[str]], None)  # noqa: UP045
            namespace[f"{name}_aggregated"] = strawberry.field(
                resolver=resolvers.aggregated(c, params, list[self.aggregates[name]]),
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
                resolver=resolvers.create_one(c, create, Optional[obj])  # noqa: UP045
            )
            namespace[f"create_{name}_items"] = strawberry.mutation(
                resolver=resolvers.create_many(c, create, list[obj])
            )
            namespace[f"update_{name}_item"] = strawberry.mutation(
                resolver=resolvers.update_one(c, update, Optional[obj])  # noqa: UP045
            )
            namespace[f"update_{name}_items"] = strawberry.mutation(
                resolver=resolvers.update_many(c, update, list[obj])
            )
            namespace[f"delete_{name}_item"] = strawberry.mutation(
                resolver=resolvers.delete_one(c, self.delete_one)
            )
            namespace[f"delete_{name}_items"] = strawberry.mutation(
                resolver=resolvers.delete_many(c, self.delete_many)
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
