"""The GraphQL schema of lexstack, built once per process."""

import logging
from collections.abc import AsyncIterator
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.utils.aio import aclosing

from app.errors import LexstackError
from app.settings import Settings
from schema.builder import SchemaBuilder
from schema.errors import with_codes
from schema.subscriptions import subscription_type

logger = logging.getLogger("lexstack.graphql")

SUBSCRIBE_OVER_WEBSOCKET = (
    "Subscriptions run over a WebSocket to /graphql (graphql-transport-ws), "
    "not over HTTP."
)


class LexstackSchema(strawberry.Schema):
    async def execute(self, query: str | None, *args: Any, **kwargs: Any) -> Any:
        # A subscription has no single result to answer a request with.
        allowed = kwargs.get("allowed_operation_types")
        allowed = set(OperationType) if allowed is None else set(allowed)
        kwargs["allowed_operation_types"] = allowed - {OperationType.SUBSCRIPTION}
        try:
            result = await super().execute(query, *args, **kwargs)
        except InvalidOperationTypeError as exc:
            if exc.operation_type is not OperationType.SUBSCRIPTION:
                raise
            error = GraphQLError(SUBSCRIBE_OVER_WEBSOCKET)
            result = ExecutionResult(data=None, errors=[error])
        # Codes are given here, after everything else: parse failures leave
        # the operation before any extension could see their result.
        if result.errors:
            result.errors = with_codes(result.errors, query)
        return result

    async def stream(self, query: str | None, *args: Any, **kwargs: Any) -> Any:
        # Operations over a WebSocket, subscriptions and queries alike, come
        # through here rather than `execute`: their errors get the same codes.
        results = await super().stream(query, *args, **kwargs)
        return _coded(results, query)

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


async def _coded(results: Any, query: str | None) -> AsyncIterator[Any]:
    async with aclosing(results):
        async for result in results:
            if isinstance(result, ExecutionResult) and result.errors:
                result.errors = with_codes(result.errors, query)
            yield result


def build_schema(settings: Settings) -> strawberry.Schema:
    query, mutation = SchemaBuilder(settings).build()
    # The depth and alias limits are validation rules, made once: validated
    # documents are cached by the rules they were checked with, and rules
    # made afresh for each operation would never find their document again.
    limits = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    extensions: list[Any] = [
        # Factories, not instances: extensions keep per-operation state.
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: AddValidationRules(limits),
        ParserCache,
        ValidationCache,
    ]
    return LexstackSchema(
        query=query,
        mutation=mutation,
        subscription=subscription_type(settings.subscription_queue_size),
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=False),
    )
