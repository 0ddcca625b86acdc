"""lexstack: a GraphQL backend for continuing legal education."""

__version__ = "0.1.0"
