"""Default policies of learner records, assessments and awards, for databases
whose policies were installed before those features existed.

A new database gets every default policy when lexstack first starts; a
database already holding policies gets these lines only where they are
missing, so nothing an admin changed elsewhere is touched.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

RULES = [
    ("admin", "learner_profiles", "read"),
    ("admin", "learner_profiles", "manage_learners"),
    ("admin", "bar_admissions", "read"),
    ("admin", "enrollments", "read"),
    ("admin", "lesson_progress", "read"),
    ("admin", "attempts", "read"),
    ("admin", "credits", "read"),
    ("admin", "compliance", "read"),
    ("learner", "learner_profiles", "manage_own"),
    ("learner", "enrollments", "enroll"),
    ("creator", "outcomes", "read"),
    ("reviewer", "outcomes", "read"),
    ("admin", "outcomes", "read"),
    ("reviewer", "responses", "grade"),
    ("admin", "responses", "grade"),
    ("admin", "awards", "read"),
    ("admin", "awards", "revoke"),
    ("admin", "signing_keys", "rotate"),
]


async def add_missing(apps, schema_editor) -> int:
    """Insert the rules a database holding older policies lacks; how many."""
    client = schema_editor.client
    held = await client.execute_query_dict("SELECT COUNT(*) AS n FROM casbin_rules")
    if not held or not held[0]["n"]:
        return 0
    added = 0
    for role, collection, action in RULES:
        # Constants of this file, not input: safe to write into the SQL.
        match = (
            f"ptype = 'p' AND v0 = '{role}' AND v1 = '*' AND v2 = '{collection}' "
            f"AND v3 = '{action}'"
        )
        found = await client.execute_query_dict(
            f"SELECT COUNT(*) AS n FROM casbin_rules WHERE {match}"  # noqa: S608
        )
        if found[0]["n"]:
            continue
        await client.execute_script(
            "INSERT INTO casbin_rules (ptype, v0, v1, v2, v3, v4, v5) VALUES "  # noqa: S608
            f"('p', '{role}', '*', '{collection}', '{action}', '', '')"
        )
        added += 1
    return added


class Migration(migrations.Migration):
    dependencies = [("models", "0009_credentials")]

    initial = False

    operations = [ops.RunPython(add_missing, ops.RunPython.noop)]
