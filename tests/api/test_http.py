"""GraphQL over HTTP, the console page and the server routes."""

import re

from app.services.collections import exposed
from tests import factories


async def test_ping_answers_pong(http):
    response = await http.get("/server/ping")

    assert (response.status_code, response.text) == (200, "pong")


async def test_health_reports_the_database(http):
    response = await http.get("/server/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


async def test_every_response_carries_a_request_id(http):
    first = await http.get("/server/ping")
    second = await http.get("/server/ping")

    ids = {first.headers["x-request-id"], second.headers["x-request-id"]}
    assert len(ids) == 2 and all(re.fullmatch(r"[0-9a-f]{16}", i) for i in ids)


async def test_post_graphql_answers_a_query(http):
    org = await factories.organization(slug="lexcel")
    await factories.course(org, title="GDPR essentials")

    response = await http.post(
        "/graphql",
        json={
            "query": "query($s: String) { courses(search: $s) { title } }",
            "variables": {"s": "gdpr"},
        },
    )

    assert response.status_code == 200
    assert response.json() == {"data": {"courses": [{"title": "GDPR essentials"}]}}


async def test_get_graphql_answers_a_query(http):
    org = await factories.organization(slug="lexcel")

    response = await http.get(
        "/graphql",
        params={"query": "{ organizations { slug } }"},
        headers={"accept": "application/json"},
    )

    assert response.status_code == 200
    assert response.json() == {"data": {"organizations": [{"slug": org.slug}]}}


async def test_get_graphql_may_not_mutate(http):
    response = await http.get(
        "/graphql",
        params={"query": "mutation { delete_courses_items(ids: []) { ids } }"},
        headers={"accept": "application/json"},
    )

    assert response.status_code == 400


async def test_errors_over_http_carry_codes(http):
    response = await http.post(
        "/graphql", json={"query": "{ courses(filter: {nope: {_eq: 1}}) { id } }"}
    )

    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "INVALID_INPUT"}
    assert body["errors"][0]["message"] == 'Unknown field "nope" in filter on courses.'


async def test_console_page_loads_only_local_assets(http):
    response = await http.get("/graphql", headers={"accept": "text/html"})

    assert response.status_code == 200
    assert "lexstack console" in response.text
    urls = [
        u
        for u in re.findall(r'(?:src|href)="([^"]+)"', response.text)
        if not u.startswith("data:")
    ]
    assert urls, "the console page names its scripts"
    assert all(u.startswith("/assets/") for u in urls), urls
    for url in urls:
        asset = await http.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 100


async def test_introspection_lists_the_directus_operations(http):
    response = await http.post(
        "/graphql",
        json={
            "query": "{ __schema { queryType { fields { name } } "
            "mutationType { fields { name } } } }"
        },
    )

    schema = response.json()["data"]["__schema"]
    queries = {f["name"] for f in schema["queryType"]["fields"]}
    mutations = {f["name"] for f in schema["mutationType"]["fields"]}
    assert {"courses", "courses_by_id", "courses_aggregated"} <= queries
    assert {
        "create_courses_item",
        "create_courses_items",
        "update_courses_item",
        "update_courses_items",
        "delete_courses_item",
        "delete_courses_items",
    } <= mutations
    for name, collection in exposed().items():
        assert {name, f"{name}_by_id", f"{name}_aggregated"} <= queries, name
        writes = {
            f"{verb}_{name}_{n}"
            for verb in ("create", "update", "delete")
            for n in ("item", "items")
        }
        if collection.read_only:
            assert not writes & mutations, name
        else:
            assert writes <= mutations, name


async def test_oversized_bodies_are_refused(http):
    variables = {"s": "x" * 2_000_000}

    response = await http.post(
        "/graphql",
        json={
            "query": "query($s: String) { courses(search: $s) { id } }",
            "variables": variables,
        },
    )

    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"] == {"code": "LIMIT_EXCEEDED"}


async def test_cross_origin_calls_only_from_named_origins(settings):
    import httpx

    from app.main import create_app

    allowed = settings.model_copy(
        update={"cors_origins": ["https://intranet.firm.example"]}
    )
    app = create_app(allowed, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://x") as client:
        ok = await client.options(
            "/graphql",
            headers={
                "Origin": "https://intranet.firm.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        other = await client.options(
            "/graphql",
            headers={
                "Origin": "https://evil.example",
                "Access-Control-Request-Method": "POST",
            },
        )

    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "https://intranet.firm.example"
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers
