"""Writing many directory rows at once: COPY on PostgreSQL, one `executemany` on SQLite.

The ORM's bulk_create builds every row as a model instance and one large statement per batch;
an import of a county's directory writes hundreds of thousands of rows, so these go straight to
the database, inside the caller's transaction, with the database choosing the ids. Values are
given ready for the database: JSON as text (see `as_json`), times through `when`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import orjson
from django.db import connection
from django.db.models import Model


def as_json(value: Any) -> str:
    """JSON text in one canonical form (the same data is always the same text): keys sorted,
    no spaces, UTF-8 as is. orjson writes it; the standard library takes what orjson cannot
    (whole numbers past 64 bits), so the same data always takes the same way."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def when(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def insert(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    table = model._meta.db_table
    names = ", ".join(f'"{column}"' for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = f'COPY "{table}" ({names}) FROM STDIN'
            with cursor.copy(statement) as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            statement = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608
            cursor.executemany(statement, list(rows))


def update(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Each row is the new values of `columns`, then the primary key."""
    table = model._meta.db_table
    sets = ", ".join(f'"{column}" = %s' for column in columns)
    with connection.cursor() as cursor:
        cursor.executemany(
            f'UPDATE "{table}" SET {sets} WHERE "id" = %s',  # noqa: S608 (names are ours)
            list(rows),
        )
