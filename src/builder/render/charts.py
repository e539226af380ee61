"""Charts as data: a <div> holding its figures as JSON, drawn in the browser by assets/javascripts/charts.js
with the site's own copy of Chart.js. The page carries no script; the JSON is HTML-escaped into an attribute.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float | int | None, ...]


def chart(title: str, labels: list[str], series: list[Series], *, stacked: bool = False,
          horizontal: bool = False, unit: str = "件", line: bool = False, time: bool = False) -> str:
    """One chart as a raw HTML block (it must stand alone between blank lines in the Markdown). ``line``:
    lines over the labels (years), where a value None is a gap, never joined across; ``time``: the labels
    are years (one colour for a series, every year from the first to the last, a year without a value a
    gap). Its legend explains ⚠不符 (charts.js)."""
    spec = {
        "type": "line" if line else "bar",
        "labels": labels,
        "series": [{"label": s.label, "values": list(s.values)} for s in series],
        "stacked": stacked,
        "horizontal": horizontal,
        "unit": unit,
        "time": time or line,
    }
    data = html.escape(json.dumps(spec, ensure_ascii=False, separators=(",", ":")), quote=True)
    return (f'<div class="portal-chart" data-chart="{data}">'
            f'<canvas role="img" aria-label="{html.escape(title, quote=True)}"></canvas></div>')
