"""The principal: who is asking, present on every request and service call."""

import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class PrincipalKind(StrEnum):
    ANONYMOUS = "anonymous"
    USER = "user"
    CHANNEL = "channel"
    # lexstack itself: seeds, migrations and operators at the command line.
    SYSTEM = "system"


@dataclass(eq=False)
class Principal:
    kind: PrincipalKind
    id: uuid.UUID | None = None
    # Organization id -> roles held there (admin, creator, reviewer, learner).
    roles: dict[uuid.UUID, frozenset[str]] = field(default_factory=dict)
    platform_admin: bool = False
    # A channel token's organization: the only one whose content it carries.
    organization_id: uuid.UUID | None = None
    # The channel a channel token reads as: what it carries, what it follows.
    channel_id: uuid.UUID | None = None
    # Decisions already made for this principal, valid for one policy
    # generation: the gate asks Casbin once per collection and action.
    decisions: dict[Any, Any] = field(default_factory=dict, repr=False)

    @property
    def subject(self) -> str:
        if self.kind is PrincipalKind.USER:
            return f"user:{self.id}"
        return self.kind.value

    @property
    def is_anonymous(self) -> bool:
        return self.kind is PrincipalKind.ANONYMOUS

    @property
    def is_system(self) -> bool:
        return self.kind is PrincipalKind.SYSTEM

    @property
    def unrestricted(self) -> bool:
        return self.is_system or self.platform_admin


def anonymous() -> Principal:
    return Principal(kind=PrincipalKind.ANONYMOUS)


ANONYMOUS = anonymous()
SYSTEM = Principal(kind=PrincipalKind.SYSTEM)
