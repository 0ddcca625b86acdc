"""The per-request context: who is asking, their reader, and the loaders."""

from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.dataloader import DataLoader

from app.services.auth import Auth
from app.services.collections import Collection
from app.services.published import Published
from app.services.query import Reader
from permissions import Principal


class Context:
    """Built once per request; loaders live exactly as long as the request."""

    def __init__(
        self,
        principal: Principal,
        reader: Reader,
        request: Request | WebSocket | None,
        auth: Auth | None = None,
    ) -> None:
        self.principal = principal
        self._auth = auth
        self.reader = reader
        self.published = Published(reader)
        self.request = request
        self._loaders: dict[Hashable, DataLoader] = {}
        # Whether the answer came from releases alone, so it may be kept: how
        # many root fields were published reads, and whether anything read
        # live rows (the working copy, other collections).
        self.published_roots = 0
        self.live = False

    def sign_in(self, principal: Principal) -> None:
        """Who a WebSocket connection is, once its connection_init is accepted."""
        self.principal = principal
        self.reader = Reader(principal, self.reader.limits)

    def for_operation(self) -> "Context":
        """A context for one operation on a connection: same principal, new loaders."""
        return Context(
            self.principal,
            Reader(self.principal, self.reader.limits),
            self.request,
            self._auth,
        )

    def loader(
        self, key: Hashable, load: Callable[[list[Any]], Awaitable[list[Any]]]
    ) -> DataLoader:
        if key not in self._loaders:
            self._loaders[key] = DataLoader(load_fn=load)
        return self._loaders[key]

    @property
    def auth(self) -> Auth:
        if self._auth is None:
            raise RuntimeError("This context has no authentication service.")
        return self._auth

    def hidden(self, collection: Collection) -> frozenset[str]:
        return self.reader.hidden(collection)

    def key_scope(self, collection: Collection) -> frozenset | None:
        """Organizations whose answer keys may be shown; the gate remembers it."""
        return self.reader.key_scope(collection)
