"""The Casbin adapter stores exactly the policy lines it is given, on both databases."""

import casbin
import pytest

from app.models import CasbinRule
from permissions.adapter import TortoiseAdapter
from permissions.enforcer import MODEL


@pytest.fixture
async def enforcer(clean):
    before = set(await CasbinRule.all().values_list("id", flat=True))
    e = casbin.AsyncEnforcer(str(MODEL), TortoiseAdapter())
    await e.load_policy()
    yield e
    await CasbinRule.exclude(id__in=before).delete()


async def reloaded() -> casbin.AsyncEnforcer:
    e = casbin.AsyncEnforcer(str(MODEL), TortoiseAdapter())
    await e.load_policy()
    return e


async def test_added_policies_survive_a_reload(enforcer):
    await enforcer.add_policy("tester", "*", "widgets", "read")
    await enforcer.add_policies(
        [["tester", "*", "widgets", "create"], ["tester", "*", "gadgets", "read"]]
    )
    await enforcer.add_grouping_policy("user:1", "tester", "org-1")

    fresh = await reloaded()

    assert fresh.enforce("user:1", "org-1", "widgets", "create")
    assert fresh.enforce("user:1", "org-1", "gadgets", "read")
    assert not fresh.enforce("user:1", "org-2", "widgets", "read")
    assert await CasbinRule.filter(v0="tester").count() == 3


async def test_removing_one_policy_leaves_the_others(enforcer):
    await enforcer.add_policies(
        [["tester", "*", "widgets", "read"], ["tester", "*", "widgets", "update"]]
    )

    await enforcer.remove_policy("tester", "*", "widgets", "read")
    fresh = await reloaded()

    assert fresh.has_policy("tester", "*", "widgets", "update")
    assert not fresh.has_policy("tester", "*", "widgets", "read")


async def test_filtered_removal_respects_the_policy_type(enforcer):
    # A p line and a g line sharing their first value: removing the g lines of
    # "tester" must not touch its p lines.
    await enforcer.add_policy("tester", "*", "widgets", "read")
    await enforcer.add_grouping_policy("tester", "admin", "org-1")

    await enforcer.remove_filtered_grouping_policy(0, "tester")
    fresh = await reloaded()

    assert fresh.has_policy("tester", "*", "widgets", "read")
    assert not fresh.has_grouping_policy("tester", "admin", "org-1")


async def test_removing_policies_in_a_batch(enforcer):
    rules = [["tester", "*", "widgets", a] for a in ("read", "create", "delete")]
    await enforcer.add_policies(rules)

    await enforcer.remove_policies(rules[:2])
    fresh = await reloaded()

    assert fresh.get_filtered_policy(0, "tester") == [rules[2]]
