"""Writing many rows fast: COPY on PostgreSQL, one `executemany` per batch on SQLite.

Rows are dicts of field names to Python values; ids are given by the caller (the generator
numbers every table itself), and the sequences are moved past them when the writing is done.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model


class Table:
    """One model's columns, in order, and each column's default for rows that do not name it."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.name = model._meta.db_table
        fields = model._meta.concrete_fields
        self.fields = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.json = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
        self.defaults: dict[str, Any] = {}
        for field in fields:
            if field.has_default() and not callable(field.default):
                self.defaults[field.attname] = field.default
            elif field.has_default():  # list, dict, now(): one value serves every row
                self.defaults[field.attname] = field.default()
            elif field.null:
                self.defaults[field.attname] = None
            elif field.get_internal_type() in {"CharField", "TextField", "EmailField"}:
                self.defaults[field.attname] = ""

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        unknown = set(values) - set(self.fields)
        if unknown:
            raise KeyError(f"{self.name} has no field {sorted(unknown)}")
        out = []
        for name in self.fields:
            value = values[name] if name in values else self.defaults[name]
            if name in self.json:
                value = json.dumps(value)
            out.append(value)
        return tuple(out)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


class Writer:
    """Buffers rows per table and writes them in big batches."""

    def __init__(self, batch: int = 20_000, progress: Callable[[str, int], None] | None = None):
        self.batch = batch
        self.tables: dict[type[Model], Table] = {}
        self.buffers: dict[type[Model], list[tuple[Any, ...]]] = {}
        self.counts: dict[str, int] = {}
        self.progress = progress
        self.postgres = connection.vendor == "postgresql"

    def table(self, model: type[Model]) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model)
            self.buffers[model] = []
        return self.tables[model]

    def add(self, model: type[Model], values: dict[str, Any]) -> None:
        table = self.table(model)
        buffer = self.buffers[model]
        buffer.append(table.row(values))
        if len(buffer) >= self.batch:
            self._flush(model)

    def add_many(self, model: type[Model], rows: Iterable[dict[str, Any]]) -> None:
        for values in rows:
            self.add(model, values)

    def flush(self) -> None:
        for model in list(self.buffers):
            self._flush(model)

    def _flush(self, model: type[Model]) -> None:
        rows = self.buffers[model]
        if not rows:
            return
        table = self.tables[model]
        columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(table.columns))
                cursor.executemany(
                    f"INSERT INTO {table.name} ({columns}) VALUES ({marks})",  # noqa: S608 (names are the model's own)
                    [tuple(_sqlite_value(v) for v in row) for row in rows],
                )
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
        if self.progress is not None:
            self.progress(table.name, len(rows))
        self.buffers[model] = []

    def reset_sequences(self) -> None:
        """Move each table's id sequence past the ids written (PostgreSQL)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.tables))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
