"""A small line chart drawn as SVG coordinates in the template (no JavaScript needed).

Each chart sits beside a data table with the same numbers, so nothing depends on seeing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

WIDTH = 320
HEIGHT = 140
PAD = 24


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: date
    value: Decimal


@dataclass(frozen=True)
class Chart:
    points: tuple[Point, ...]
    low: Decimal
    high: Decimal
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def bottom(self) -> int:
        return self.height - self.pad

    @property
    def right(self) -> int:
        return self.width - self.pad


def line_chart(series: list[tuple[date, Decimal]], *, low: Decimal, high: Decimal) -> Chart:
    if not series:
        return Chart(points=(), low=low, high=high)
    first = series[0][0].toordinal()
    span_days = max(series[-1][0].toordinal() - first, 1)
    span_value = max(float(high - low), 1.0)
    inner_w = WIDTH - 2 * PAD
    inner_h = HEIGHT - 2 * PAD
    points = []
    for day, value in series:
        x = PAD + inner_w * (day.toordinal() - first) / span_days if len(series) > 1 else WIDTH / 2
        y = HEIGHT - PAD - inner_h * float(min(max(value, low), high) - low) / span_value
        points.append(Point(x=x, y=y, day=day, value=value))
    return Chart(points=tuple(points), low=low, high=high)
