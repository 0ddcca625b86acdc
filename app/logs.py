"""Structured logs: one event per line, a request id on every line of a request."""

import contextvars
import json
import logging
import sys
from typing import Any

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class _Formatter(logging.Formatter):
    def __init__(self, as_json: bool) -> None:
        super().__init__()
        self.as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = {
            k: v for k, v in record.__dict__.items() if k not in _STANDARD
        }
        rid = request_id.get()
        if rid is not None:
            fields.setdefault("request_id", rid)
        event = record.getMessage()
        if self.as_json:
            line = {
                "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
                "level": record.levelname.lower(),
                "logger": record.name,
                "event": event,
                **fields,
            }
            if record.exc_info:
                line["exception"] = self.formatException(record.exc_info)
            return json.dumps(line, default=str)
        pairs = " ".join(f"{k}={v}" for k, v in fields.items())
        text = f"{self.formatTime(record, '%H:%M:%S')} {record.levelname:<7} {event}"
        text = f"{text} {pairs}" if pairs else text
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def configure(level: str = "INFO", as_json: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter(as_json))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's access log would repeat what lexstack's request line says.
    logging.getLogger("uvicorn.access").disabled = True
    # Strawberry logs every resolver error with a traceback, expected ones
    # included; lexstack logs the unexpected ones itself.
    logging.getLogger("strawberry.execution").disabled = True
    logging.getLogger("tortoise").setLevel(logging.WARNING)
    # Casbin prints its whole model at INFO on every start.
    logging.getLogger("casbin").setLevel(logging.WARNING)
