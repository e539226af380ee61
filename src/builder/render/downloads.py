"""The open data as tables for spreadsheets, named by year and table (``2020-表三-依申请.csv``).

Per year: one wide CSV per table (a report a row, a cell a column), the long table (a cell a row,
zipped) and an XLSX workbook of the wide tables; and one workbook of every year. Split by year so
that a new report rewrites only its year's files (and the all-years workbook), and no file outgrows
a spreadsheet at province scale. A year whose reports use both national formats gets one wide table
per format (``2021-表三-依申请-2019版.csv``): their rows differ. No file or sheet is written empty.

Every CSV and sheet has two header rows: the Chinese labels (the template's own), then the stable
keys (the open data's), so that a program can read it with ``pandas.read_csv(f, header=1)``. Unknown
cells are empty (never 0); each report's row says which checks failed, which cells they contradict,
which were corrected by hand and where the report was published; in the workbooks a contradicted
cell is shaded and carries its note, a corrected one its reason. Column meanings are documented on
the downloads page (templates/downloads.md.j2, its context ``downloads_context`` here) and the 数据格式
page: change them together. Output is byte-identical for the same reports.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Iterator

from builder.extract.templates import TEMPLATES
from builder.models import Origin, Value
from builder.render.entries import Entry
from builder.render.quality import TABLE_NUMBERS, row_label
from builder.render.search_fields import site_fields
from builder.render.status import status_of

ALL_JSON = "data/all.json.zip"  # a ZIP holding all.json
ALL_XLSX = "data/全部年度-年报数据.xlsx"
# up to this many reports (with a format), the all-years workbook is made: at 10,000 it took 45 s on every
# new report, the slowest part of the Publish workflow's build; beyond, each year's workbook and all.json
ALL_XLSX_REPORTS = 3000
TABLE_NAMES = {"active_disclosure": "表二-主动公开", "applications": "表三-依申请", "review_litigation": "表四-复议诉讼"}
REPORT_COLUMNS = (
    ("report", "年报（本站页面名）"), ("agency", "机关"), ("region", "地区"), ("province", "省级"),
    ("city", "市级"), ("county", "区县级"), ("year", "年度"), ("template", "格式版本"),
    ("failed_checks", "不符的核对（报告自身数字不一致）"), ("contradicted_cells", "不符的单元格"),
    ("unknown_cells", "未知的单元格数"), ("corrected_cells", "人工更正的单元格"),
    ("source_url", "原文发布地址"), ("published", "发布日期"),
)
LONG_REPORT_COLUMNS = REPORT_COLUMNS[:8]
# where the report printed a cell's value (models.Origin), and the hand correction that replaced it
ORIGIN_COLUMNS = (("source_page", "原文页码"), ("source_box", "原文页面上的位置（点：左 上 右 下）"),
                  ("source_table", "原文第几个表格"), ("source_row", "原文表格的行"), ("source_column", "原文表格的列"),
                  ("source_line", "原文的行"), ("source_chars", "该行中的字符（起 止）"),
                  ("corrections_file", "更正文件"), ("corrections_line", "更正文件的行"))
LONG_COLUMNS = (*LONG_REPORT_COLUMNS, ("table", "表"), ("row", "行"), ("column", "列"), ("table_label", "表名"),
                ("row_label", "行名"), ("column_label", "列名"), ("value", "数值"), ("unknown", "是否未知"),
                ("status", "状态"), ("note", "说明"), ("warning", "提取时的提示"), *ORIGIN_COLUMNS)
STATUS_WORDS = {"known": "已知", "unknown": "未知", "contradicted": "不符", "corrected": "人工更正"}  # the long table's 状态
_FIXED_DATE = datetime(2019, 5, 15)  # a constant, so that two builds give the same bytes
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_LEVEL = 6  # zlib's default: the long table shrinks about twentyfold
CONTRADICTED_FILL, CORRECTED_FILL = "FFE0B2", "D6EAF8"  # a contradicted cell shaded orange, a corrected one blue


def keys(columns: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    return tuple(key for key, _ in columns)


def labels(columns: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    return tuple(label for _, label in columns)


@dataclass(frozen=True)
class WideTable:
    """One table of one format over some reports: a report a row, then a cell a column."""

    table: str
    template: str
    name: str  # 表三-依申请, or 表三-依申请-2019版 beside the other format
    columns: tuple[tuple[str, str], ...]  # (key, Chinese label) of every column, the report's first
    rows: list[list[str]]
    marks: list[dict[int, tuple[str, str]]]  # per row: column index → (kind, note) of a marked cell


@dataclass(frozen=True)
class YearFiles:
    """The downloads of one year's reports (``label``: the year, or ``unknown`` for reports without one)."""

    label: str
    entries: list[Entry]

    @property
    def name(self) -> str:
        return "年份未识别" if self.label == "unknown" else self.label

    @property
    def long_csv(self) -> str:
        return f"data/{self.name}-长表.csv.zip"  # a ZIP holding <name>-长表.csv

    @property
    def xlsx(self) -> str:
        return f"data/{self.name}-年报数据.xlsx"

    @property
    def templates(self) -> list[str]:
        return sorted({e.report.template for e in self.entries if e.report.template})

    def wide_csv(self, table: str, template: str) -> str:
        return f"data/{self.name}-{table_name(table, template, self.templates)}.csv"

    @property
    def wide_csvs(self) -> list[tuple[str, str, str]]:
        """(table, template, path) of each wide CSV of the year."""
        return [(t.key, template, self.wide_csv(t.key, template))
                for template in self.templates for t in TEMPLATES[template].tables]

    @property
    def paths(self) -> tuple[str, ...]:
        return (*(path for *_, path in self.wide_csvs), self.long_csv, self.xlsx) if self.templates else ()


def table_name(table: str, template: str, templates: list[str]) -> str:
    return TABLE_NAMES[table] + (f"-{template}版" if len(templates) > 1 else "")


def by_year(entries: list[Entry]) -> list[YearFiles]:
    """The reports' downloads by year, newest first (``entries`` are in page order already); a year
    whose reports have no recognised format has no tables, hence no files."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.report:
            groups.setdefault(str(entry.report.year or "unknown"), []).append(entry)
    return [year for year in (YearFiles(label, group) for label, group in groups.items()) if year.templates]


def report_cells(entry: Entry) -> list[str]:
    """The report's own columns (REPORT_COLUMNS)."""
    report = entry.report
    status = status_of(report)
    failed = "；".join(f"{TABLE_NUMBERS.get(c.rule.split('.', 1)[0], '')} {x.note}".strip()
                      for c in report.checks if c.status == "fail" for x in c.contradictions)
    return [*long_report_cells(entry), failed, " ".join(status.contradicted_cells),
            str(len(status.unknown_cells)), " ".join(status.corrected_cells),
            str(report.source.sidecar.get("url") or ""), str(report.source.sidecar.get("published") or "")]


def long_report_cells(entry: Entry) -> list[str]:
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
    cells_of = {template.key: [(table, row, column, f"{table.key}.{row.key}.{column.key}",
                                f"{TABLE_NUMBERS[table.key]} {table.title}", row_label(table, row.key))
                               for table in template.tables for row in table.rows for column in row.columns]
                for template in TEMPLATES.values()}
    for entry in entries:
        report = entry.report
        if report.template not in cells_of:
            continue
        status = status_of(report)
        own = long_report_cells(entry)
        for table, row, column, path, table_label, label in cells_of[report.template]:
            cell = status.cell(path)
            warning = "；".join(f.message for f in (*cell.notes, *cell.settled))
            yield [*own, table.key, row.key, column.key, table_label, label, column.label, value_text(cell.value),
                   "1" if cell.value is None else "0", STATUS_WORDS[cell.kind], _cell_note(cell), warning,
                   *origin_cells(report.origins.get(path) if cell.value is not None or cell.correction else None)]


def origin_cells(origin: Origin | None) -> list[str]:
    """The long table's ``source_*`` and ``corrections_*`` columns: where the report printed the value."""
    if origin is None:
        return [""] * len(ORIGIN_COLUMNS)

    def text(value) -> str:
        return "" if value is None else " ".join(map(value_text, value)) if isinstance(value, tuple) else str(value)
    return [text(v) for v in (origin.page, origin.box, origin.table, origin.row, origin.column, origin.line,
                              origin.chars, origin.corrections, origin.corrections_line)]


def _cell_note(cell) -> str:
    """What the status of a cell rests on: the contradictions' notes, the correction's reason."""
    parts = [c.note for c in cell.contradictions]
    if cell.correction:
        parts.append(f"人工更正（原读出 {value_text(cell.correction.printed) or '未知'}）：{cell.correction.reason}")
    return "；".join(parts)


def wide_tables(entries: list[Entry], templates: list[str] | None = None) -> list[WideTable]:
    """One table per (table, format) with reports: the two formats' rows and columns differ, even where
    keys agree. ``templates``: the formats present (to name the tables)."""
    present = templates or sorted({e.report.template for e in entries if e.report.template})
    tables = []
    for template in present:
        mine = [e for e in entries if e.report.template == template]
        if not mine:
            continue
        for table in TEMPLATES[template].tables:
            cells = [(f"{table.key}.{r.key}.{c.key}", f"{r.key}.{c.key}", f"{row_label(table, r.key)} / {c.label}")
                     for r in table.rows for c in r.columns]
            rows, marks = [], []
            for entry in mine:
                status = status_of(entry.report)
                own = report_cells(entry)
                row, marked = list(own), {}
                for i, (path, _, _) in enumerate(cells):
                    cell = status.cell(path)
                    row.append(value_text(cell.value))
                    if cell.contradictions or cell.correction:
                        marked[len(own) + i] = ("contradicted" if cell.contradictions else "corrected", _cell_note(cell))
                rows.append(row)
                marks.append(marked)
            columns = (*REPORT_COLUMNS, *((key, label) for _, key, label in cells))
            tables.append(WideTable(table.key, template, table_name(table.key, template, present), columns, rows, marks))
    return tables


def to_csv(columns: tuple[tuple[str, str], ...], rows: Iterable[list[str]]) -> str:
    """UTF-8 with a byte-order mark, so that Excel shows the Chinese text; \\n line ends; the Chinese
    header row, then the keys."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(labels(columns))
    writer.writerow(keys(columns))
    writer.writerows(rows)
    return out.getvalue()


def zipped_csv(name: str, columns: tuple[tuple[str, str], ...], rows: Iterable[list[str]]) -> bytes:
    """A ZIP holding one CSV (as ``to_csv`` writes it), written row by row: only the compressed bytes
    are held in memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as archive:
        with archive.open(_zip_entry(name), "w", force_zip64=True) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)
            text.write("\ufeff")
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(labels(columns))
            writer.writerow(keys(columns))
            writer.writerows(rows)
            text.flush()
            text.detach()
    return out.getvalue()


def all_json(reports: Iterable[str], failures: str) -> Iterator[str]:
    """all.json, in parts: ``{"reports":[…],"failures":[…]}`` from each report's data file (JSON text)
    and the failures' JSON list."""
    yield '{"reports":['
    for i, data in enumerate(reports):
        if i:
            yield ","
        yield data.rstrip("\n")
    yield '],"failures":' + failures.rstrip("\n") + "}\n"


def zipped_text(name: str, parts: Iterable[str]) -> bytes:
    """A ZIP holding one text file, the concatenation of ``parts``, written part by part: only the
    compressed bytes are held in memory (all.json is the open data of every report)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as archive:
        with archive.open(_zip_entry(name), "w") as raw:
            for part in parts:
                raw.write(part.encode("utf-8"))
    return out.getvalue()


def _zip_entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=_ZIP_DATE)  # a constant date: the same bytes every build
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


def year_files_of(years: list[YearFiles], readme: list[tuple[str, str]], everything: list[Entry] | None = None
                  ) -> dict[str, bytes | str]:
    """The files of each year in ``years``, and with ``everything`` (all reports) the all-years workbook."""
    files = {path: data for year in years for path, data in year_files(year, readme).items()}
    if everything is not None:
        files[ALL_XLSX] = workbook(everything, readme, "全部年度")
    return files


def year_files(year: YearFiles, readme: list[tuple[str, str]]) -> dict[str, bytes | str]:
    """The wide CSVs, the long CSV (zipped) and the XLSX workbook of one year's reports."""
    wide = wide_tables(year.entries, year.templates)
    files: dict[str, bytes | str] = {year.wide_csv(t.table, t.template): to_csv(t.columns, t.rows) for t in wide}
    name = year.long_csv.removeprefix("data/").removesuffix(".zip")
    files[year.long_csv] = zipped_csv(name, LONG_COLUMNS, long_rows(year.entries))
    files[year.xlsx] = workbook(year.entries, readme, f"{year.name} 年" if year.label != "unknown" else year.name, wide)
    return files


def workbook(entries: list[Entry], readme: list[tuple[str, str]], scope: str,
             wide: list[WideTable] | None = None) -> bytes:
    """The wide tables as one XLSX workbook: a 说明 sheet, then one sheet per wide table, each with its
    two header rows frozen, an autofilter and columns as wide as their text.

    The long table stays a CSV only: at province scale it has millions of rows, more than a sheet holds
    (1,048,576), and writing it would be most of an incremental build's time. Written in openpyxl's
    write-only mode: rows are streamed out, not kept as cell objects.
    """
    from openpyxl import Workbook  # imported here: only the site build needs it

    reports = [e for e in entries if e.report and e.report.template]
    tables = wide if wide is not None else wide_tables(reports)
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


def downloads_context(report_count: int, years: list[YearFiles], all_xlsx: bool, formatted: bool) -> dict:
    """数据下载 (downloads.md.j2): each year's files, the all-years files, and what their columns hold."""
    return {"search_fields": site_fields("数据下载"), "report_count": report_count, "years": years,
            "all_json": ALL_JSON, "all_xlsx": ALL_XLSX if all_xlsx else None, "all_xlsx_reports": ALL_XLSX_REPORTS,
            "formatted": formatted, "report_columns": REPORT_COLUMNS, "long_columns": LONG_COLUMNS,
            "table_names": TABLE_NAMES, "templates": TEMPLATES}


def xlsx_readme() -> list[tuple[str, str]]:
    """The 说明 sheet of every workbook, for readers."""
    return [
        ("来源", "政府信息公开工作年度报告库：数字取自各机关公开发布的年报，按国家统一格式的表二、表三、表四读出"),
        ("各表的列", "第一行是中文列名，第二行是列键（与开放数据一致，程序读取时用）。每行一份年报：先是年报的机关、地区、年度等，"
                    "再是表中每一格，列名为“行 / 列”"),
        ("空单元格", "未知：年报未印出，或未能可靠读取。未知不是 0"),
        ("橙色单元格", "不符：该数字与同一年报中的其他数字不一致（勾稽关系不成立），批注说明原因；本站的合计和排行不计入这些数字"),
        ("蓝色单元格", "人工更正：维护者对照原文更正的数字，批注说明理由"),
        ("长表", "每行一个单元格（年报 × 表 × 行 × 列），行数过多，不放在工作簿中：见同年度的“长表”CSV"),
        ("列说明", "见网站“数据下载”和“数据格式”页"),
    ]
