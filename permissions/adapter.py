"""Casbin policies stored in the lexstack database, through Tortoise.

The published casbin-tortoise-adapter fails on Tortoise 1.x (its batch add
relies on bulk_create's return value, and its filtered removal ignores the
policy type, deleting rules of the wrong kind); this one is small and
tested on both databases.
"""

from collections.abc import Iterable, Sequence

from casbin import persist
from casbin.persist.adapters.asyncio import AsyncAdapter, AsyncBatchAdapter
from tortoise.expressions import Q

from app.models import CasbinRule

COLUMNS = ("v0", "v1", "v2", "v3", "v4", "v5")


def _row(ptype: str, rule: Sequence[str]) -> CasbinRule:
    return CasbinRule(ptype=ptype, **dict(zip(COLUMNS, rule, strict=False)))


def _match(ptype: str, rule: Sequence[str]) -> Q:
    values = dict(zip(COLUMNS, rule, strict=False))
    # Unused trailing columns hold "", so a rule matches only itself.
    values.update({c: "" for c in COLUMNS[len(rule) :]})
    return Q(ptype=ptype, **values)


class TortoiseAdapter(AsyncAdapter, AsyncBatchAdapter):
    async def load_policy(self, model) -> None:  # type: ignore[no-untyped-def]
        for row in await CasbinRule.all().order_by("id"):
            values = [getattr(row, c) for c in COLUMNS]
            while values and values[-1] == "":
                values.pop()
            persist.load_policy_line(", ".join([row.ptype, *values]), model)

    async def save_policy(self, model) -> bool:  # type: ignore[no-untyped-def]
        rows = [
            _row(ptype, rule)
            for sec in ("p", "g")
            if sec in model.model
            for ptype, assertion in model.model[sec].items()
            for rule in assertion.policy
        ]
        await CasbinRule.all().delete()
        await CasbinRule.bulk_create(rows)
        return True

    async def add_policy(self, sec: str, ptype: str, rule: Sequence[str]) -> None:
        await _row(ptype, rule).save()

    async def add_policies(
        self, sec: str, ptype: str, rules: Iterable[Sequence[str]]
    ) -> None:
        await CasbinRule.bulk_create([_row(ptype, rule) for rule in rules])

    async def remove_policy(self, sec: str, ptype: str, rule: Sequence[str]) -> bool:
        return await CasbinRule.filter(_match(ptype, rule)).delete() > 0

    async def remove_policies(
        self, sec: str, ptype: str, rules: Iterable[Sequence[str]]
    ) -> None:
        for rule in rules:
            await CasbinRule.filter(_match(ptype, rule)).delete()

    async def remove_filtered_policy(
        self, sec: str, ptype: str, field_index: int, *field_values: str
    ) -> bool:
        conditions = {
            COLUMNS[field_index + i]: value
            for i, value in enumerate(field_values)
            if value
        }
        return await CasbinRule.filter(ptype=ptype, **conditions).delete() > 0
