"""Database configuration, migrations and health for SQLite and PostgreSQL."""

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate as run_migrations

from app.settings import Settings

MODELS_APP = "models"


def tortoise_config(database_url: str) -> dict[str, Any]:
    """The ORM configuration for one database URL; migrations live in the repo."""
    return {
        "connections": {"default": _connection_url(database_url)},
        "apps": {
            MODELS_APP: {
                "models": ["app.models"],
                "default_connection": "default",
                "migrations": "app.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _connection_url(database_url: str) -> str | dict[str, Any]:
    if database_url.startswith("postgresql://"):
        database_url = "postgres://" + database_url.removeprefix("postgresql://")
    if not database_url.startswith("sqlite://"):
        return database_url
    return {
        "engine": "tortoise.backends.sqlite",
        "credentials": {
            "file_path": database_url.removeprefix("sqlite://"),
            # `_contains` and `_starts_with` are case-sensitive, as on
            # PostgreSQL; SQLite's LIKE ignores case unless told otherwise.
            "case_sensitive_like": "ON",
            "busy_timeout": 5000,
        },
    }


def redact(database_url: str) -> str:
    """The URL without its password, for logs and startup lines."""
    parts = urlsplit(database_url)
    if parts.password is None:
        return database_url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


async def migrate(settings: Settings) -> None:
    """Apply every migration not yet applied; the same files serve both databases."""
    await run_migrations(config=tortoise_config(settings.database_url))


async def init(settings: Settings) -> None:
    # The global fallback lets request handlers, which run outside the task
    # that initialised the ORM, find its context.
    await Tortoise.init(
        config=tortoise_config(settings.database_url), _enable_global_fallback=True
    )


async def close() -> None:
    """Close every connection and forget the ORM context, so init may run again."""
    await Tortoise.close_connections()


async def ping() -> None:
    """Raise if the database does not answer a trivial statement."""
    await connections.get("default").execute_query("SELECT 1")


def _tortoise_cli_config() -> dict[str, Any]:
    from app.settings import get_settings

    return tortoise_config(get_settings().database_url)


# For Tortoise's own CLI (`tortoise makemigrations`), named in pyproject.toml.
TORTOISE_ORM = _tortoise_cli_config()
