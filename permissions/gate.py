"""The gate every read and write passes: an action on a collection.

Decisions are made once per request and collection, never per row: reads
get a row scope that is pushed into the SQL, so counts, aggregates and
pagination only ever see rows the principal may see.
"""

from enum import StrEnum

from tortoise.expressions import Q

from app.errors import Forbidden
from permissions.principal import Principal


class Action(StrEnum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


def authorize(principal: Principal, action: Action, collection: str) -> None:
    """Raise Forbidden unless the principal may do the action on the collection.

    Until accounts and roles exist, anyone may read and only lexstack itself
    (seeds, the command line) may write.
    """
    if action is Action.READ or principal.is_system:
        return
    raise Forbidden(f"You may not {action} items of {collection}.")


def row_scope(principal: Principal, collection: str) -> Q | None:
    """The condition on rows of the collection the principal may read; None: all."""
    return None


def readable_fields(
    principal: Principal, collection: str, restricted: frozenset[str]
) -> frozenset[str]:
    """Which of a collection's restricted fields (answer keys) the principal may read.

    Answer keys and grading notes never reach a caller who is not an editor;
    until editors exist, that is only lexstack itself.
    """
    return restricted if principal.is_system else frozenset()
