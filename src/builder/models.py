"""The typed records passed between the stages: ingest → extract → validate → render → publish.

No stage reads another stage's files; each hands the next one of these. A table cell that the report
did not print, or that could not be placed with certainty, is ``None`` — never 0.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal, Mapping, Union

Value = Union[int, float, str, None]
Status = Literal["pass", "fail", "unverified"]
BlockKind = Literal["heading", "line", "table", "note"]


@dataclass(frozen=True)
class SourceFile:
    """One report file as found in reports/ (or named on the command line)."""

    path: Path  # as shown to people: relative to the reports root's parent when known
    sha256: str
    format: str  # "text", "markdown", "pdf", "docx", "doc", "wps", "html"
    region: tuple[str, ...] = ()  # province first, from folders or the sidecar
    sidecar: Mapping[str, object] = field(default_factory=dict)  # <file>.meta.yml, loaded safely

    @property
    def name(self) -> str:
        return self.path.name


Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Origin:
    """Where the report printed a value, or a row of its tables, as the reader that found it says.

    PDFs and scans: ``page`` (1-based) and ``box``, in PDF points from the page's top left corner (x0, top,
    x1, bottom, as pdfplumber gives them: on a page with /Rotate, of the page as shown; text recognised on a
    page image is mapped back through the deskew and the render scale). HTML and Word: ``table`` (1-based,
    in document order), ``row`` and ``column`` (1-based, in the source's own grid with rowspan and colspan
    expanded). Text: ``line`` (1-based) and
    ``chars`` (its first and last character, 1-based). ``text``: a row as the source printed it (a row's
    origin only). A corrected cell keeps where the report printed it and adds the ``.corrections.yml``
    file and the line of its entry (``corrections``, ``corrections_line``).
    """

    page: int | None = None
    box: Box | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    line: int | None = None
    chars: tuple[int, int] | None = None
    text: str = ""
    corrections: str | None = None
    corrections_line: int | None = None

    def to_json(self) -> dict:
        """Only what is known, in a fixed order (the open data's ``origins``)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items() if v not in (None, "")}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> "Origin":
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


def union(boxes: Iterable[Box]) -> Box | None:
    """The smallest box holding ``boxes`` (None when there are none)."""
    boxes = list(boxes)
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass(frozen=True)
class Cell:
    """One cell of a table as the source draws it: its text once, at its top-left slot, with its spans.

    ``confidence`` and ``uncertain`` are for text recognised from an image (OCR): ``confidence`` is the
    recogniser's score (0–1, ``None`` when the text was read from the file itself) and ``uncertain``
    marks a cell the recogniser is unsure of (``text`` is always what it read, look-alikes such as
    ``1O`` included). Every recognised number is cross-checked against the template's rules
    (勾稽关系) before it is kept (extract/scanned.py); otherwise the cell is unknown with the warning
    ``cell.ocr_uncertain``.
    """

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    confidence: float | None = None
    uncertain: bool = False
    origin: Origin | None = None  # where the source printed it (the reader's own coordinates)
    also: tuple[str, ...] = ()  # a second look read another number here (formats/second_look.py): unknown


@dataclass(frozen=True)
class Grid:
    """A table as a rectangle of ``height`` × ``width`` slots; each cell covers its spans' slots.

    A merged cell is one ``Cell`` (its text is never repeated); a slot no cell covers is ``None``;
    a blank cell is a cell whose text is empty.
    """

    cells: tuple[Cell, ...]
    height: int
    width: int

    @classmethod
    def from_rows(cls, rows: Iterable[Iterable[str]]) -> "Grid":
        """A grid without merged cells: each text its own 1×1 cell (short rows leave slots empty)."""
        cells = tuple(Cell(text, r, c) for r, row in enumerate(rows) for c, text in enumerate(row))
        return cls(cells, 1 + max((c.row for c in cells), default=-1), 1 + max((c.col for c in cells), default=-1))

    def slots(self) -> list[list[Cell | None]]:
        """The rectangle: for every (row, column) slot the cell that covers it, or ``None``."""
        out: list[list[Cell | None]] = [[None] * self.width for _ in range(self.height)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.rowspan, self.height)):
                for c in range(cell.col, min(cell.col + cell.colspan, self.width)):
                    if out[r][c] is None:
                        out[r][c] = cell
        return out

    @property
    def rows(self) -> tuple[tuple[str, ...], ...]:
        """Each cell's text once, in the row where it starts, left to right (a line of the table)."""
        by_row: list[list[Cell]] = [[] for _ in range(self.height)]
        for cell in self.cells:
            by_row[cell.row].append(cell)
        return tuple(tuple(c.text for c in sorted(row, key=lambda c: c.col)) for row in by_row)


@dataclass(frozen=True)
class Block:
    """Neutral content every input format turns its file into.

    ``line``: one physical line of text as the file gives it; ``heading``: a heading the file marks
    as such (Markdown ``#``, HTML ``<h2>``); ``table``: a ``Grid`` of cells, merged cells as the
    source merges them; ``note``: something the reader wants said about the file (e.g. a guessed
    encoding), which becomes a warning. ``confidence`` and ``uncertain`` are for a line recognised
    from an image, as for a ``Cell`` (a recognised table's cells carry their own).
    """

    kind: BlockKind
    text: str = ""
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = ()  # the grid's cell texts, each cell once per row (``Grid.rows``)
    grid: Grid | None = None
    confidence: float | None = None
    uncertain: bool = False
    origin: Origin | None = None  # a line's: where the source printed it (a table's cells carry their own)

    def __post_init__(self) -> None:
        # either may be given: rows alone make a grid without merged cells
        if self.grid is None and self.rows:
            object.__setattr__(self, "grid", Grid.from_rows(self.rows))
        elif self.grid is not None and not self.rows:
            object.__setattr__(self, "rows", self.grid.rows)


@dataclass(frozen=True)
class Document:
    source: SourceFile
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Finding:
    """A warning about the extraction: ``where`` is the dotted path of the table, row or cell."""

    code: str
    where: str
    message: str
    severity: Literal["info", "warning", "error"] = "warning"

    def to_json(self) -> dict:
        return {"code": self.code, "where": self.where, "message": self.message}


@dataclass(frozen=True)
class Contradiction:
    """One failing instance of a rule: ``left == right`` does not hold in the report's own figures.

    Every cell on either side is contradicted (we cannot tell which of them the report got wrong);
    ``note`` says it in one line of Chinese, e.g. "行政复议：报告所印总计为 0，各项结果之和为 11"."""

    rule: str
    instance: str  # the column, row or group, as its label: 自然人, 行政复议
    left: tuple[str, ...]  # dotted cell paths
    right: tuple[str, ...]
    note: str

    @property
    def cells(self) -> tuple[str, ...]:
        return self.left + self.right

    def to_json(self) -> dict:
        return {"instance": self.instance, "cells": list(self.cells), "message": self.note}


@dataclass(frozen=True)
class CheckResult:
    """One consistency rule (勾稽关系) judged over all its instances."""

    rule: str
    status: Status
    message: str
    failures: tuple[str, ...] = ()  # the instances that fail, e.g. "total" (a column)
    unverified: tuple[str, ...] = ()
    contradictions: tuple[Contradiction, ...] = ()  # the failing instances with their cells

    def to_json(self) -> dict:
        return {"rule": self.rule, "status": self.status, "message": self.message,
                "failures": [c.to_json() for c in self.contradictions]}


@dataclass(frozen=True)
class Correction:
    """A value a maintainer corrected by hand (``<report>.corrections.yml``), with the reason."""

    cell: str  # dotted path
    printed: Value  # what the parser read (None: unknown)
    value: Value
    reason: str
    line: int = 0  # where the entry starts in the corrections file

    def to_json(self) -> dict:
        return {"cell": self.cell, "printed": self.printed, "value": self.value, "reason": self.reason}


@dataclass(frozen=True)
class Undecided:
    """A row of run-together digits the report's own figures do not decide: its cells (dotted paths)
    and every reading of them that fits the report (extract/placement.py). The cells are null; the
    neighbouring years' reports may choose one reading (validate/across_years.py)."""

    cells: tuple[str, ...]
    readings: tuple[tuple[Value, ...], ...]


@dataclass(frozen=True)
class Statement:
    """A figure of the tables that the report restates in its prose: the sum of ``cells`` is ``value``
    (「共收到政府信息公开申请 26 件」: ``applications.new_received.total`` = 26). ``quote`` is the words
    as printed (white space removed); ``figure`` names the figure (``extract/statements.py``).

    ``use``: ``check`` — compared with the table (正文另述 where they differ: ``ProseDifference``); ``settled`` — it
    settled a cell whose digits allowed several readings; ``fits_no_reading`` — no reading of the
    table's digits gives it, so it was not used; ``scope_in_doubt`` — the prose may speak of another
    scope or composition (an office 代表 the government, 本级, 其中, a 收到 that may count the carried-over
    applications), so it neither settles a cell nor is compared with the table."""

    figure: str
    cells: tuple[str, ...]
    value: int
    quote: str
    use: Literal["check", "settled", "fits_no_reading", "scope_in_doubt"] = "check"

    def to_json(self) -> dict:
        return {"figure": self.figure, "cells": list(self.cells), "value": self.value, "text": self.quote,
                "use": self.use}


@dataclass(frozen=True)
class ProseDifference:
    """正文另述: the prose restates a figure of the tables otherwise (the same measure and scope, and no
    reading reconciles the two). Not a failed check: the table's figure stays as printed, counts in
    totals and is not marked ⚠不符; the page shows this note beside it (validate/rules/text.py)."""

    figure: str  # the statement's figure key (extract/statements.py)
    cells: tuple[str, ...]  # the table's cells the prose restates (their sum)
    prose: int
    table: int | float
    quote: str
    note: str  # "本年新收申请：正文为 1，表中为 3（正文：“…”）"

    def to_json(self) -> dict:
        return {"figure": self.figure, "cells": list(self.cells), "prose": self.prose, "table": self.table,
                "text": self.quote, "message": self.note}


Tables = dict[str, dict[str, dict[str, Value]]]


@dataclass(frozen=True)
class Passage:
    """A paragraph of a section's prose, or one of the report's own sub-headings, as plain text: its
    pieces in the order printed, each (text, bold), bold where the report marked it so (``**…**``)."""

    pieces: tuple[tuple[str, bool], ...]
    heading: bool = False

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)


Prose = tuple[Passage, ...]  # a section's text, passage by passage


def prose_text(prose: Prose) -> str:
    """A section's plain text: its passages, a blank line between two."""
    return "\n\n".join(passage.text for passage in prose)


@dataclass(frozen=True)
class Report:
    """A parsed report: metadata, the six sections' prose, the three tables, and findings."""

    source: SourceFile
    title: str
    agency: str | None
    year: int | None
    template: str | None  # "2019" or "2021"
    sections: Mapping[str, Prose]
    tables: Tables
    warnings: tuple[Finding, ...] = ()
    checks: tuple[CheckResult, ...] = ()
    named_region: tuple[str, ...] = ()  # the region the agency's name gives (extract/gazetteer.py)
    corrections: tuple[Correction, ...] = ()
    statements: tuple[Statement, ...] = ()  # figures the prose restates (extract/statements.py)
    differences: tuple[ProseDifference, ...] = ()  # 正文另述: what the prose restates otherwise (validate)
    # where the report printed each known value (a cell's dotted path) and each row it was read from
    # (a row's path: "applications.new_received", with the row's text as printed)
    origins: Mapping[str, Origin] = field(default_factory=dict)
    undecided: tuple[Undecided, ...] = ()  # run-together digits read several ways (extract/placement.py)

    @property
    def region(self) -> tuple[str, ...]:
        """From the sidecar or the folders; where both are silent, from the agency's name."""
        return self.source.region or self.named_region


@dataclass(frozen=True)
class Failure:
    """A file in reports/ that could not be parsed: it is still listed, with its reason.

    ``reason`` is for the maintainer (the file, what is wrong, the fix); ``kind`` "input" when the
    maintainer's sidecar is wrong, which stops the build, "unreadable" when the file itself is."""

    source: SourceFile
    reason: str
    kind: Literal["unreadable", "input"] = "unreadable"
