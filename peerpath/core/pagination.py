"""One keyset paginator for every list that grows, pages and API alike.

A page is the first `per_page` rows in a fixed order; the cursor of the next page (`?after=`)
names the last row's sort values, so a page costs the same at row 20 and at row 2 million and a
row written meanwhile never shifts the pages. Nothing is cut off silently: a list either fits on
its page or offers the next one.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Count, Q, QuerySet, Window

T = TypeVar("T")
MAX_PER_PAGE = 200


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
    is_first: bool
    params: dict[str, str] = field(default_factory=dict)
    # The query parameter holding this list's cursor (two lists on one page need two).
    param: str = "after"

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    def next_query(self) -> str:
        """The query string of the next page, keeping the list's other parameters."""
        return urlencode({**self.params, self.param: self.next_cursor or ""})

    def first_query(self) -> str:
        return urlencode(self.params)


def _encode(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, date | datetime) else v for v in values]
    raw = json.dumps(plain, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def encode_cursor(values: Sequence[Any]) -> str:
    """A cursor for a list this paginator cannot order itself (grouped rows)."""
    return _encode(values)


def cursor_values(cursor: str, length: int) -> list[Any]:
    """The plain values a cursor from `encode_cursor` holds; a bad link is a clear 400."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != length:
        raise BadRequest("This page link is not valid. Go back to the first page.")
    return values


def _decode(
    cursor: str,
    queryset: QuerySet[Any],
    names: Sequence[str],
    annotated: dict[str, Any] | None = None,
) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(names):
            raise ValueError("wrong length")
        model = queryset.model
        fields = [(annotated or {}).get(n) or model._meta.get_field(n) for n in names]
        return [f.to_python(v) for f, v in zip(fields, values, strict=True)]
    except (ValueError, TypeError, binascii.Error, ValidationError, UnicodeDecodeError):
        raise BadRequest("This page link is not valid. Go back to the first page.") from None


def _after_q(order: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows that come after `values` in `order`: (a, b) after (x, y) is a > x or (a = x, b > y)."""
    condition = Q()
    for i, key in enumerate(order):
        name = key.lstrip("-")
        step = Q(**{f"{name}__{'lt' if key.startswith('-') else 'gt'}": values[i]})
        for earlier, value in zip(order[:i], values[:i], strict=False):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    return condition


def keyset_page(
    queryset: QuerySet[Any],
    *,
    order: Sequence[str],
    after: str | None = None,
    per_page: int = 50,
    params: dict[str, str] | None = None,
    param: str = "after",
    annotated: dict[str, Any] | None = None,
) -> Page[Any]:
    """One page of `queryset` in `order` (which must end in a unique field, such as "-id").

    An order key may name an annotation of the queryset (a Coalesce that puts empty dates
    first or last); `annotated` then gives the model field that reads its cursor value.
    """
    if not order or order[-1].lstrip("-") not in {"id", "pk"}:
        raise ValueError("the order must end with the primary key")
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    names = [key.lstrip("-") for key in order]
    ordered = queryset.order_by(*order)
    if after:
        ordered = ordered.filter(_after_q(order, _decode(after, queryset, names, annotated)))
    rows = list(ordered[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    cursor = _encode([getattr(rows[-1], n) for n in names]) if more and rows else None
    clean = {k: v for k, v in (params or {}).items() if k != param and v not in ("", None)}
    return Page(items=rows, next_cursor=cursor, is_first=not after, params=clean, param=param)


def first_and_total(queryset: QuerySet[Any], rows: int) -> tuple[list[Any], int]:
    """The first `rows` of a list and how many it holds, in one query whatever its size (a
    window count, computed before the limit): for a page that shows the top of a list and links
    to the rest."""
    first = list(queryset.annotate(_pp_total=Window(Count("pk")))[:rows])
    return first, (first[0]._pp_total if first else 0)
