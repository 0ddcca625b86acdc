"""Compliance status over GraphQL, and the compliance roll over HTTP, for those
who may see them."""

import datetime as dt

from app.models import Organization
from app.services import enrollments
from app.services.auth import user_principal
from tests import factories
from tests.records.conftest import approved_course
from tests.records.test_downloads import _token

STATUS = """
query($j: String, $u: ID, $on: Date) {
  compliance_status(jurisdiction: $j, user: $u, on: $on) {
    jurisdiction on days_left required earned missing carried_in compliant
    period { start end deadline audience months }
    lines { category kind delivery required earned missing met source }
  }
}
"""
ON = "2026-06-01"


async def _lawyer(auth, world, email: str, last_name: str, firm=None):
    return await factories.learner(
        auth,
        email,
        firm or world.firm,
        last_name=last_name,
        birth_date="1980-03-15",
        admissions=[
            {
                "jurisdiction": "US-NY",
                "admitted_on": "2012-02-01",
                "bar_number": f"NY-{last_name}",
            }
        ],
    )


async def _complete(account, course) -> None:
    me = user_principal(account.pk)
    enrollment = await enrollments.enroll(me, course.pk)
    for lesson in await factories.lessons_of(course):
        await enrollments.complete_lesson(me, enrollment.pk, lesson.pk)


async def test_a_lawyer_reads_their_own_status_with_each_rule_behind_it(
    gql, auth, world, monkeypatch
):
    monkeypatch.setattr(
        enrollments, "now", lambda: dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
    )
    account = await _lawyer(auth, world, "ann@hartwell.example", "Avery")
    course = await approved_course(
        world.publisher,
        [{"jurisdiction": "US-NY", "credits": {"ethics": "1.50", "general": "1.00"}}],
        lessons=1,
    )
    await _complete(account, course)
    me = user_principal(account.pk)

    mine = (await gql.data(STATUS, {"on": ON}, me))["compliance_status"]
    one = (await gql.data(STATUS, {"j": "us-ny", "on": ON}, me))["compliance_status"]

    assert mine == one
    [standing] = mine
    assert standing["jurisdiction"] == "US-NY"
    assert standing["period"]["audience"] == "experienced"
    assert standing["period"]["start"] <= ON <= standing["period"]["end"]
    assert standing["period"]["months"] == 24
    # 22 NYCRR 1500.22(a): 24 hours each biennial period, 4 of them ethics.
    assert standing["required"] == "24.00"
    assert standing["earned"] == "2.50"
    assert standing["missing"] == "21.50"
    assert standing["compliant"] is False
    minimums = {
        line["category"]: line
        for line in standing["lines"]
        if line["kind"] == "minimum"
    }
    assert minimums["ethics"]["required"] == "4.00"
    assert minimums["ethics"]["earned"] == "1.50"
    assert minimums["ethics"]["missing"] == "2.50"
    assert minimums["ethics"]["met"] is False
    assert "1500" in minimums["ethics"]["source"]
    deadline = dt.date.fromisoformat(standing["period"]["deadline"])
    assert standing["days_left"] == (deadline - dt.date.fromisoformat(ON)).days


async def test_status_is_for_the_lawyer_their_firm_and_no_one_else(gql, auth, world):
    account = await _lawyer(auth, world, "ben@hartwell.example", "Brown")
    stranger = await factories.user(
        auth, "eve@bayard.example", learner=world.other_firm
    )
    variables = {"u": str(account.pk), "j": "US-NY", "on": ON}

    by_firm = await gql.data(STATUS, variables, world.admin)
    by_other_firm = await gql.error(STATUS, variables, world.other_admin)
    by_publisher = await gql.error(STATUS, variables, world.publisher_admin)
    by_stranger = await gql.error(STATUS, variables, user_principal(stranger.pk))
    anonymous = await gql.error(STATUS, variables)
    no_admission = await gql.error(
        STATUS, {**variables, "j": "US-CA"}, user_principal(account.pk)
    )

    assert by_firm["compliance_status"][0]["required"] == "24.00"
    for refused in (by_other_firm, by_publisher, by_stranger, anonymous):
        assert refused["extensions"]["code"] == "FORBIDDEN"
    assert no_admission["extensions"]["code"] == "NOT_FOUND"


async def test_the_roll_downloads_for_the_firm_and_the_regulator_only(
    http, auth, world
):
    await _lawyer(auth, world, "cy@hartwell.example", "Cole")
    await _lawyer(auth, world, "di@bayard.example", "Dunn", firm=world.other_firm)
    board = await Organization.get(slug="new-york-state-cle-board")
    await factories.user(auth, "registrar@nycourts.example", admin=board)
    await factories.user(auth, "fay@hartwell.example", learner=world.firm)
    await factories.user(auth, "admin@hartwell.example", admin=world.firm)
    url = f"/reports/compliance/us-ny.json?on={ON}"
    firm_url = f"{url}&organization={world.firm.pk}"

    regulator = await _token(http, "registrar@nycourts.example")
    firm_admin = await _token(http, "admin@hartwell.example")
    learner = await _token(http, "fay@hartwell.example")
    other_admin = await _token(http, "learning@bayard.example")

    everyone = await http.get(url, headers=regulator)
    firm = await http.get(firm_url, headers=firm_admin)
    as_csv = await http.get(firm_url.replace(".json", ".csv"), headers=firm_admin)
    firm_without_naming_itself = await http.get(url, headers=firm_admin)
    other_firm = await http.get(firm_url, headers=other_admin)
    by_learner = await http.get(firm_url, headers=learner)
    anonymous = await http.get(url)
    bad_date = await http.get(url.replace(ON, "June"), headers=regulator)

    assert everyone.status_code == 200
    assert [line["last_name"] for line in everyone.json()["lawyers"]] == [
        "Cole",
        "Dunn",
    ]
    assert firm.status_code == 200
    [cole] = firm.json()["lawyers"]
    assert cole["last_name"] == "Cole"
    assert cole["required_hours"] == "24.00"
    assert cole["compliant"] is False
    assert as_csv.text.splitlines()[1].startswith("NY-Cole,Cole,")
    for refused in (firm_without_naming_itself, other_firm, by_learner, anonymous):
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert bad_date.status_code == 400
