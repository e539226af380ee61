"""Key figures of a report and their totals over many reports, never counting an unknown as 0, never
adding a contradicted figure.

A figure (``figure_of``) is a sum of ``total`` cells with its status (render/status.py): unknown when
any cell it needs is unknown (or the report's format was not recognised), contradicted when the
report's own rules contradict a cell it adds. A ``Total`` keeps the sum of the countable figures
beside how many reports gave one and which were left out: as every count is ≥ 0, the sum is then a
lower bound, shown as ``≥`` (the aggregation policy: render/status.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from builder.extract.templates import TEMPLATES
from builder.models import Report, Value
from builder.render.status import UNKNOWN_FIGURE, CellStatus, FigureStatus, Number, is_number, status_of

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


def _paths(template: str, key: str) -> tuple[str, ...]:
    """The ``total`` cells whose sum is the figure ``key`` in a format."""
    figure = FIGURE[key]
    if figure.groups:
        return tuple(f"review_litigation.{group}.total" for group in figure.groups)
    present = {r.key for r in TEMPLATES[template].table("applications").rows}
    return tuple(f"applications.{row}.total" for row in figure.rows if row in present)


_PATHS = {(template, key): _paths(template, key) for template in TEMPLATES for key in FIGURE}


def figure_of(report: Report, key: str) -> FigureStatus:
    """The figure ``key`` of ``report`` with its status (render/status.py): its value as printed, or
    unknown when the format is unknown or a cell it needs is; contradicted when a cell it adds is."""
    paths = _PATHS.get((report.template or "", key))
    return status_of(report).figure(paths) if paths else UNKNOWN_FIGURE


def countable(report: Report, key: str) -> Number | None:
    """The figure where it may be added or ranked (known, not contradicted), else None."""
    figure = figure_of(report, key)
    return figure.value if figure.countable else None


@dataclass(frozen=True)
class Total:
    """The sum of a figure over the reports where it is countable; the reports where it is unknown or
    contradicted are left out (``unknown``, ``contradicted``: which, with their figures' notes)."""

    value: Number
    known: int
    unknown: int
    contradicted: tuple[tuple[Report, tuple[str, ...]], ...] = ()

    @property
    def is_complete(self) -> bool:
        return self.unknown == 0 and not self.contradicted

    @property
    def left_out(self) -> int:
        return self.unknown + len(self.contradicted)

    def text(self) -> str:
        """``12``, or ``≥12`` when some reports are left out; when none is countable ``未知``, or ``⚠不符``
        when every one left out is contradicted (a contradiction is not an unknown)."""
        if self.known == 0:
            if not self.left_out:
                return "—"
            return "⚠不符" if not self.unknown else "未知"
        return f"{'' if self.is_complete else '≥'}{format_number(self.value)}"

    def note(self) -> str:
        """Which reports the total is made of, in words."""
        if self.is_complete:
            return f"{self.known} 份年报"
        return f"{self.known} 份年报有数，" + self.left_out_text() + "，未计入"

    def left_out_text(self, brief: bool = False) -> str:
        """"1 份未知、2 份数字自相矛盾" (brief: "1 份未知、2 份不符")."""
        parts = [f"{self.unknown} 份未知" if self.unknown else "",
                 f"{len(self.contradicted)} 份{'不符' if brief else '数字自相矛盾'}" if self.contradicted else ""]
        return "、".join(p for p in parts if p)


def total(figures: list[tuple[Report | None, FigureStatus]]) -> Total:
    """The total of some reports' figures (the report is named when its figure is contradicted)."""
    known = [f.value for _, f in figures if f.countable]
    contradicted = tuple((r, f.notes) for r, f in figures if f.kind == "contradicted")
    unknown = sum(1 for _, f in figures if f.value is None)
    return Total(sum(known), len(known), unknown, contradicted)


def total_of(reports: list[Report], key: str) -> Total:
    return total([(r, figure_of(r, key)) for r in reports])


class Tally:
    """A ``Total`` added up one cell at a time (for tables that sum every cell over many reports)."""

    def __init__(self) -> None:
        self.value: Number = 0
        self.known = self.unknown = 0
        self.contradicted: list[tuple[Report, tuple[str, ...]]] = []

    def add(self, report: Report, cell: CellStatus) -> None:
        if cell.countable:
            self.value += cell.value
            self.known += 1
        elif cell.contradictions:
            self.contradicted.append((report, tuple(dict.fromkeys(c.note for c in cell.contradictions))))
        else:
            self.unknown += 1

    def add_uncontradicted(self, value: Value) -> None:
        """``add`` of a cell that takes part in no contradiction (ReportStatus.uncontradicted_values)."""
        if is_number(value):
            self.value += value
            self.known += 1
        else:
            self.unknown += 1

    def total(self) -> Total:
        return Total(self.value, self.known, self.unknown, tuple(self.contradicted))


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
        """The outcome's share with its base (render/policy.py): counts alone below MIN_BASE."""
        from builder.render.policy import share_text  # policy is built on this module
        if not self.total_processed:
            return "—"
        return share_text(self.counts[key], self.total_processed)


def outcome_shares(reports: list[Report]) -> Shares:
    complete, unknown, inconsistent = [], 0, 0
    for report in reports:
        figures = {key: figure_of(report, key) for key in (*OUTCOMES, "total_processed")}
        values = {key: f.value for key, f in figures.items()}
        if any(v is None for v in values.values()):
            unknown += 1
        elif any(f.kind == "contradicted" for f in figures.values()) or \
                sum(values[key] for key in OUTCOMES) != values["total_processed"]:
            inconsistent += 1
        else:
            complete.append(values)
    counts = {key: sum(v[key] for v in complete) for key in OUTCOMES}
    return Shares(len(complete), unknown, inconsistent, sum(v["total_processed"] for v in complete), counts)


def ratio(report: Report, numerator: str, denominator: str) -> float | None:
    top, bottom = countable(report, numerator), countable(report, denominator)
    if top is None or not bottom:
        return None
    return top / bottom


def ranked(items: list, value: Callable, limit: int = 10) -> list:
    """The ``limit`` items with the highest known value, known zeros included (None: not known);
    ties keep the given order."""
    scored = [(value(item), n, item) for n, item in enumerate(items)]
    scored = [s for s in scored if s[0] is not None]
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [(v, item) for v, _, item in scored[:limit]]
