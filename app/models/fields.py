"""Field types shared by the models."""

from typing import Any

from tortoise import fields


class HoursField(fields.DecimalField):
    """Credit hours, exact to the hundredth, stored as a number on every database.

    Tortoise stores decimals as VARCHAR on SQLite, where `hours > 2` would
    compare text ("10.00" < "2.00"). A NUMERIC column keeps comparisons,
    sorting and sums numeric; values come back quantized to two places.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 8)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    class _db_sqlite:
        SQL_TYPE = "NUMERIC(8,2)"
