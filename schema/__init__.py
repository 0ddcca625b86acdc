"""The GraphQL schema of lexstack, built once per process."""

import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from app.errors import LexstackError
from app.settings import Settings
from schema.builder import SchemaBuilder
from schema.errors import with_codes

logger = logging.getLogger("lexstack.graphql")


class LexstackSchema(strawberry.Schema):
    async def execute(self, query: str | None, *args: Any, **kwargs: Any) -> Any:
        # Codes are given here, after everything else: parse failures leave
        # the operation before any extension could see their result.
        result = await super().execute(query, *args, **kwargs)
        if result.errors:
            result.errors = with_codes(result.errors, query)
        return result

    def process_errors(
        self,
        errors: list[GraphQLError],
        execution_context: ExecutionContext | None = None,
    ) -> None:
        # Expected failures (bad input, forbidden) are answers, not incidents;
        # only unexpected exceptions are logged, with their traceback.
        for error in errors:
            original = error.original_error
            if original is None or isinstance(original, LexstackError | GraphQLError):
                continue
            logger.error(
                "graphql.internal_error",
                exc_info=(type(original), original, original.__traceback__),
                extra={"path": error.path},
            )


def build_schema(settings: Settings) -> strawberry.Schema:
    query, mutation = SchemaBuilder(settings).build()
    extensions: list[Any] = [
        # Factories, not instances: extensions keep per-operation state.
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        ParserCache,
        ValidationCache,
    ]
    return LexstackSchema(
        query=query,
        mutation=mutation,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=False),
    )
