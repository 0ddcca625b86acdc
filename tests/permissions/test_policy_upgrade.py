"""Policies of later features reach a database whose policies came before them."""

import importlib
from types import SimpleNamespace

from tortoise import connections

from app.models import CasbinRule
from permissions import policies

upgrade = importlib.import_module("app.migrations.0010_learning_policies")


def _editor() -> SimpleNamespace:
    return SimpleNamespace(client=connections.get("default"))


async def _held(rule: tuple[str, str, str]) -> int:
    role, collection, action = rule
    return await CasbinRule.filter(
        ptype="p", v0=role, v1="*", v2=collection, v3=action
    ).count()


async def test_missing_rules_are_added_once_and_others_left_alone(orm):
    everything = await CasbinRule.all().count()
    dropped = upgrade.RULES[:3]
    for role, collection, action in dropped:
        await CasbinRule.filter(
            ptype="p", v0=role, v1="*", v2=collection, v3=action
        ).delete()
    try:
        added = await upgrade.add_missing(None, _editor())
        again = await upgrade.add_missing(None, _editor())

        assert added == len(dropped)
        assert again == 0
        assert [await _held(rule) for rule in upgrade.RULES] == [1] * len(upgrade.RULES)
        assert await CasbinRule.all().count() == everything
    finally:
        await upgrade.add_missing(None, _editor())
        await policies.reload()


async def test_every_rule_is_among_the_defaults():
    defaults = {
        tuple(part.strip() for part in line.split(","))
        for line in policies_csv().splitlines()
        if line.startswith("p,")
    }

    assert {("p", role, "*", c, a) for role, c, a in upgrade.RULES} <= defaults


async def test_a_database_without_policies_is_left_to_the_first_start(orm):
    kept = await CasbinRule.all()
    await CasbinRule.all().delete()
    try:
        assert await upgrade.add_missing(None, _editor()) == 0
        assert await CasbinRule.all().count() == 0
    finally:
        await CasbinRule.bulk_create(kept)
        await policies.reload()


def policies_csv() -> str:
    from permissions.enforcer import DEFAULT_POLICIES

    return DEFAULT_POLICIES.read_text()
