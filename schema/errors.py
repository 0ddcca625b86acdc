"""Every error the API returns carries a stable code; unexpected ones are masked."""

import logging
import re

from graphql import DocumentNode, GraphQLError, Node, ObjectFieldNode, parse, visit
from graphql.language import Visitor

from app.errors import LexstackError

logger = logging.getLogger("lexstack.graphql")

_UNKNOWN_INPUT_FIELD = re.compile(
    r"Field '(?P<field>\w+)' is not defined by type '(?P<type>\w+)'"
    r"|Expected value of type '(?P<type2>\w+)' not to include unknown field "
    r"'(?P<field2>\w+)'"
)
_VARIABLE_PATH = re.compile(r" at '?(?P<path>[\w.\[\]]+?)'?:")
_LIMITS = (
    re.compile(r"exceeds maximum operation depth"),
    re.compile(r"aliases found\. Allowed"),
    re.compile(r"more than \d+ tokens"),
)
MASKED = "An unexpected error occurred; it has been logged."


def classify(error: GraphQLError, parents: dict[tuple[str, int], Node]) -> GraphQLError:
    """The same error with a stable `extensions.code` and an actionable message."""
    original = error.original_error
    if isinstance(original, LexstackError):
        # Details (the field and operator at fault, a conflict's current
        # state) go to the caller as extensions beside the code.
        error.extensions = {**(error.extensions or {}), **original.details}
        return _with(error, original.message, original.code)
    if original is not None and not isinstance(original, GraphQLError):
        # Internal failures never show their message: it may hold SQL or data.
        return _with(error, MASKED, "INTERNAL")

    message = error.message
    if any(p.search(message) for p in _LIMITS):
        return _with(error, message, "LIMIT_EXCEEDED")
    unknown = _UNKNOWN_INPUT_FIELD.search(message)
    if unknown:
        name = unknown["field"] or unknown["field2"]
        input_type = unknown["type"] or unknown["type2"]
        if input_type.endswith("_filter_operators"):
            field = _field_of_operator(error, parents, message)
            kind = input_type.removesuffix("_filter_operators")
            message = (
                f'Operator "{name}" does not apply to field "{field}" (a {kind} field).'
            )
        elif input_type.endswith("_filter"):
            collection = input_type.removesuffix("_quantifier_filter")
            collection = collection.removesuffix("_filter")
            message = f'Unknown field "{name}" in filter on {collection}.'
    return _with(error, message, "INVALID_INPUT")


def _field_of_operator(
    error: GraphQLError, parents: dict[tuple[str, int], Node], message: str
) -> str:
    """The filter field an operator was written under.

    For literals the document says it; for variables graphql-core names the
    path in its message ("at 'filter.title'").
    """
    for node in error.nodes or ():
        value = parents.get(_key(node))
        parent = parents.get(_key(value)) if value is not None else None
        if isinstance(parent, ObjectFieldNode):
            return parent.name.value
    match = _VARIABLE_PATH.search(message)
    if match:
        steps = [s for s in re.split(r"[.\[\]]", match["path"]) if s]
        return next((s for s in reversed(steps) if not s.isdigit()), "?")
    return "?"


def _with(error: GraphQLError, message: str, code: str) -> GraphQLError:
    # In place: a parse failure's error is held by a result lexstack cannot
    # reach, so the error object itself carries the change.
    error.message = message
    error.extensions = {**(error.extensions or {}), "code": code}
    if code == "INTERNAL":
        error.original_error = None
    return error


def _key(node: Node) -> tuple[str, int]:
    # Errors point into the document the server parsed; this module reparses
    # the same text, so nodes are matched by kind and offset, not identity.
    return (node.kind, node.loc.start if node.loc else -1)


class _ParentMap(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.parents: dict[tuple[str, int], Node] = {}

    def enter(self, node, key, parent, path, ancestors):  # type: ignore[no-untyped-def]
        if isinstance(parent, Node):
            self.parents[_key(node)] = parent
        elif (
            ancestors
            and isinstance(ancestors[-1], Node)
            and isinstance(parent, tuple | list)
        ):
            self.parents[_key(node)] = ancestors[-1]


def with_codes(errors: list[GraphQLError], query: str | None) -> list[GraphQLError]:
    """The errors of one result, each coded, masked where internal, deduplicated."""
    parents: dict[tuple[str, int], Node] = {}
    document = _parse_quietly(query)
    if document is not None:
        mapper = _ParentMap()
        visit(document, mapper)
        parents = mapper.parents
    return _dedupe([classify(error, parents) for error in errors])


def _parse_quietly(query: str | None) -> DocumentNode | None:
    if not query:
        return None
    try:
        return parse(query, max_tokens=20_000)
    except GraphQLError:
        return None


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
