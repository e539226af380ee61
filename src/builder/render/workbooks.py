"""The downloads as XLSX workbooks (render/downloads.py makes their tables): a 说明 sheet, then one sheet
per wide table with its two header rows frozen, an autofilter, columns as wide as their text, and
contradicted (orange) and corrected (blue) cells shaded with their note as a comment. Byte-identical
for the same reports: openpyxl's timestamps are replaced by a constant.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import datetime

from builder.render.downloads import REPORT_COLUMNS, WideTable, _zip_entry, keys
from builder.render.entries import Entry

_FIXED_DATE = datetime(2019, 5, 15)  # a constant, so that two builds give the same bytes
CONTRADICTED_FILL, CORRECTED_FILL = "FFE0B2", "D6EAF8"  # a contradicted cell shaded orange, a corrected one blue


def workbook(entries: list[Entry], readme: list[tuple[str, str]], scope: str, tables: list[WideTable]) -> bytes:
    """The wide tables as one XLSX workbook: a 说明 sheet, then one sheet per wide table, each with its
    two header rows frozen, an autofilter and columns as wide as their text.

    The long table stays a CSV only: at province scale it has millions of rows, more than a sheet holds
    (1,048,576), and writing it would be most of an incremental build's time. Written in openpyxl's
    write-only mode: rows are streamed out, not kept as cell objects.
    """
    from openpyxl import Workbook  # imported here: only the site build needs it

    reports = [e for e in entries if e.report and e.report.template]
    book = Workbook(write_only=True)
    notes = [("本工作簿", f"{scope}的年报数据（{len(reports)} 份年报），由本站程序从各机关发布的年报自动生成"), *readme,
             ("各表", "、".join(t.name for t in tables))]
    _fill(book.create_sheet("说明"), (("", "项目"), ("", "说明")), [list(pair) for pair in notes], frozenset(), [])
    for table in tables:
        first = len(REPORT_COLUMNS)
        numbers = set(range(first, len(table.columns))) | {keys(REPORT_COLUMNS).index("year"),
                                                             keys(REPORT_COLUMNS).index("unknown_cells")}
        _fill(book.create_sheet(table.name), table.columns, table.rows, numbers, table.marks)
    book.properties.creator = "portal build"
    book.properties.created = book.properties.modified = _FIXED_DATE
    out = io.BytesIO()
    book.save(out)
    return _normalize_zip(out.getvalue())


def _fill(sheet, columns: tuple[tuple[str, str], ...], rows: list[list[str]], numeric: set[int],
          marks: list[dict[int, tuple[str, str]]]) -> None:
    """The Chinese header row and the keys (frozen, with an autofilter), then the rows of text; the
    ``numeric`` columns hold numbers where the text is one; "" is an empty cell (unknown); a marked cell
    is shaded and carries its note as a comment."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    fills = {"contradicted": PatternFill("solid", fgColor=CONTRADICTED_FILL),
             "corrected": PatternFill("solid", fgColor=CORRECTED_FILL)}
    bold, grey = Font(bold=True), Font(color="777777")
    for i, (key, label) in enumerate(columns):
        longest = max([_width(label), _width(key), *(_width(row[i]) for row in rows[:2000])])
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(max(longest + 2, 8), 60)
    key_row = any(key for key, _ in columns)  # the 说明 sheet has Chinese headers only
    sheet.freeze_panes = "B3" if key_row else "A2"  # the header rows (and the report's column) stay in view
    sheet.auto_filter.ref = f"A{1 + key_row}:{get_column_letter(len(columns))}{len(rows) + 1 + key_row}"

    def header(text: str, font) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = font
        return cell

    def cell(text, mark: tuple[str, str] | None):
        if mark is None and (text == "" or not isinstance(text, str) or not text.startswith("=")):
            return None if text == "" else text
        written = WriteOnlyCell(sheet, value=None if text == "" else text)
        if isinstance(text, str) and text.startswith("="):  # report text starting with "=" stays text, never a formula
            written.data_type = "s"
        if mark:
            written.fill = fills[mark[0]]
            if mark[1]:
                written.comment = Comment(mark[1], "portal build", width=300, height=100)
        return written

    sheet.append([header(label, bold) for _, label in columns])
    if key_row:
        sheet.append([header(key, grey) for key, _ in columns])
    for n, row in enumerate(rows):
        marked = marks[n] if marks else {}
        values = (_number(text) if i in numeric else text for i, text in enumerate(row))
        sheet.append([cell(v, marked.get(i)) for i, v in enumerate(values)])


def _width(text: object) -> int:
    """How many columns a text takes: Chinese characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


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
