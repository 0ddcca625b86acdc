"""The `lexstack` command: serve, migrate and seed."""

import asyncio
import logging
from typing import Annotated

import typer
import uvicorn

from app import db, logs
from app.settings import Settings, get_settings

logger = logging.getLogger("lexstack")

cli = typer.Typer(
    help="lexstack: a GraphQL backend for continuing legal education.",
    no_args_is_help=True,
    add_completion=False,
)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Migrate the database, seed a new one, and serve the API and console."""
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    logs.configure(settings.log_level, settings.log_json)
    asyncio.run(_prepare(settings))

    from app.main import create_app

    base = settings.public_url or f"http://{host}:{port}"
    logger.info(
        "server.starting",
        extra={"url": base, "database": db.redact(settings.database_url)},
    )
    typer.echo(f"lexstack listening on {base}")
    typer.echo(f"  GraphQL API and console: {base}/graphql")
    typer.echo(f"  Health:                  {base}/server/health")
    typer.echo(f"  Database:                {db.redact(settings.database_url)}")
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_config=None,
        proxy_headers=True,
        ws="websockets-sansio",
    )


@cli.command()
def migrate() -> None:
    """Apply the migrations the database has not had yet."""
    settings = get_settings()
    logs.configure(settings.log_level, settings.log_json)
    asyncio.run(_migrate_only(settings))
    typer.echo(f"Migrated {db.redact(settings.database_url)}")


@cli.command()
def seed(
    demo: Annotated[
        bool,
        typer.Option(help="Also load the demo catalogue, not only reference data."),
    ] = True,
) -> None:
    """Load reference data (jurisdictions, MCLE rules) and the demo catalogue.

    Safe to repeat: rows already as the seeds describe them are left alone.
    """
    settings = get_settings()
    logs.configure(settings.log_level, settings.log_json)
    tally = asyncio.run(_seed(settings, demo))
    typer.echo(
        f"Seeds: {tally.created} created, {tally.updated} updated, "
        f"{tally.unchanged} unchanged."
    )


async def _migrate_only(settings: Settings) -> None:
    try:
        await db.migrate(settings)
    finally:
        await db.close()


async def _seed(settings: Settings, demo: bool):  # type: ignore[no-untyped-def]
    from seeds.loader import seed

    await db.migrate(settings)
    await db.close()
    await db.init(settings)
    try:
        return await seed(demo=demo)
    finally:
        await db.close()


async def _prepare(settings: Settings) -> None:
    """Migrate, and on a database without organizations load the seeds."""
    from app.models import Organization
    from seeds.loader import seed

    await db.migrate(settings)
    await db.close()
    await db.init(settings)
    try:
        if not await Organization.exists():
            typer.echo("New database: loading reference data and the demo catalogue...")
            tally = await seed(demo=settings.seed_demo)
            typer.echo(f"  {tally.created} rows created.")
    finally:
        await db.close()


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
