"""Every error the API returns carries a stable code; unexpected ones are masked."""

import logging
import re
from collections.abc import Iterator

from graphql import GraphQLError, Node, ObjectFieldNode, visit
from graphql.language import Visitor
from strawberry.extensions import SchemaExtension

from app.errors import LexstackError

logger = logging.getLogger("lexstack.graphql")

_UNKNOWN_INPUT_FIELD = re.compile(
    r"Field '(?P<field>\w+)' is not defined by type '(?P<type>\w+)'"
)
_VARIABLE_PATH = re.compile(r" at '(?P<path>[\w.\[\]]+)'")
_LIMITS = (
    re.compile(r"exceeds maximum operation depth"),
    re.compile(r"aliases found\. Allowed"),
    re.compile(r"more than \d+ tokens"),
)
MASKED = "An unexpected error occurred; it has been logged."


def classify(error: GraphQLError, parents: dict[int, Node]) -> GraphQLError:
    """The same error with a stable `extensions.code` and an actionable message."""
    original = error.original_error
    if isinstance(original, LexstackError):
        return _with(error, original.message, original.code)
    if original is not None and not isinstance(original, GraphQLError):
        # Internal failures never show their message: it may hold SQL or data.
        return _with(error, MASKED, "INTERNAL", keep_location=True)

    message = error.message
    if any(p.search(message) for p in _LIMITS):
        return _with(error, message, "LIMIT_EXCEEDED")
    unknown = _UNKNOWN_INPUT_FIELD.search(message)
    if unknown and unknown["type"].endswith("_filter_operators"):
        field = _field_of_operator(error, parents, message)
        kind = unknown["type"].removesuffix("_filter_operators")
        message = (
            f'Operator "{unknown["field"]}" does not apply to field "{field}" '
            f"(a {kind} field)."
        )
    elif unknown and unknown["type"].endswith("_filter"):
        collection = unknown["type"].removesuffix("_quantifier_filter")
        collection = collection.removesuffix("_filter")
        message = f'Unknown field "{unknown["field"]}" in filter on {collection}.'
    return _with(error, message, "INVALID_INPUT")


def _field_of_operator(
    error: GraphQLError, parents: dict[int, Node], message: str
) -> str:
    """The filter field an operator was written under.

    For literals the document says it; for variables graphql-core names the
    path in its message ("at 'filter.title'").
    """
    for node in error.nodes or ():
        parent = parents.get(id(parents.get(id(node))))
        if isinstance(parent, ObjectFieldNode):
            return parent.name.value
    match = _VARIABLE_PATH.search(message)
    if match:
        return match["path"].split(".")[-1]
    return "?"


def _with(
    error: GraphQLError, message: str, code: str, *, keep_location: bool = True
) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={**(error.extensions or {}), "code": code},
    )


class _ParentMap(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.parents: dict[int, Node] = {}

    def enter(self, node, key, parent, path, ancestors):  # type: ignore[no-untyped-def]
        if isinstance(parent, Node):
            self.parents[id(node)] = parent
        elif ancestors and isinstance(ancestors[-1], Node) and isinstance(
            parent, tuple | list
        ):
            self.parents[id(node)] = ancestors[-1]


class ErrorCodes(SchemaExtension):
    """Rewrites the errors of each result: codes on all, internals masked."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if not errors:
            return
        parents: dict[int, Node] = {}
        document = self.execution_context.graphql_document
        if document is not None:
            mapper = _ParentMap()
            visit(document, mapper)
            parents = mapper.parents
        result.errors = _dedupe([classify(e, parents) for e in errors])


def _dedupe(errors: list[GraphQLError]) -> list[GraphQLError]:
    """One error per message: a field hidden on 100 rows is one answer, not 100."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for error in errors:
        key = (error.message, (error.extensions or {}).get("code", ""))
        if key not in seen:
            seen.add(key)
            kept.append(error)
    return kept
