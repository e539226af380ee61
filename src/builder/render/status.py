"""What a reader may make of each number of a report, worked out once and used by every page and download.

Each cell of a report's tables has one status:

- ``known``: the report printed it, we read it with confidence, and the report's own consistency
  rules (勾稽关系) do not contradict it;
- ``unknown``: not printed, or not read with confidence (``None``; never 0);
- ``contradicted``: printed and read, but it takes part in a rule the report's own figures break
  (``报告所印总计为 0，各项结果之和为 11``): we cannot tell which of the cells involved is wrong, so
  every one of them is contradicted, with the rule's one-line note;
- ``corrected``: a maintainer corrected it by hand (``<report>.corrections.yml``), with the reason. A
  corrected cell can still be contradicted, when the correction leaves a rule broken.

Apart from its status, a cell may carry 正文另述 (``differences``): the report's prose restates its
figure otherwise (``Report.differences``). That is a note beside the figure, never a contradiction:
the cell keeps its status and counts in totals.

**The aggregation policy, the same everywhere** (totals, rankings, charts, outcome shares, the
statistics tables): a sum adds only the cells that are known (or corrected) and not contradicted.
An unknown or a contradicted cell is left out, the total is then a lower bound (``≥``, as every count
is ≥ 0), and the page says how many reports were left out and, for contradictions, which and why. A
report whose figure is contradicted takes no part in a ranking of that figure; it is listed below the
ranking with its note. Wherever a report's own contradicted figure is shown, it carries a mark and
its note.

``status_of(report)`` is the API: ``.cell(path)``, ``.figure(paths)`` and the report's lists of
contradictions and corrections. The open data says the same: ``checks[].failures[].cells`` and
``corrections``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterable, Literal

from builder.extract.templates import TEMPLATES
from builder.models import Contradiction, Correction, Finding, Report, Value

Kind = Literal["known", "unknown", "contradicted", "corrected"]
Number = int | float


def is_number(value: Value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class CellStatus:
    path: str  # table.row.column
    value: Value
    contradictions: tuple[Contradiction, ...] = ()  # the failing rule instances the cell takes part in
    correction: Correction | None = None
    notes: tuple[Finding, ...] = ()  # the parser's findings on this cell that still stand
    settled: tuple[Finding, ...] = ()  # the parser's findings on this cell that a correction settled
    differences: tuple[str, ...] = ()  # 正文另述: the prose restates it otherwise (notes); it still counts

    @property
    def kind(self) -> Kind:
        if self.value is None:
            return "unknown"
        if self.contradictions:
            return "contradicted"
        return "corrected" if self.correction else "known"

    @property
    def countable(self) -> bool:
        """May this cell be added into a total? Known (or corrected) numbers only, never contradicted."""
        return is_number(self.value) and not self.contradictions


SETTLED_ACROSS_YEARS = "cell.settled_across_years"  # its run-together digits split by the neighbouring years


def settled_across_years(cell: CellStatus) -> tuple[Finding, ...]:
    """The cell's findings that say the neighbouring years split its digits (validate/across_years.py):
    shown as its mark, 跨年核定, wherever the figure is."""
    return tuple(f for f in cell.notes if f.code == SETTLED_ACROSS_YEARS)


@dataclass(frozen=True, slots=True)
class FigureStatus:
    """A sum of some cells of one report (a figure such as 行政复议 = the 总计 of its group)."""

    value: Number | None  # the sum as printed; None when a cell is unknown (or the format is)
    kind: Kind
    contradictions: tuple[Contradiction, ...] = ()
    differences: tuple[str, ...] = ()  # 正文另述 of a cell it adds (a note; the figure still counts)

    @property
    def countable(self) -> bool:
        return self.value is not None and self.kind != "contradicted"

    @property
    def notes(self) -> tuple[str, ...]:
        if not self.contradictions:  # nearly every figure: asked for hundreds of thousands of times a build
            return ()
        return tuple(dict.fromkeys(c.note for c in self.contradictions))


UNKNOWN_FIGURE = FigureStatus(None, "unknown")


@functools.cache
def _layout(template_key: str) -> dict[str, tuple[str, str, str, str]]:
    """Every cell of a format: its path → (table, row, column, table.row). One table for every report of
    the format, so that a province's reports share the paths' strings."""
    template = TEMPLATES.get(template_key)
    return {} if template is None else {
        f"{table.key}.{row.key}.{column.key}": (table.key, row.key, column.key, f"{table.key}.{row.key}")
        for table in template.tables for row in table.rows for column in row.columns}


_PLAIN = (int, float, type(None))


@functools.lru_cache(maxsize=1 << 16)
def _plain_cell(path: str, value: Value, kind: type) -> CellStatus:
    """A cell that nothing but its value describes: one object for every report that prints the same
    number there (``kind`` keeps 5 and 5.0 apart)."""
    return CellStatus(path, value)


class ReportStatus:
    """Every cell's status in one report. A cell's status is made when it is asked for, from the report
    and the few cells that findings, contradictions or corrections name: a province's reports are held
    at once, and most of their cells are plainly known."""

    def __init__(self, report: Report):
        self.report = report
        self._layout = _layout(report.template or "")
        self.contradictions: tuple[Contradiction, ...] = tuple(
            c for check in report.checks if check.status == "fail" for c in check.contradictions)
        self.corrections: tuple[Correction, ...] = report.corrections
        self._corrected = {c.cell: c for c in report.corrections}
        self._figures: dict[tuple[str, ...], FigureStatus] = {}  # a page asks for a figure many times over
        by_cell: dict[str, list[Contradiction]] = {}
        for contradiction in self.contradictions:
            for path in dict.fromkeys(contradiction.cells):
                by_cell.setdefault(path, []).append(contradiction)
        self._by_cell = {path: tuple(found) for path, found in by_cell.items()}
        findings: dict[str, list[Finding]] = {}  # where (a row or a cell) → the findings there
        for finding in report.warnings:
            if "." in finding.where:
                findings.setdefault(finding.where, []).append(finding)
        self._findings = {where: tuple(found) for where, found in findings.items()}
        differs: dict[str, list[str]] = {}
        for difference in report.differences:
            for path in difference.cells:
                differs.setdefault(path, []).append(difference.note)
        self._differs = {path: tuple(notes) for path, notes in differs.items()}

    def cell(self, path: str) -> CellStatus:
        place = self._layout.get(path)
        if place is None:
            return CellStatus(path, None)
        value = self._value(place)
        on_cell = self._findings.get(place[3], ()) + self._findings.get(path, ())
        correction = self._corrected.get(path)
        differences = self._differs.get(path, ())
        if not on_cell and correction is None and path not in self._by_cell and not differences \
                and type(value) in _PLAIN:
            return _plain_cell(path, value, type(value))
        return CellStatus(path, value, self._by_cell.get(path, ()), correction,
                          () if correction else on_cell, on_cell if correction else (), differences)

    def uncontradicted_values(self, paths: Iterable[str]) -> list[Value] | None:
        """The values at ``paths`` when no cell of the report is contradicted (most reports), so that a
        cell counts into a total if and only if it is a number; None when one is (ask each ``cell``)."""
        if self._by_cell:
            return None
        layout, tables, values = self._layout, self.report.tables, []
        for path in paths:  # _value, inlined: 2 million cells at 10,000 reports
            place = layout.get(path)
            values.append(None if place is None else ((tables.get(place[0]) or {}).get(place[1]) or {}).get(place[2]))
        return values

    def _value(self, place: tuple[str, str, str, str]) -> Value:
        """The value printed at a cell of the format (its ``_layout`` place); None when it is not there."""
        table, row, column, _ = place
        return ((self.report.tables.get(table) or {}).get(row) or {}).get(column)

    @property
    def cells(self) -> dict[str, CellStatus]:
        """Every cell of the report's format, in the format's order (none when the format is unknown)."""
        return {path: self.cell(path) for path in self._layout}

    def figure(self, paths: Iterable[str]) -> FigureStatus:
        """The sum of ``paths``: unknown if any is unknown, contradicted if any is, else known/corrected."""
        paths = tuple(paths)
        figure = self._figures.get(paths)
        if figure is None:
            figure = self._figures[paths] = self._figure(paths)
        return figure

    def _figure(self, paths: tuple[str, ...]) -> FigureStatus:
        if not paths:
            return UNKNOWN_FIGURE
        total = 0
        for path in paths:  # as the cells' statuses say, without making them (a page asks for thousands)
            place = self._layout.get(path)
            value = None if place is None else self._value(place)
            if not isinstance(value, (int, float)) or isinstance(value, bool):  # is_number, inlined
                return UNKNOWN_FIGURE
            total += value
        if not self._by_cell and not self._corrected and not self._differs:  # most reports: nothing to note
            return FigureStatus(total, "known")
        contradictions = tuple(dict.fromkeys(c for path in paths for c in self._by_cell.get(path, ())))
        corrected = any(path in self._corrected for path in paths)
        kind: Kind = "contradicted" if contradictions else ("corrected" if corrected else "known")
        differences = tuple(dict.fromkeys(d.note for d in self.report.differences if set(d.cells) <= set(paths)))
        return FigureStatus(total, kind, contradictions, differences)

    @property
    def settled(self) -> set[Finding]:
        """The parser's findings that corrections settled (only a corrected cell has any)."""
        return {f for path in self._corrected for f in self.cell(path).settled}

    @property
    def contradicted_cells(self) -> list[str]:
        return [path for path in self._layout if self._by_cell.get(path)]

    @functools.cached_property
    def unknown_cells(self) -> list[str]:
        tables = self.report.tables  # _value, inlined: every cell of every report
        return [path for path, (table, row, column, _) in self._layout.items()
                if ((tables.get(table) or {}).get(row) or {}).get(column) is None]

    @property
    def corrected_cells(self) -> list[str]:
        return [c.cell for c in self.corrections]

    @property
    def failed_rules(self) -> list[str]:
        return [c.rule for c in self.report.checks if c.status == "fail"]


_STATUS: dict[int, ReportStatus] = {}  # id(report) → its status: pages ask for it many times over


def status_of(report: Report) -> ReportStatus:
    """The report's cell statuses, worked out once per report (the status keeps the report, so its id
    stays unique while it is cached)."""
    status = _STATUS.get(id(report))
    if status is None or status.report is not report:
        if len(_STATUS) >= 100_000:
            _STATUS.clear()
        status = _STATUS[id(report)] = ReportStatus(report)
    return status
