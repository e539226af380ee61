"""The open data as tables for spreadsheets: a wide CSV per table and format; per year, a long CSV (zipped)
and an XLSX workbook of the wide tables. Split by year so that a new report rewrites only its year's
files, and no file outgrows a spreadsheet at province scale.

Column meanings are documented on the downloads page (templates/downloads.md.j2): change both together.
Unknown cells are empty (never 0) and flagged. Output is byte-identical for the same reports.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Iterable, Iterator
from datetime import datetime

from builder.extract.templates import TEMPLATES
from builder.models import Report, Value
from builder.render.entries import Entry
from builder.render.quality import TABLE_NUMBERS, row_label

ALL_JSON = "data/all.json.zip"  # a ZIP holding all.json
REPORT_COLUMNS = ("report", "agency", "region", "province", "city", "county", "year", "template")
LONG_COLUMNS = (*REPORT_COLUMNS, "table", "row", "column", "table_label", "row_label", "column_label",
                "value", "unknown", "warning")
_FIXED_DATE = datetime(2019, 5, 15)  # a constant, so that two builds give the same bytes
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_LEVEL = 6  # zlib's default: the long table shrinks about twentyfold


@dataclass(frozen=True)
class WideTable:
    table: str
    template: str
    path: str
    columns: tuple[str, ...]  # row.column keys, in the official order
    rows: list[list[str]]


@dataclass(frozen=True)
class YearFiles:
    """The downloads of one year's reports (``label``: the year, or ``unknown`` for reports without one)."""

    label: str
    entries: list[Entry]

    @property
    def long_csv(self) -> str:
        return f"data/tables-long-{self.label}.csv.zip"  # a ZIP holding tables-long-<label>.csv

    @property
    def xlsx(self) -> str:
        return f"data/reports-{self.label}.xlsx"


def by_year(entries: list[Entry]) -> list[YearFiles]:
    """The reports' downloads by year, newest first (``entries`` are in page order already)."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.report:
            groups.setdefault(str(entry.report.year or "unknown"), []).append(entry)
    return [YearFiles(label, group) for label, group in groups.items()]


def wide_csv_path(table: str, template: str) -> str:
    return f"data/{table}-{template}.csv"


def report_cells(entry: Entry) -> list[str]:
    report = entry.report
    region = report.region
    return [entry.slug, report.agency or "", " / ".join(region), *(_level(region, i) for i in range(3)),
            str(report.year or ""), report.template or ""]


def _level(region: tuple[str, ...], index: int) -> str:
    if index == 2:
        return " / ".join(region[2:])  # a fourth folder level stays with the county
    return region[index] if len(region) > index else ""


def value_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def long_rows(entries: list[Entry]) -> Iterator[list[str]]:
    """One row per cell of every report, report after report (a generator: at province scale the rows
    would not fit in memory as a list)."""
    labels = {template.key: [(table, row, column, f"{table.key}.{row.key}.{column.key}",
                              f"{TABLE_NUMBERS[table.key]} {table.title}", row_label(table, row.key))
                             for table in template.tables for row in table.rows for column in row.columns]
              for template in TEMPLATES.values()}
    for entry in entries:
        report = entry.report
        if report.template not in labels:
            continue
        cells = report_cells(entry)
        warnings = _warnings_by_path(report)
        for table, row, column, path, table_label, label in labels[report.template]:
            value = ((report.tables.get(table.key) or {}).get(row.key) or {}).get(column.key)
            warning = "；".join(_warnings_naming(warnings, path))
            yield [*cells, table.key, row.key, column.key, table_label, label, column.label, value_text(value),
                   "1" if value is None else "0", warning]


def _warnings_by_path(report: Report) -> dict[str, list[tuple[int, str]]]:
    by_path: dict[str, list[tuple[int, str]]] = {}
    for i, finding in enumerate(report.warnings):
        by_path.setdefault(finding.where, []).append((i, finding.message))
    return by_path


def _warnings_naming(by_path: dict[str, list[tuple[int, str]]], cell_path: str) -> list[str]:
    """The messages of the findings whose ``where`` is the cell's path or a dotted prefix of it
    (as ``quality.names_cell`` says), in the report's order."""
    if not by_path:
        return []
    parts = cell_path.split(".")
    found = [m for n in range(1, len(parts) + 1) for m in by_path.get(".".join(parts[:n]), ())]
    return [message for _, message in sorted(found)]


def wide_tables(entries: list[Entry]) -> list[WideTable]:
    """One table per (table, format): the two formats' rows and columns differ, even where keys agree."""
    tables = []
    for template in TEMPLATES.values():
        mine = [e for e in entries if e.report.template == template.key]
        for table in template.tables:
            columns = tuple(f"{r.key}.{c.key}" for r in table.rows for c in r.columns)
            rows = []
            for entry in mine:
                values = entry.report.tables.get(table.key) or {}
                rows.append([*report_cells(entry), *(value_text((values.get(r.key) or {}).get(c.key))
                                                     for r in table.rows for c in r.columns)])
            tables.append(WideTable(table.key, template.key, wide_csv_path(table.key, template.key), columns, rows))
    return tables


def to_csv(header: tuple[str, ...], rows: Iterable[list[str]]) -> str:
    """UTF-8 with a byte-order mark, so that Excel shows the Chinese text; \\n line ends."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def zipped_csv(name: str, header: tuple[str, ...], rows: Iterable[list[str]]) -> bytes:
    """A ZIP holding one CSV (as ``to_csv`` writes it), written row by row: only the compressed bytes
    are held in memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as archive:
        with archive.open(_zip_entry(name), "w", force_zip64=True) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)
            text.write("\ufeff")
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
            text.flush()
            text.detach()
    return out.getvalue()


def zipped_text(name: str, text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as archive:
        archive.writestr(_zip_entry(name), text.encode("utf-8"))
    return out.getvalue()


def _zip_entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=_ZIP_DATE)  # a constant date: the same bytes every build
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


def wide_csv_files(wide: list[WideTable]) -> dict[str, str]:
    return {table.path: to_csv((*REPORT_COLUMNS, *table.columns), table.rows) for table in wide}


def year_files_of(years: list[YearFiles], readme: list[tuple[str, str]]) -> dict[str, bytes]:
    return {path: data for year in years for path, data in year_files(year, readme).items()}


def year_files(year: YearFiles, readme: list[tuple[str, str]]) -> dict[str, bytes]:
    """The long CSV (zipped) and the XLSX workbook of one year's reports."""
    name = year.long_csv.removeprefix("data/").removesuffix(".zip")
    return {year.long_csv: zipped_csv(name, LONG_COLUMNS, long_rows(year.entries)),
            year.xlsx: workbook(year.entries, readme)}


def workbook(entries: list[Entry], readme: list[tuple[str, str]]) -> bytes:
    """The wide tables as one XLSX workbook: a 说明 sheet and one sheet per wide table.

    The long table stays a CSV only: at province scale it has millions of rows, more than a sheet holds
    (1,048,576), and writing it would be most of an incremental build's time. Written in openpyxl's
    write-only mode: rows are streamed out, not kept as cell objects.
    """
    from openpyxl import Workbook  # imported here: only the site build needs it

    reports = [e for e in entries if e.report]
    book = Workbook(write_only=True)
    _fill(book.create_sheet("说明"), ("项目", "说明"), [list(pair) for pair in readme])
    for wide in wide_tables(reports):
        numbers = set(range(len(REPORT_COLUMNS), len(REPORT_COLUMNS) + len(wide.columns)))
        _fill(book.create_sheet(f"{wide.table}_{wide.template}"), (*REPORT_COLUMNS, *wide.columns), wide.rows,
              numbers | {REPORT_COLUMNS.index("year")})
    book.properties.creator = "portal build"
    book.properties.created = book.properties.modified = _FIXED_DATE
    out = io.BytesIO()
    book.save(out)
    return _normalize_zip(out.getvalue())


def _fill(sheet, header: tuple[str, ...], rows: list[list[str]], numeric: set[int] = frozenset()) -> None:
    """Rows of text; the ``numeric`` columns hold numbers where the text is one; "" is an empty cell
    (unknown)."""
    from openpyxl.cell import WriteOnlyCell

    def cell(text: str):
        if text == "":
            return None
        if text.startswith("="):  # report text starting with "=" must stay text, never a formula
            written = WriteOnlyCell(sheet, value=text)
            written.data_type = "s"
            return written
        return text

    sheet.append(list(header))
    for row in rows:
        values = (_number(text) if i in numeric else text for i, text in enumerate(row))
        sheet.append([cell(v) if isinstance(v, str) else v for v in values])


def _number(text: str):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _normalize_zip(data: bytes) -> bytes:
    """Rewrite the XLSX's zip with fixed entry dates, and the fixed date as its 'modified' property:
    openpyxl stamps the current time on both when it saves."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = _zip_entry(info.filename)
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + _FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", content)
            target.writestr(entry, content)
    return out.getvalue()
