"""The principal: who is asking, present on every request and service call."""

import uuid
from dataclasses import dataclass, field
from enum import StrEnum


class PrincipalKind(StrEnum):
    ANONYMOUS = "anonymous"
    USER = "user"
    CHANNEL = "channel"
    # lexstack itself: seeds, migrations and operators at the command line.
    SYSTEM = "system"


@dataclass(frozen=True)
class Principal:
    kind: PrincipalKind
    id: uuid.UUID | None = None
    # Organization id -> roles held there (admin, creator, reviewer, learner).
    roles: dict[uuid.UUID, frozenset[str]] = field(default_factory=dict)

    @property
    def is_anonymous(self) -> bool:
        return self.kind is PrincipalKind.ANONYMOUS

    @property
    def is_system(self) -> bool:
        return self.kind is PrincipalKind.SYSTEM


ANONYMOUS = Principal(kind=PrincipalKind.ANONYMOUS)
SYSTEM = Principal(kind=PrincipalKind.SYSTEM)
