"""Who is asking, and what they may do: the one place that decides."""

from permissions.enforcer import policies
from permissions.gate import (
    ALL,
    Action,
    authorize,
    key_organizations,
    organizations,
    row_scope,
)
from permissions.principal import ANONYMOUS, SYSTEM, Principal, PrincipalKind, anonymous

__all__ = [
    "ALL",
    "ANONYMOUS",
    "SYSTEM",
    "Action",
    "Principal",
    "PrincipalKind",
    "anonymous",
    "authorize",
    "key_organizations",
    "organizations",
    "policies",
    "row_scope",
]
