"""Files over plain HTTP: compliance rolls and transcripts as CSV or JSON, and
work product handed in and fetched.

Spreadsheets, regulators' upload forms and word processors want files, not
GraphQL; these routes call the same services with the same principal, so
they answer exactly what the GraphQL fields would.
"""

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.errors import InvalidInput, LexstackError
from app.services import reports, work_product
from app.services.auth import Auth
from app.settings import Settings
from permissions import Principal

# Uploads take larger bodies than the API (see BodyLimit in app.main).
UPLOADS = "/uploads/"

STATUS = {
    "INVALID_INPUT": 400,
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "CONFLICT": 409,
    "LIMIT_EXCEEDED": 413,
}
Handler = Callable[[Request, Principal], Awaitable[Response]]


def _error(exc: LexstackError) -> JSONResponse:
    body = {"errors": [{"message": exc.message, "extensions": {"code": exc.code}}]}
    headers = {"WWW-Authenticate": "Bearer"} if exc.code == "UNAUTHENTICATED" else {}
    return JSONResponse(body, status_code=STATUS.get(exc.code, 500), headers=headers)


def _date(request: Request, name: str) -> dt.date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{name} is a date, YYYY-MM-DD.") from exc


def _format(request: Request) -> str:
    fmt = request.path_params["format"]
    if fmt not in ("csv", "json"):
        raise InvalidInput("Reports come as .csv or .json.")
    return fmt


def _file(body: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            # Learner records: never kept by a shared cache or proxy.
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def compliance_roll(request: Request, principal: Principal) -> Response:
    fmt = _format(request)
    code = request.path_params["jurisdiction"].upper()
    on = _date(request, "on")
    lines = await reports.compliance_roll(
        principal,
        code,
        organization_id=request.query_params.get("organization"),
        on=on,
    )
    name = f"compliance-{code}-{(on or dt.date.today()).isoformat()}.{fmt}"
    if fmt == "csv":
        return _file(reports.roll_csv(lines), "text/csv; charset=utf-8", name)
    body = {
        "jurisdiction": code,
        "on": (on or dt.date.today()).isoformat(),
        "lawyers": reports.plain(lines),
    }
    return _file(_json(body), "application/json", name)


async def transcript(request: Request, principal: Principal) -> Response:
    fmt = _format(request)
    found = await reports.transcript(principal, request.query_params.get("user"))
    name = f"transcript-{found.last_name.lower()}.{fmt}"
    if fmt == "csv":
        return _file(reports.transcript_csv(found), "text/csv; charset=utf-8", name)
    return _file(_json(reports.plain(found)), "application/json", name)


def upload(max_bytes: int) -> Handler:
    async def hand_in(request: Request, principal: Principal) -> Response:
        data = await request.body()
        stored = await work_product.attach_file(
            principal,
            request.path_params["attempt"],
            request.path_params["question"],
            request.query_params.get("filename") or "",
            request.headers.get("content-type") or "",
            data,
            max_bytes=max_bytes,
        )
        body = {
            "id": str(stored.pk),
            "filename": stored.filename,
            "content_type": stored.content_type,
            "size": stored.size,
            "sha256": stored.sha256,
        }
        return JSONResponse(body, status_code=201)

    return hand_in


async def download(request: Request, principal: Principal) -> Response:
    stored = await work_product.file_content(principal, request.path_params["file"])
    # Served as an attachment, never rendered: a document is the learner's
    # content, and a browser must not run it on the API's origin.
    response = _file(stored.content, stored.content_type, stored.filename)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _json(body: Any) -> bytes:
    return JSONResponse(body).body


def routes(auth: Auth, settings: Settings) -> list[Route]:
    def authenticated(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                principal = await auth.principal(request.headers.get("authorization"))
                return await handler(request, principal)
            except LexstackError as exc:
                return _error(exc)

        return endpoint

    return [
        Route(
            "/reports/compliance/{jurisdiction}.{format}",
            authenticated(compliance_roll),
        ),
        Route("/reports/transcript.{format}", authenticated(transcript)),
        Route(
            UPLOADS + "attempts/{attempt}/questions/{question}",
            authenticated(upload(settings.max_upload_bytes)),
            methods=["PUT"],
        ),
        Route("/files/{file}", authenticated(download)),
    ]
