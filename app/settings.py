"""Settings, read from environment variables prefixed with LEXSTACK_."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LEXSTACK_", env_file=".env")

    database_url: str = Field(
        default="sqlite://lexstack.sqlite3",
        description="sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DB",
    )
    host: str = "127.0.0.1"
    port: int = 8055
    public_url: str | None = Field(
        default=None, description="Base URL printed at start; derived if unset"
    )
    seed_demo: bool = Field(
        default=True, description="Load the demo catalogue when the database is new"
    )
    redis_url: str | None = Field(
        default=None,
        description="redis://HOST:PORT/DB; carries policy changes and release "
        "events between processes",
    )
    events_channel: str = Field(
        default="lexstack:events",
        description="Redis pub/sub channel for release events; processes that "
        "share it see each other's",
    )
    secret_key: str | None = Field(
        default=None,
        description="Signs access tokens; made and kept in the database if unset",
    )
    # Wraps each organization's credential signing keys at rest (AES-256-GCM
    # under a key derived from it); anyone holding it and the database can
    # sign as every issuer, so keep it apart from the database.
    credential_key: str | None = Field(
        default=None,
        min_length=32,
        description="Encrypts credential signing keys at rest; made and kept in "
        "the database if unset",
    )
    ob3_schema: Path | None = Field(
        default=None,
        description="The Open Badges 3.0 AchievementCredential JSON Schema file "
        "that verification checks credentials against",
    )
    access_token_minutes: int = Field(default=15, ge=1)
    refresh_token_days: int = Field(default=7, ge=1)
    # argon2id cost; the defaults are argon2-cffi's (about 50 ms here).
    password_time_cost: int = Field(default=3, ge=1)
    password_memory_kib: int = Field(default=65536, ge=8)
    # Failed sign-ins allowed per account and per client address in the window.
    login_failures_per_account: int = Field(default=5, ge=1)
    login_failures_per_address: int = Field(default=30, ge=1)
    login_failure_window_minutes: int = Field(default=15, ge=1)
    log_level: str = "INFO"
    log_json: bool = Field(
        default=False, description="One JSON object per log line instead of text"
    )

    # Limits protect the server from queries that are cheap to send and
    # expensive to answer.
    default_limit: int = 100
    max_limit: int = Field(default=1000, ge=1)
    max_query_depth: int = Field(default=10, ge=1)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=5000, ge=10)
    graphiql: bool = Field(default=True, description="Serve the GraphiQL console")
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # Work product is handed in as a document; only its upload route takes
    # bodies this large.
    max_upload_bytes: int = Field(default=10_485_760, ge=1024)
    page_cache_size: int = Field(
        default=512,
        ge=0,
        description="Answers to published reads kept until the catalog changes",
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Browser origins allowed to call the API, as a JSON list",
    )
    # A subscriber that falls this many events behind is ended, not buffered
    # without bound; it resumes with the cursor of the last event it saw.
    subscription_queue_size: int = Field(default=100, ge=1)
    # Operations running at once on one WebSocket, subscriptions included.
    max_operations_per_connection: int = Field(default=10, ge=1)

    webhook_worker: bool = Field(
        default=True, description="Deliver webhooks from this process"
    )
    # Webhook URLs are chosen by organization admins: without this, a URL
    # naming a loopback, private or cloud metadata address would let them
    # make the server call its own network.
    webhook_allow_private: bool = Field(
        default=False, description="Let webhooks call private and loopback addresses"
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_max_attempts: int = Field(default=15, ge=1)
    webhook_retry_base_seconds: float = Field(default=10.0, ge=0)
    webhook_retry_cap_seconds: float = Field(default=3600.0, ge=0)
    webhook_poll_seconds: float = Field(default=5.0, gt=0)
    webhook_batch_size: int = Field(default=20, ge=1)
    # A claimed delivery is not due again for this long; it must outlast an
    # attempt, or a second process would send it while the first still is.
    webhook_lease_seconds: float = Field(default=60.0, gt=0)

    @model_validator(mode="after")
    def _lease_outlasts_attempt(self) -> "Settings":
        if self.webhook_lease_seconds <= self.webhook_timeout_seconds:
            raise ValueError(
                "webhook_lease_seconds must be longer than webhook_timeout_seconds"
            )
        return self

    @property
    def database_kind(self) -> str:
        return "postgres" if self.database_url.startswith("postgres") else "sqlite"

    @property
    def base_url(self) -> str:
        """Where lexstack is reached from outside: credential ids, keys, lists."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def sqlite_path(self) -> Path | None:
        if self.database_kind != "sqlite":
            return None
        return Path(self.database_url.removeprefix("sqlite://"))


@lru_cache
def get_settings() -> Settings:
    return Settings()
