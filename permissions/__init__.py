"""Who is asking, and what they may do: the one place that decides."""

from permissions.gate import Action, authorize, readable_fields, row_scope
from permissions.principal import ANONYMOUS, SYSTEM, Principal

__all__ = [
    "ANONYMOUS",
    "SYSTEM",
    "Action",
    "Principal",
    "authorize",
    "readable_fields",
    "row_scope",
]
