"""The open data as tables for spreadsheets: a long CSV, a wide CSV per table and format, an XLSX workbook.

Column meanings are documented on the downloads page (templates/downloads.md.j2): change both together.
Unknown cells are empty (never 0) and flagged. Output is byte-identical for the same reports.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime

from builder.extract.templates import TEMPLATES
from builder.models import Report, Value
from builder.render.entries import Entry
from builder.render.quality import TABLE_NUMBERS, names_cell, row_label

LONG_CSV = "data/tables-long.csv"
XLSX = "data/reports.xlsx"
REPORT_COLUMNS = ("report", "agency", "region", "province", "city", "county", "year", "template")
LONG_COLUMNS = (*REPORT_COLUMNS, "table", "row", "column", "table_label", "row_label", "column_label",
                "value", "unknown", "warning")
_FIXED_DATE = datetime(2019, 5, 15)  # a constant, so that two builds give the same bytes
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class WideTable:
    table: str
    template: str
    path: str
    columns: tuple[str, ...]  # row.column keys, in the official order
    rows: list[list[str]]


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


def long_rows(entries: list[Entry]) -> list[list[str]]:
    rows = []
    for entry in entries:
        report = entry.report
        template = TEMPLATES.get(report.template or "")
        if template is None:
            continue
        for table in template.tables:
            values = report.tables.get(table.key) or {}
            for row in table.rows:
                for column in row.columns:
                    value = (values.get(row.key) or {}).get(column.key)
                    path = f"{table.key}.{row.key}.{column.key}"
                    warning = "；".join(f.message for f in report.warnings if names_cell(f, path))
                    rows.append([*report_cells(entry), table.key, row.key, column.key,
                                 f"{TABLE_NUMBERS[table.key]} {table.title}", row_label(table, row.key),
                                 column.label, value_text(value), "1" if value is None else "0", warning])
    return rows


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


def to_csv(header: tuple[str, ...], rows: list[list[str]]) -> str:
    """UTF-8 with a byte-order mark, so that Excel shows the Chinese text; \\n line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()


def csv_files(entries: list[Entry]) -> dict[str, str]:
    reports = [e for e in entries if e.report]
    files = {LONG_CSV: to_csv(LONG_COLUMNS, long_rows(reports))}
    for wide in wide_tables(reports):
        files[wide.path] = to_csv((*REPORT_COLUMNS, *wide.columns), wide.rows)
    return files


def workbook(entries: list[Entry], readme: list[tuple[str, str]]) -> bytes:
    """The wide tables as one XLSX workbook: a 说明 sheet and one sheet per wide table.

    The long table stays a CSV only: at province scale it has millions of rows, more than a sheet holds
    (1,048,576), and writing it would be most of an incremental build's time.
    """
    from openpyxl import Workbook  # imported here: only the site build needs it

    reports = [e for e in entries if e.report]
    book = Workbook()
    sheet = book.active
    sheet.title = "说明"
    _fill(sheet, ("项目", "说明"), [list(pair) for pair in readme])
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
    """Rows of text; the ``numeric`` columns hold numbers where the text is one."""
    sheet.append(list(header))
    for row in rows:
        sheet.append([_number(text) if i in numeric else text for i, text in enumerate(row)])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # report text starting with "=" must stay text, never a formula
            if cell.value == "":
                cell.value = None  # unknown: an empty cell


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
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + _FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", content)
            target.writestr(entry, content)
    return out.getvalue()
