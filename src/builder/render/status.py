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

from dataclasses import dataclass
from typing import Iterable, Literal

from builder.extract.templates import TEMPLATES
from builder.models import Contradiction, Correction, Finding, Report, Value

Kind = Literal["known", "unknown", "contradicted", "corrected"]
Number = int | float


def is_number(value: Value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class CellStatus:
    path: str  # table.row.column
    value: Value
    contradictions: tuple[Contradiction, ...] = ()  # the failing rule instances the cell takes part in
    correction: Correction | None = None
    notes: tuple[Finding, ...] = ()  # the parser's findings on this cell that still stand
    settled: tuple[Finding, ...] = ()  # the parser's findings on this cell that a correction settled

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


@dataclass(frozen=True)
class FigureStatus:
    """A sum of some cells of one report (a figure such as 行政复议 = the 总计 of its group)."""

    value: Number | None  # the sum as printed; None when a cell is unknown (or the format is)
    kind: Kind
    contradictions: tuple[Contradiction, ...] = ()

    @property
    def countable(self) -> bool:
        return self.value is not None and self.kind != "contradicted"

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.note for c in self.contradictions))


UNKNOWN_FIGURE = FigureStatus(None, "unknown")


class ReportStatus:
    """Every cell's status in one report."""

    def __init__(self, report: Report):
        self.report = report
        template = TEMPLATES.get(report.template or "")
        self.contradictions: tuple[Contradiction, ...] = tuple(
            c for check in report.checks if check.status == "fail" for c in check.contradictions)
        self.corrections: tuple[Correction, ...] = report.corrections
        corrected = {c.cell: c for c in report.corrections}
        self._figures: dict[tuple[str, ...], FigureStatus] = {}  # a page asks for a figure many times over
        by_cell: dict[str, list[Contradiction]] = {}
        for contradiction in self.contradictions:
            for path in dict.fromkeys(contradiction.cells):
                by_cell.setdefault(path, []).append(contradiction)
        self.cells: dict[str, CellStatus] = {}
        if template is None:
            return
        findings: dict[str, list[Finding]] = {}  # where (a row or a cell) → the findings there
        for finding in report.warnings:
            if "." in finding.where:
                findings.setdefault(finding.where, []).append(finding)
        for table in template.tables:
            values = report.tables.get(table.key) or {}
            for row in table.rows:
                for column in row.columns:
                    path = f"{table.key}.{row.key}.{column.key}"
                    on_cell = tuple(findings.get(f"{table.key}.{row.key}", ())) + tuple(findings.get(path, ()))
                    correction = corrected.get(path)
                    self.cells[path] = CellStatus(
                        path, (values.get(row.key) or {}).get(column.key), tuple(by_cell.get(path, ())), correction,
                        () if correction else on_cell, on_cell if correction else ())

    def cell(self, path: str) -> CellStatus:
        return self.cells.get(path) or CellStatus(path, None)

    def figure(self, paths: Iterable[str]) -> FigureStatus:
        """The sum of ``paths``: unknown if any is unknown, contradicted if any is, else known/corrected."""
        paths = tuple(paths)
        figure = self._figures.get(paths)
        if figure is None:
            figure = self._figures[paths] = self._figure(paths)
        return figure

    def _figure(self, paths: tuple[str, ...]) -> FigureStatus:
        cells = [self.cell(p) for p in paths]
        if not cells or any(c.kind == "unknown" or not is_number(c.value) for c in cells):
            return UNKNOWN_FIGURE
        contradictions = tuple(dict.fromkeys(x for c in cells for x in c.contradictions))
        kind: Kind = "contradicted" if contradictions else (
            "corrected" if any(c.correction for c in cells) else "known")
        return FigureStatus(sum(c.value for c in cells), kind, contradictions)

    @property
    def contradicted_cells(self) -> list[str]:
        return [p for p, c in self.cells.items() if c.contradictions]

    @property
    def unknown_cells(self) -> list[str]:
        return [p for p, c in self.cells.items() if c.value is None]

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
