"""GraphQL over WebSocket: who a connection is, settled once, at connection_init."""

import logging
from typing import Any

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    SubscribeMessage,
)

from app.errors import Unauthenticated

logger = logging.getLogger("lexstack.websocket")

# graphql-transport-ws: the server refuses a connection_init with 4403.
FORBIDDEN = 4403
# A close frame's reason is at most 123 bytes.
REASON_BYTES = 123


class ConnectionHandler(BaseGraphQLTransportWSHandler):
    """graphql-transport-ws, authenticated by the connection_init payload.

    Browsers cannot set headers on a WebSocket, so the token comes in the
    payload, `{"Authorization": "Bearer <token>"}`; the upgrade request's
    Authorization header is the fallback for other clients. The principal
    then holds for the whole connection, and every operation on it gets a
    context of its own, so loaders never serve one operation another's rows.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schema = _ContextPerOperation(self.schema)

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        payload = message.get("payload") or {}
        if self.connection_init_received or not isinstance(payload, dict):
            # The protocol's own refusals: a second init, a malformed payload.
            await super().handle_connection_init(message)
            return
        try:
            principal = await self.view.auth.principal(self._authorization(payload))
        except Unauthenticated as exc:
            if self.connection_init_timeout_task:
                self.connection_init_timeout_task.cancel()
            logger.info("websocket.refused", extra={"reason": exc.message})
            reason = exc.message.encode()[:REASON_BYTES].decode(errors="ignore")
            await self.websocket.close(code=FORBIDDEN, reason=reason)
            return
        self.context.sign_in(principal)
        await super().handle_connection_init(message)

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and limit is not None
            and message["id"] not in self.operations
            and len(self.operations) >= limit
        ):
            # Strawberry refuses these too, but without a code to act on.
            error = {
                "message": f"At most {limit} operations run at once on one "
                "connection; complete one first.",
                "extensions": {"code": "LIMIT_EXCEEDED"},
            }
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [error]}
            )
            return
        await super().handle_subscribe(message)

    def _authorization(self, payload: dict[str, Any]) -> str | None:
        value = payload.get("Authorization", payload.get("authorization"))
        if value is None:
            return self.context.request.headers.get("authorization")
        if not isinstance(value, str):
            raise Unauthenticated("Send Authorization as a string: Bearer <token>.")
        return value


class _ContextPerOperation:
    """The schema, run with a fresh context (same principal) for each operation."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema

    async def stream(self, *args: Any, context_value: Any, **kwargs: Any) -> Any:
        return await self.schema.stream(
            *args, context_value=context_value.for_operation(), **kwargs
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self.schema, name)
