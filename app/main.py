"""The ASGI application: GraphQL, the console, and the server routes."""

import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from app import credentials_http, db, downloads, logs
from app.console import ASSETS_DIR, CONSOLE_CSP, render_console
from app.errors import Unauthenticated
from app.services import events
from app.services.auth import Auth
from app.services.query import Limits, Reader
from app.services.webhook_worker import Worker
from app.settings import Settings, get_settings
from app.websocket import ConnectionHandler
from permissions import anonymous, policies
from schema import build_schema, pages
from schema.context import Context

logger = logging.getLogger("lexstack")


class LexstackGraphQL(GraphQL):
    """Strawberry's ASGI view with lexstack's context and offline console."""

    graphql_transport_ws_handler_class = ConnectionHandler

    def __init__(self, settings: Settings, auth: Auth, **kwargs: Any) -> None:
        self.settings = settings
        self.auth = auth
        self.limits = Limits(
            default_limit=settings.default_limit, max_limit=settings.max_limit
        )
        self.pages = pages.Pages(settings.page_cache_size)
        super().__init__(
            build_schema(settings),
            graphql_ide="graphiql" if settings.graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            # Browsers send cookies with a WebSocket handshake from any page
            # and apply no CORS to it: only the API's own origin and those
            # allowed to call it may open one (cross-site WebSocket hijacking).
            allowed_origins=settings.cors_origins,
            max_subscriptions_per_connection=settings.max_operations_per_connection,
            **kwargs,
        )

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        principal = request.scope.get("state", {}).get("principal") or anonymous()
        return Context(principal, Reader(principal, self.limits), request, self.auth)

    async def execute_single(
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Context,
        root_value: Any,
        request_data: Any,
    ) -> Any:
        # Published pages are answered from memory while the catalog stands.
        key = self.pages.key(context, request_data)
        if key is not None:
            key = (*key, await self.pages.state())
            kept = self.pages.get(key)
            if kept is not None:
                return kept
        result = await super().execute_single(
            request, request_adapter, sub_response, context, root_value, request_data
        )
        if key is not None and pages.keepable(context, request_data, result):
            self.pages.put(key, result)
        return result

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(
            render_console(graphql_path=request.url.path),
            headers={"Content-Security-Policy": CONSOLE_CSP},
        )


class GraphQLEndpoint:
    """The GraphQL view, built once the ORM knows its models.

    The schema is generated from the models' metadata, which Tortoise only
    has after initialisation, so the view is made in the lifespan (or on
    the first request, where the caller manages the ORM itself).
    """

    def __init__(self, settings: Settings, auth: Auth) -> None:
        self.settings = settings
        self.auth = auth
        self.view: LexstackGraphQL | None = None

    def build(self) -> LexstackGraphQL:
        if self.view is None:
            self.view = LexstackGraphQL(self.settings, self.auth)
        return self.view

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            # A connection says who it is in its connection_init message
            # (app.websocket); its log lines share one id.
            token = logs.request_id.set(uuid.uuid4().hex[:16])
            try:
                await self.build()(scope, receive, send)
            finally:
                logs.request_id.reset(token)
            return
        # Who is asking is settled before GraphQL runs: a bad token is a 401
        # for the whole request, never a quiet fall back to anonymous.
        header = Headers(scope=scope).get("authorization")
        try:
            principal = await self.auth.principal(header)
        except Unauthenticated as exc:
            body = {
                "errors": [{"message": exc.message, "extensions": {"code": exc.code}}]
            }
            response = JSONResponse(
                body, status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.build()(scope, receive, send)


class BodyLimit:
    """Refuse request bodies above a size, before anything reads them whole.

    GraphQL's token limit applies after parsing; this stops a client from
    making the server buffer megabytes of variables first.
    """

    def __init__(
        self, app: ASGIApp, max_bytes: int, upload_bytes: int | None = None
    ) -> None:
        self.app = app
        self.default_bytes = max_bytes
        self.upload_bytes = upload_bytes or max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        uploading = scope["path"].startswith(downloads.UPLOADS)
        limit = self.upload_bytes if uploading else self.default_bytes
        await self._limited(scope, receive, send, limit)

    async def _limited(
        self, scope: Scope, receive: Receive, send: Send, max_bytes: int
    ) -> None:
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await self._refuse(scope, receive, send, max_bytes)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > max_bytes:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(scope, receive, send, max_bytes)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, max_bytes: int
    ) -> None:
        body = {
            "errors": [
                {
                    "message": f"The request body is over {max_bytes} bytes.",
                    "extensions": {"code": "LIMIT_EXCEEDED"},
                }
            ]
        }
        await JSONResponse(body, status_code=413)(scope, receive, send)


class _TooLarge(Exception):
    pass


class RequestLog:
    """One log line per HTTP request, with an id echoed as X-Request-Id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = uuid.uuid4().hex[:16]
        token = logs.request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", rid.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            logger.info(
                "http.request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            logs.request_id.reset(token)


async def ping(request: Request) -> Response:
    return PlainTextResponse("pong")


async def health(request: Request) -> Response:
    try:
        await db.ping()
    except Exception:
        logger.warning("health.database_unreachable", exc_info=True)
        return JSONResponse(
            {"status": "error", "checks": {"database": "unreachable"}}, status_code=503
        )
    return JSONResponse({"status": "ok", "checks": {"database": "ok"}})


def create_app(
    settings: Settings | None = None, *, manage_database: bool = True
) -> Starlette:
    """The application; with manage_database it opens and closes the ORM itself."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await db.init(settings)
            await policies.start(settings.redis_url)
            if settings.redis_url:
                await events.start(settings.redis_url, settings.events_channel)
        graphql.build()
        worker = Worker(settings) if settings.webhook_worker else None
        if worker is not None:
            await worker.start()
        try:
            yield
        finally:
            if worker is not None:
                await worker.stop()
            if manage_database:
                await events.stop()
                await policies.stop()
                await db.close()

    graphql = GraphQLEndpoint(settings, Auth(settings))
    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/server/ping", ping),
        Route("/server/health", health),
        *downloads.routes(graphql.auth, settings),
        *credentials_http.routes(graphql.auth),
        Mount("/assets", StaticFiles(directory=ASSETS_DIR), name="assets"),
    ]
    middleware = [
        Middleware(RequestLog),
        Middleware(
            BodyLimit,
            max_bytes=settings.max_body_bytes,
            upload_bytes=settings.max_upload_bytes,
        ),
    ]
    if settings.cors_origins:
        # Front ends on other origins (a firm intranet, a bar portal) call the
        # API from the browser; only the origins named in settings may.
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type"],
                max_age=600,
            )
        )
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
