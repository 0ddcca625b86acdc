"""Public credential URLs: credentials, issuers' keys, status lists, verification.

A credential is worth what a stranger can check, so none of these routes
asks who is calling: the credential itself, the issuer's profile and JWKS
and its status lists are public at stable URLs, readable from any origin,
and anyone may ask for a credential to be verified.
"""

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from app import credential_page
from app.errors import InvalidInput, LexstackError, LimitExceeded, NotFound
from app.models import Award, Organization, PracticeArea, SigningKey, StatusList
from app.services import awards, open_badges, signing, verification
from app.services.auth import Auth

STATUS = {
    "INVALID_INPUT": 400,
    "NOT_FOUND": 404,
    "LIMIT_EXCEEDED": 413,
}
JSON_TYPES = (
    "application/json",
    "application/ld+json",
    "application/vc+ld+json",
    "application/vc",
)
JWT_TYPES = ("application/vc+jwt", "application/jwt")
HTML, JSON, JWT = "html", "json", "jwt"
PUBLIC = {
    # Verifiers run in browsers on any site: let them read, never with cookies.
    "Access-Control-Allow-Origin": "*",
    "X-Content-Type-Options": "nosniff",
}


def _error(exc: LexstackError) -> JSONResponse:
    body = {"errors": [{"message": exc.message, "extensions": {"code": exc.code}}]}
    return JSONResponse(body, status_code=STATUS.get(exc.code, 500), headers=PUBLIC)


def preferred(accept: str | None) -> str:
    """What the client would rather have: the page, the JSON or the VC-JWT.

    Ties go to the earlier type in the header; no header, or only wildcards,
    gets JSON, the credential's own form.
    """
    best, best_q = JSON, -1.0
    for item in (accept or "").split(","):
        media, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        kind = {"text/html": HTML, **dict.fromkeys(JSON_TYPES, JSON)}.get(media.lower())
        if media.lower() in JWT_TYPES:
            kind = JWT
        if kind is not None and q > best_q and q > 0:
            best, best_q = kind, q
    return best


def _json(body: Any, media_type: str = "application/json", **headers: str) -> Response:
    return Response(
        signing.canonical(body),
        media_type=media_type,
        headers={**PUBLIC, **headers},
    )


async def _award(request: Request) -> Award:
    award = await Award.get_or_none(id=request.path_params["award"])
    if award is None:
        raise NotFound("No credential was issued at this address.")
    return award


async def _page(award: Award) -> Response:
    report = await verification.verify(award.jwt)
    issuer = await Organization.get(id=award.organization_id)
    page = credential_page.render(
        report,
        revoked_on=award.revoked.date().isoformat() if award.revoked else None,
        linkedin=awards.linkedin_url(award, issuer.name),
        organization_id=award.organization_id,
    )
    return HTMLResponse(
        page,
        headers={
            **credential_page.HEADERS,
            "Cache-Control": "no-cache",
            "Vary": "Accept",
        },
    )


def _as(award: Award, kind: str, vary: bool) -> Response:
    extra = {"Vary": "Accept"} if vary else {}
    if kind == JWT:
        return Response(
            award.jwt,
            media_type="application/vc+jwt",
            headers={**PUBLIC, **extra},
        )
    return _json(award.credential, "application/vc+ld+json", **extra)


async def credential(request: Request) -> Response:
    kind = preferred(request.headers.get("accept"))
    award = await Award.get_or_none(id=request.path_params["award"])
    if award is None:
        if kind == HTML:
            return HTMLResponse(
                credential_page.not_found(),
                status_code=404,
                headers=credential_page.HEADERS,
            )
        return _error(NotFound("No credential was issued at this address."))
    if kind == HTML:
        return await _page(award)
    return _as(award, kind, vary=True)


async def credential_jwt(request: Request) -> Response:
    return _as(await _award(request), JWT, vary=False)


async def credential_json(request: Request) -> Response:
    return _as(await _award(request), JSON, vary=False)


async def issuer(request: Request) -> Response:
    found = await Organization.get_or_none(id=request.path_params["organization"])
    if found is None:
        raise NotFound("No issuer at this address.")
    body = {
        "@context": [open_badges.VC_CONTEXT, open_badges.OB_CONTEXT],
        **open_badges.profile(
            open_badges.Issuer(found.pk, found.name, found.website, found.description)
        ),
    }
    return _json(body, "application/ld+json", **{"Cache-Control": "max-age=300"})


async def jwks(request: Request) -> Response:
    organization = request.path_params["organization"]
    if not await Organization.exists(id=organization):
        raise NotFound("No issuer at this address.")
    return _json(
        await signing.jwks(organization),
        "application/jwk-set+json",
        **{"Cache-Control": "max-age=300"},
    )


async def key(request: Request) -> Response:
    found = await SigningKey.get_or_none(
        id=request.path_params["key"],
        organization_id=request.path_params["organization"],
    )
    if found is None:
        raise NotFound("No such key of this issuer.")
    return _json(
        signing.public_jwk(found),
        "application/jwk+json",
        **{"Cache-Control": "max-age=86400"},
    )


async def status_list(request: Request) -> Response:
    found = await StatusList.get_or_none(id=request.path_params["status_list"])
    if found is None or found.jwt is None:
        raise NotFound("No status list at this address.")
    # Revocations must reach verifiers promptly: caches ask again each time.
    headers = {"Cache-Control": "no-cache", "Vary": "Accept"}
    if preferred(request.headers.get("accept")) == JSON:
        accept = request.headers.get("accept") or ""
        if any(t in accept for t in JSON_TYPES):
            return _json(found.credential, "application/vc+ld+json", **headers)
    return Response(
        found.jwt, media_type="application/vc+jwt", headers={**PUBLIC, **headers}
    )


async def practice_area(request: Request) -> Response:
    found = await PracticeArea.get_or_none(id=request.path_params["area"])
    if found is None:
        raise NotFound("No practice area at this address.")
    body = {
        "id": f"{signing.base_url()}/practice-areas/{found.pk}",
        "name": found.name,
        "code": found.slug,
        "description": found.description,
        "organization": signing.issuer_id(found.organization_id),
    }
    return _json(body, **{"Cache-Control": "max-age=300"})


async def _submitted(request: Request) -> Any:
    body = await request.body()
    if len(body) > verification.MAX_BYTES:
        raise LimitExceeded(f"A credential is at most {verification.MAX_BYTES} bytes.")
    try:
        text = body.decode()
    except UnicodeDecodeError as exc:
        raise InvalidInput("The credential is UTF-8 text.") from exc
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in JSON_TYPES:
        return text
    try:
        found = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InvalidInput("The body is not JSON.") from exc
    # {"credential": ...} wraps a VC-JWT or credential; a credential itself
    # has an @context.
    if isinstance(found, dict) and "credential" in found and "@context" not in found:
        return found["credential"]
    return found


def report_body(report: verification.Report) -> dict[str, Any]:
    return {
        "valid": report.valid,
        "state": report.state,
        "award": str(report.award.pk) if report.award else None,
        "checks": [
            {"name": c.name, "passed": c.ok, "detail": c.detail} for c in report.checks
        ],
        "credential": report.credential,
    }


async def verify(request: Request) -> Response:
    report = await verification.verify(await _submitted(request))
    return _json(report_body(report), **{"Cache-Control": "no-store"})


def _handled(handler: Any) -> Any:
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except LexstackError as exc:
            return _error(exc)

    return endpoint


def routes(auth: Auth) -> list[Route]:
    """The public credential routes, with URLs under the app's public_url."""
    signing.configure(auth.settings)
    return [
        Route("/credentials/verify", _handled(verify), methods=["POST"]),
        Route("/credentials/{award:uuid}.jwt", _handled(credential_jwt)),
        Route("/credentials/{award:uuid}.json", _handled(credential_json)),
        Route("/credentials/{award:uuid}", _handled(credential)),
        Route("/issuers/{organization:uuid}", _handled(issuer)),
        Route("/issuers/{organization:uuid}/jwks.json", _handled(jwks)),
        Route("/issuers/{organization:uuid}/keys/{key:uuid}", _handled(key)),
        Route("/status-lists/{status_list:uuid}", _handled(status_list)),
        Route("/practice-areas/{area:uuid}", _handled(practice_area)),
    ]
