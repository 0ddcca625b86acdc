"""The `lexstack` command: serve, migrate and seed."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import typer
import uvicorn
from tortoise.transactions import in_transaction

from app import db, logs
from app.errors import InvalidInput, LexstackError
from app.models import Organization
from app.services import identity
from app.services.auth import Auth
from app.settings import Settings, get_settings
from permissions import SYSTEM, policies
from seeds import loader as seeds

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
        # A WebSocket message is held whole before it is parsed, as a request
        # body is: the same bound applies.
        ws_max_size=settings.max_body_bytes,
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


@asynccontextmanager
async def _database(settings: Settings) -> AsyncIterator[None]:
    """A migrated database with its policies loaded, closed afterwards."""
    await db.migrate(settings)
    await db.close()
    await db.init(settings)
    await policies.start()
    try:
        yield
    finally:
        await policies.stop()
        await db.close()


async def _seed(settings: Settings, demo: bool) -> seeds.Tally:
    async with _database(settings):
        return await seeds.seed(demo=demo, auth=Auth(settings))


async def _prepare(settings: Settings) -> None:
    """Migrate, and on a database without organizations load the seeds."""
    async with _database(settings):
        if await Organization.exists():
            return
        typer.echo("New database: loading reference data and the demo catalogue...")
        tally = await seeds.seed(demo=settings.seed_demo, auth=Auth(settings))
        typer.echo(f"  {tally.created} rows created.")
        if settings.seed_demo:
            _print_demo_logins()


def _print_demo_logins() -> None:
    password, accounts, tokens = seeds.demo_logins()
    typer.echo(f"Demo accounts (password for all: {password}):")
    for email, roles in accounts:
        typer.echo(f"  {email:<30} {roles}")
    typer.echo("Demo channel tokens (Authorization: Bearer <token>):")
    for channel, token in tokens:
        typer.echo(f"  {channel:<30} {token}")


user_cli = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
token_cli = typer.Typer(help="Manage channel tokens.", no_args_is_help=True)
cli.add_typer(user_cli, name="user")
cli.add_typer(token_cli, name="token")


@user_cli.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Sign-in email address.")],
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, help="At least 12 characters.")
    ],
    organization: Annotated[
        str | None, typer.Option(help="Slug of the organization the roles are in.")
    ] = None,
    role: Annotated[
        list[str] | None,
        typer.Option(help="admin, creator, reviewer or learner; repeatable."),
    ] = None,
    platform_admin: Annotated[
        bool, typer.Option(help="Make the user a platform administrator.")
    ] = False,
) -> None:
    """Create a user, optionally with roles in one organization."""
    settings = get_settings()
    logs.configure(settings.log_level, settings.log_json)
    if role and not organization:
        raise typer.BadParameter("--role needs --organization.")
    try:
        user_id = asyncio.run(
            _user_create(
                settings, email, password, organization, role or [], platform_admin
            )
        )
    except LexstackError as exc:
        typer.echo(f"Error: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"Created user {email} ({user_id}).")


async def _user_create(
    settings: Settings,
    email: str,
    password: str,
    organization: str | None,
    roles: list[str],
    platform_admin: bool,
) -> str:
    async with _database(settings):
        org = None
        if organization is not None:
            org = await Organization.get_or_none(slug=organization)
            if org is None:
                raise InvalidInput(f"No organization with slug {organization!r}.")
        async with in_transaction():
            user = await identity.create_user(Auth(settings), email, password)
            for name in roles:
                await identity.grant_role(SYSTEM, user.pk, org.pk, name)
            if platform_admin:
                await identity.make_platform_admin(user)
        return str(user.pk)


@token_cli.command("create")
def token_create(
    channel: Annotated[str, typer.Option(help="The front end, e.g. 'Firm intranet'.")],
    organization: Annotated[str, typer.Option(help="Slug of the organization.")],
) -> None:
    """Create a channel token; it is printed once and stored only as a hash."""
    settings = get_settings()
    logs.configure(settings.log_level, settings.log_json)
    try:
        secret = asyncio.run(_token_create(settings, channel, organization))
    except LexstackError as exc:
        typer.echo(f"Error: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(secret)


async def _token_create(settings: Settings, channel: str, organization: str) -> str:
    async with _database(settings):
        org = await Organization.get_or_none(slug=organization)
        if org is None:
            raise InvalidInput(f"No organization with slug {organization!r}.")
        _, secret = await identity.create_channel_token(SYSTEM, org.pk, channel)
        return secret


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
