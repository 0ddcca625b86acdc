"""The gate every read and write passes: an action on a collection in an organization.

Decisions are made once per request, collection and action, never per row.
Reads get a row scope, a Directus filter that the query engine compiles into
the SQL, so counts, aggregates and pagination only ever see rows the
principal may see.
"""

import uuid
from enum import StrEnum
from typing import Any

from app.errors import Forbidden
from permissions.enforcer import policies
from permissions.principal import Principal, PrincipalKind

PUBLISHED = {"status": {"_eq": "published"}}


class Action(StrEnum):
    READ = "read"
    READ_PUBLISHED = "read_published"
    READ_KEYS = "read_keys"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    REVIEW = "review"
    PUBLISH = "publish"
    GRANT = "grant"
    MANAGE_TOKENS = "manage_tokens"
    # Learner records: a firm's admins keep their lawyers' profiles, a
    # learner their own; learners enroll; reviewers grade work product.
    MANAGE_LEARNERS = "manage_learners"
    MANAGE_OWN = "manage_own"
    ENROLL = "enroll"
    GRADE = "grade"
    # Awards: the issuing organization's admins revoke them and rotate the
    # key that signs them.
    REVOKE = "revoke"
    ROTATE = "rotate"


# Every organization: the answer for lexstack itself and platform admins.
ALL = None


def _decide(principal: Principal, key: Any, decide: Any) -> Any:
    generation = principal.decisions.get("__generation__")
    if generation != policies.generation:
        principal.decisions.clear()
        principal.decisions["__generation__"] = policies.generation
    if key not in principal.decisions:
        principal.decisions[key] = decide()
    return principal.decisions[key]


def public(action: Action, collection: str) -> bool:
    """Whether anyone at all, signed in or not, may do this."""
    return policies.enforce("anonymous", "*", collection, action.value)


def organizations(
    principal: Principal, action: Action, collection: str
) -> frozenset[uuid.UUID] | None:
    """Organizations in which the principal may do the action; ALL for every one."""

    def decide() -> frozenset[uuid.UUID] | None:
        if principal.unrestricted:
            return ALL
        if principal.kind is PrincipalKind.CHANNEL:
            allowed = policies.enforce("channel", "*", collection, action.value)
            return frozenset({principal.organization_id}) if allowed else frozenset()
        return frozenset(
            org
            for org in principal.roles
            if policies.enforce(principal.subject, str(org), collection, action.value)
        )

    return _decide(principal, ("orgs", action, collection), decide)


def authorize(
    principal: Principal,
    action: Action,
    collection: str,
    organization_id: uuid.UUID | None = None,
) -> None:
    """Raise Forbidden unless the principal may do the action.

    Without an organization, the question is whether they may do it
    anywhere; with one, whether they may do it there.
    """
    orgs = organizations(principal, action, collection)
    if orgs is ALL or public(action, collection):
        return
    if organization_id is None and orgs:
        return
    if organization_id is not None and organization_id in orgs:
        return
    raise Forbidden(f"You may not {action.value.replace('_', ' ')} {collection}.")


def row_scope(
    principal: Principal, collection: Any, action: Action = Action.READ
) -> dict[str, Any] | None:
    """The Directus filter selecting rows the principal may act on; None: all rows.

    For reads this joins what is public (reference data, published content)
    with everything of the organizations where the principal holds a role
    that reads the collection. Raises Forbidden when nothing would be left.
    """
    name = collection.name
    orgs = organizations(principal, action, name)
    if orgs is ALL:
        return None
    options: list[dict[str, Any]] = []
    if action is Action.READ and collection.versioned:
        # The working copy of course content is for those who edit or review
        # it; everyone reads what is published from releases instead.
        if principal.kind is PrincipalKind.CHANNEL or not orgs:
            raise Forbidden(
                f"You may not read the working copy (drafts) of {name}; "
                'published content is read with version: "published".'
            )
        return _in_organizations(orgs)
    if action is Action.READ:
        if public(Action.READ, name):
            return None
        published = _published(collection)
        if principal.kind is PrincipalKind.CHANNEL:
            # A channel carries published content of its own organization.
            carries = policies.enforce(
                "channel", "*", name, Action.READ_PUBLISHED.value
            )
            if published is None or not carries:
                raise Forbidden(f"A channel may not read {name}.")
            own = {"organization": {"id": {"_eq": str(principal.organization_id)}}}
            return {"_and": [published, own]}
        if published is not None and public(Action.READ_PUBLISHED, name):
            options.append(published)
        if name == "users" and principal.kind is PrincipalKind.USER:
            options.append({"id": {"_eq": str(principal.id)}})
        owner = getattr(collection, "owner_field", None)
        if owner is not None and principal.kind is PrincipalKind.USER:
            # A learner's records are theirs to read, whatever their roles.
            options.append({owner: {"id": {"_eq": str(principal.id)}}})
    if orgs and principal.kind is not PrincipalKind.CHANNEL:
        if name == "users":
            members = {str(u) for org in orgs for u in policies.members(org)}
            options.append({"id": {"_in": sorted(members)}})
        elif collection.owned:
            options.append(_in_organizations(orgs))
        elif name == "organizations":
            options.append({"id": {"_in": sorted(str(o) for o in orgs)}})
    if not options:
        raise Forbidden(f"You may not {action.value} {name}.")
    return options[0] if len(options) == 1 else {"_or": options}


def _in_organizations(orgs: frozenset[uuid.UUID]) -> dict[str, Any]:
    return {"organization": {"id": {"_in": sorted(str(o) for o in orgs)}}}


def _published(collection: Any) -> dict[str, Any] | None:
    """The filter for published rows: the row's own status, or its parent's."""
    from app.models.enums import ContentStatus
    from app.services import collections

    path: list[str] = []
    current = collection
    while getattr(current.fields.get("status"), "enum", None) is not ContentStatus:
        if current.content_parent is None:
            return None
        path.append(current.content_parent)
        current = collections.get(current.many_to_one[current.content_parent].target)
    condition: dict[str, Any] = PUBLISHED
    for step in reversed(path):
        condition = {step: condition}
    return condition


def key_organizations(principal: Principal, collection: Any) -> frozenset | None:
    """Organizations whose answer keys the principal may read; ALL for every one."""
    if not collection.restricted:
        return ALL
    return organizations(principal, Action.READ_KEYS, collection.name)
