"""The per-request context: who is asking, their reader, and the loaders."""

from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.dataloader import DataLoader

from app.services.collections import Collection
from app.services.query import Reader
from permissions import Principal


class Context:
    """Built once per request; loaders live exactly as long as the request."""

    def __init__(
        self, principal: Principal, reader: Reader, request: Request | WebSocket | None
    ) -> None:
        self.principal = principal
        self.reader = reader
        self.request = request
        self._loaders: dict[Hashable, DataLoader] = {}
        self._hidden: dict[str, frozenset[str]] = {}

    def loader(
        self, key: Hashable, load: Callable[[list[Any]], Awaitable[list[Any]]]
    ) -> DataLoader:
        if key not in self._loaders:
            self._loaders[key] = DataLoader(load_fn=load)
        return self._loaders[key]

    def hidden(self, collection: Collection) -> frozenset[str]:
        if collection.name not in self._hidden:
            self._hidden[collection.name] = self.reader.hidden(collection)
        return self._hidden[collection.name]
