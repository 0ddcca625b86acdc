"""The process's Casbin enforcer: policies from the database, kept in step."""

import logging
import uuid
from pathlib import Path

import casbin

from app.models import CasbinRule
from permissions.adapter import TortoiseAdapter
from permissions.watcher import RedisWatcher

logger = logging.getLogger("lexstack.permissions")

HERE = Path(__file__).parent
MODEL = HERE / "model.conf"
DEFAULT_POLICIES = HERE / "policy.csv"
PLATFORM = "*"


class Policies:
    """The enforcer and a generation number that changes with every reload."""

    def __init__(self) -> None:
        self.enforcer: casbin.AsyncEnforcer | None = None
        self.watcher: RedisWatcher | None = None
        self._generation = 0
        self._decisions: dict[tuple[str, str, str, str], bool] = {}

    @property
    def generation(self) -> int:
        return self._generation

    @generation.setter
    def generation(self, value: int) -> None:
        # Any change to the policies voids every remembered decision.
        self._generation = value
        self._decisions.clear()

    def enforce(self, subject: str, domain: str, collection: str, action: str) -> bool:
        """Casbin's decision, remembered until the policies change.

        Casbin evaluates its matcher against every policy line (about 0.35 ms
        with the default policies); the same question recurs on every
        request, so the answer is kept.
        """
        key = (subject, domain, collection, action)
        decision = self._decisions.get(key)
        if decision is None:
            decision = self.require().enforce(subject, domain, collection, action)
            if len(self._decisions) > 100_000:
                self._decisions.clear()
            self._decisions[key] = decision
        return decision

    async def start(self, redis_url: str | None = None) -> None:
        enforcer = casbin.AsyncEnforcer(str(MODEL), TortoiseAdapter())
        if not await CasbinRule.exists():
            await _install_defaults(enforcer)
        await enforcer.load_policy()
        self.enforcer = enforcer
        self.generation += 1
        if redis_url:
            self.watcher = RedisWatcher(redis_url)
            enforcer.set_watcher(self.watcher)
            await self.watcher.start(self.reload)

    async def reload(self) -> None:
        assert self.enforcer is not None
        await self.enforcer.load_policy()
        self.generation += 1

    async def stop(self) -> None:
        if self.watcher is not None:
            await self.watcher.close()
        self.enforcer = None
        self.watcher = None

    def require(self) -> casbin.AsyncEnforcer:
        if self.enforcer is None:
            raise RuntimeError("Policies are not loaded; call policies.start().")
        return self.enforcer

    def roles(self, subject: str) -> dict[uuid.UUID, frozenset[str]]:
        """Roles by organization for a subject such as user:<id>."""
        found: dict[uuid.UUID, set[str]] = {}
        for _, role, domain in self.require().get_filtered_grouping_policy(0, subject):
            if domain != PLATFORM:
                found.setdefault(uuid.UUID(domain), set()).add(role)
        return {org: frozenset(r) for org, r in found.items()}

    def is_platform_admin(self, subject: str) -> bool:
        return self.require().has_grouping_policy(subject, "platform_admin", PLATFORM)

    def members(self, organization: uuid.UUID) -> dict[uuid.UUID, frozenset[str]]:
        """Users holding roles in the organization, with their roles."""
        found: dict[uuid.UUID, set[str]] = {}
        rules = self.require().get_filtered_grouping_policy(2, str(organization))
        for subject, role, _ in rules:
            if subject.startswith("user:"):
                found.setdefault(uuid.UUID(subject[5:]), set()).add(role)
        return {user: frozenset(r) for user, r in found.items()}

    async def grant(self, subject: str, role: str, domain: str) -> bool:
        added = await self.require().add_grouping_policy(subject, role, domain)
        self.generation += 1
        return added

    async def revoke(self, subject: str, role: str, domain: str) -> bool:
        removed = await self.require().remove_grouping_policy(subject, role, domain)
        self.generation += 1
        return removed


async def _install_defaults(enforcer: casbin.AsyncEnforcer) -> None:
    rules = []
    for line in DEFAULT_POLICIES.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rules.append([part.strip() for part in line.split(",")])
    await CasbinRule.bulk_create(
        [
            CasbinRule(
                ptype=r[0], **dict(zip(("v0", "v1", "v2", "v3"), r[1:], strict=False))
            )
            for r in rules
        ]
    )
    logger.info("policies.installed", extra={"rules": len(rules)})


policies = Policies()
