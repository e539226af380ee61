"""Key figures of a report and their totals over many reports, never counting an unknown as 0.

A figure is ``None`` for a report when any cell it needs is unknown (or the report's format was not
recognised). A ``Total`` keeps the sum of the known values beside how many reports gave the figure
and how many did not: as every count is ≥ 0, the sum is then a lower bound, shown as ``≥``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from builder.extract.templates import TEMPLATES
from builder.models import Report, Value

Number = int | float


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    rows: tuple[str, ...]  # table 三 rows summed (column ``total``), or "" for table 四 figures
    groups: tuple[str, ...] = ()  # table 四 groups summed (column ``total``)


def _rows(prefix: str) -> tuple[str, ...]:
    return tuple(r.key for r in TEMPLATES["2021"].table("applications").rows if r.key.startswith(prefix))


DENIED = _rows("denied_")
UNAVAILABLE = _rows("unavailable_")
NOT_PROCESSED = _rows("not_processed_")
OTHER = ("other_no_correction", "other_fee_unpaid", "other")  # 2019 prints only ``other``

FIGURES: tuple[Figure, ...] = (
    Figure("received", "本年新收申请", ("new_received",)),
    Figure("carried_over", "上年结转申请", ("carried_over",)),
    Figure("granted", "予以公开", ("granted",)),
    Figure("partially_granted", "部分公开", ("partially_granted",)),
    Figure("denied", "不予公开", DENIED),
    Figure("unavailable", "无法提供", UNAVAILABLE),
    Figure("not_processed", "不予处理", NOT_PROCESSED),
    Figure("other", "其他处理", OTHER),
    Figure("total_processed", "办理结果总计", ("total_processed",)),
    Figure("carried_forward", "结转下年度继续办理", ("carried_forward",)),
    Figure("reviews", "行政复议", (), ("review",)),
    Figure("lawsuits", "行政诉讼", (), ("litigation_direct", "litigation_after_review")),
)
FIGURE = {f.key: f for f in FIGURES}
OUTCOMES = ("granted", "partially_granted", "denied", "unavailable", "not_processed", "other")


def cell(report: Report, table: str, row: str, column: str) -> Value:
    return ((report.tables.get(table) or {}).get(row) or {}).get(column)


def _paths(template: str, key: str) -> tuple[tuple[str, str], ...]:
    """The (table, row) whose ``total`` cells make the figure ``key`` in a format."""
    figure = FIGURE[key]
    if figure.groups:
        return tuple(("review_litigation", group) for group in figure.groups)
    present = {r.key for r in TEMPLATES[template].table("applications").rows}
    return tuple(("applications", row) for row in figure.rows if row in present)


_PATHS = {(template, key): _paths(template, key) for template in TEMPLATES for key in FIGURE}


_KNOWN: dict[int, tuple[Report, dict[str, Number | None]]] = {}  # id(report) → (report, its figures)


def figure_of(report: Report, key: str) -> Number | None:
    """The figure for ``report``, or None when the format is unknown or a cell it needs is unknown.

    The site asks for each report's figures many times over (its agency, regions, year, rankings):
    they are worked out once per report and kept with it (keeping the report keeps its id unique)."""
    known = _KNOWN.get(id(report))
    if known is None or known[0] is not report:
        if len(_KNOWN) >= 100_000:
            _KNOWN.clear()
        known = _KNOWN[id(report)] = (report, {k: _figure(report, k) for k in FIGURE})
    return known[1][key]


def _figure(report: Report, key: str) -> Number | None:
    paths = _PATHS.get((report.template or "", key))
    if paths is None:
        return None
    values = [cell(report, table, row, "total") for table, row in paths]
    if not values or any(not _is_number(v) for v in values):
        return None
    return sum(values)


def _is_number(value: Value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class Total:
    """The sum of a figure over the reports that give it; ``unknown`` reports are left out of it."""

    value: Number
    known: int
    unknown: int

    @property
    def is_complete(self) -> bool:
        return self.unknown == 0

    def text(self) -> str:
        """``12``, or ``≥12`` when some reports are unknown, ``未知`` when none is known."""
        if self.known == 0:
            return "未知" if self.unknown else "—"
        return f"{'' if self.is_complete else '≥'}{format_number(self.value)}"

    def note(self) -> str:
        """Which reports the total is made of, in words."""
        if self.unknown == 0:
            return f"{self.known} 份年报"
        return f"{self.known} 份年报有数，{self.unknown} 份未知未计入"


def total(values: list[Number | None]) -> Total:
    known = [v for v in values if v is not None]
    return Total(sum(known), len(known), len(values) - len(known))


def total_of(reports: list[Report], key: str) -> Total:
    return total([figure_of(r, key) for r in reports])


def sum_values(values: list[Value]) -> Total:
    """The total of some cells' values; what is not a number is unknown."""
    return total([v if _is_number(v) else None for v in values])


def format_number(value: Number) -> str:
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


@dataclass(frozen=True)
class Shares:
    """Outcomes as shares of 办理结果总计, over the reports where every outcome and the total are known
    and the outcomes add up to the total (else the shares would not mean anything)."""

    reports: int  # reports counted
    unknown: int  # reports left out: an outcome or the total is unknown
    inconsistent: int  # reports left out: the outcomes do not add up to the report's own total
    total_processed: Number
    counts: dict[str, Number]

    @property
    def left_out(self) -> int:
        return self.unknown + self.inconsistent

    def left_out_text(self) -> str:
        parts = [f"{self.unknown} 份有未知值" if self.unknown else "",
                 f"{self.inconsistent} 份各项结果之和与总计不符" if self.inconsistent else ""]
        return "，".join(p for p in parts if p)

    def percent(self, key: str) -> str:
        if not self.total_processed:
            return "—"
        return f"{100 * self.counts[key] / self.total_processed:.1f}%"


def outcome_shares(reports: list[Report]) -> Shares:
    complete, unknown, inconsistent = [], 0, 0
    for report in reports:
        values = {key: figure_of(report, key) for key in (*OUTCOMES, "total_processed")}
        if any(v is None for v in values.values()):
            unknown += 1
        elif sum(values[key] for key in OUTCOMES) != values["total_processed"]:
            inconsistent += 1
        else:
            complete.append(values)
    counts = {key: sum(v[key] for v in complete) for key in OUTCOMES}
    return Shares(len(complete), unknown, inconsistent, sum(v["total_processed"] for v in complete), counts)


def ratio(report: Report, numerator: str, denominator: str) -> float | None:
    top, bottom = figure_of(report, numerator), figure_of(report, denominator)
    if top is None or not bottom:
        return None
    return top / bottom


def ranked(items: list, value: Callable, limit: int = 10) -> list:
    """The ``limit`` items with the highest known, non-zero value; ties keep the given order."""
    scored = [(value(item), n, item) for n, item in enumerate(items)]
    scored = [s for s in scored if s[0]]
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [(v, item) for v, _, item in scored[:limit]]
