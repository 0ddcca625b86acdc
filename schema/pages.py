"""Answers to published reads, kept until the catalog changes.

A page of published courses is the same for every reader who sees only what
is public, until a release or a withdrawal changes the catalog. Both write a
change event, so the newest event id names the catalog's state in every
process: one small statement per request decides whether a kept answer is
still the answer. Only operations made wholly of published reads are kept,
and only for principals whose published view is the public one (or, for
editors, their own); channels, whose selection and pins can change without
an event, are always answered afresh.
"""

import json
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from graphql import FieldNode, OperationDefinitionNode, parse
from graphql.error import GraphQLSyntaxError
from tortoise import connections

from permissions import ALL, Action, PrincipalKind, organizations
from permissions.enforcer import policies

PUBLIC = "public"


class Pages:
    """An LRU of execution results by operation, principal scope and catalog state."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._results: OrderedDict[tuple[Any, ...], Any] = OrderedDict()

    def key(self, context: Any, request_data: Any) -> tuple[Any, ...] | None:
        """What names this operation's answer, or None if it is never kept."""
        if self.size <= 0 or not request_data.query:
            return None
        scope = _scope(context.principal)
        if scope is None:
            return None
        variables = json.dumps(request_data.variables or {}, sort_keys=True)
        # Answers relative to the clock are never the same twice.
        if "$NOW" in request_data.query or "$NOW" in variables:
            return None
        roots = root_fields(request_data.query, request_data.operation_name)
        if roots is None:
            return None
        return (scope, request_data.query, variables, request_data.operation_name)

    async def state(self) -> tuple[int, int]:
        """The catalog's state (newest change event) and the policies' generation."""
        connection = connections.get("default")
        _, rows = await connection.execute_query(
            "SELECT MAX(id) AS newest FROM change_events"
        )
        newest = rows[0]["newest"] if rows else None
        return (newest or 0, policies.generation)

    def get(self, key: tuple[Any, ...]) -> Any:
        result = self._results.get(key)
        if result is not None:
            self._results.move_to_end(key)
        return result

    def put(self, key: tuple[Any, ...], result: Any) -> None:
        self._results[key] = result
        self._results.move_to_end(key)
        while len(self._results) > self.size:
            self._results.popitem(last=False)


def keepable(context: Any, request_data: Any, result: Any) -> bool:
    """Whether an answer came wholly from published reads, without errors."""
    roots = root_fields(request_data.query, request_data.operation_name)
    return (
        roots is not None
        and not result.errors
        and not context.live
        and context.published_roots == roots
    )


def _scope(principal: Any) -> Any:
    if principal.kind is PrincipalKind.ANONYMOUS:
        return PUBLIC
    if principal.kind is not PrincipalKind.USER:
        return None
    # Editors also read earlier releases of their withdrawn courses, and
    # answer keys they may see are refused to others: their answers are theirs.
    editors = organizations(principal, Action.READ, "courses")
    keys = organizations(principal, Action.READ_KEYS, "courses")
    if editors is ALL or keys is ALL or editors or keys:
        return ("user", principal.id)
    return PUBLIC


@lru_cache(maxsize=256)
def root_fields(query: str, operation_name: str | None) -> int | None:
    """How many fields the operation asks for at its root; None if not a plain query.

    Fragments at the root, mutations and subscriptions are never kept.
    """
    try:
        document = parse(query)
    except GraphQLSyntaxError:
        return None
    operations = [
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    if operation_name is not None:
        operations = [
            o for o in operations if o.name and o.name.value == operation_name
        ]
    if len(operations) != 1 or operations[0].operation.value != "query":
        return None
    selections = operations[0].selection_set.selections
    if not all(isinstance(s, FieldNode) for s in selections):
        return None
    return len(selections)
