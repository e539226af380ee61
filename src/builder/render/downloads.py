"""The open data as tables for spreadsheets, named by year and table (``2020-表三-依申请.csv``).

Per year: one wide CSV per table (a report a row, a cell a column), the long table (a cell a row,
zipped), an XLSX workbook of the wide tables (render/workbooks.py) and a SQLite database
(render/database.py); and one workbook of every year. Split by year so that a new report rewrites
only its year's files (and the all-years workbook), and no file outgrows a spreadsheet at province
scale. A year whose reports use both national formats gets one wide table per format
(``2021-表三-依申请-2019版.csv``): their rows differ. No file or sheet is written empty.

Every CSV and sheet has two header rows: the Chinese labels (the template's own), then the stable
keys (the open data's), so that a program can read it with ``pandas.read_csv(f, header=1)``. Unknown
cells are empty (never 0); each report's row in a table's CSV says which of that table's checks
failed, which of its cells they contradict and which were corrected by hand (a line each), and where
the report was published; the long table gives each cell its unit and status (render/cells.py); in
the workbooks a contradicted cell is shaded and carries its note, a corrected one its reason. Column
meanings are documented on the downloads page (templates/downloads.md.j2, its context
``downloads_context`` here), the 数据格式 page and the data package's schemas (render/datapackage.py):
change them together. Output is byte-identical for the same reports.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Iterable, Iterator

from builder.extract.templates import TEMPLATES
from builder.models import Origin
from builder.render.cells import AMOUNT_UNIT, amount_of, decimal_text, differences_of, open_cell, text_cell, value_text
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
                ("row_label", "行名"), ("column_label", "列名"), ("value", "数值"), ("unit", "单位"),
                ("printed", "原文"), ("unknown", "是否未知"), ("status", "状态"), ("note", "说明"),
                ("warning", "提取时的提示"), *ORIGIN_COLUMNS)
AMOUNT_SUFFIX = "_10k_yuan"  # beside a text amount (采购总金额) in a wide table: the amount in 万元
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# beyond this many reports a year's database is published zipped: ~30 KB a report (sections' text and
# their full-text index are two thirds of it), about a third zipped (benchmarks/open_data.py)
DATABASE_ZIP_REPORTS = 1000
ZIP_LEVEL = 6  # zlib's default: the long table shrinks about twentyfold


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
    def database(self) -> str:
        """The year's SQLite database (render/database.py), zipped beyond DATABASE_ZIP_REPORTS reports."""
        return f"data/年报-{self.name}.sqlite" + (".zip" if len(self.entries) > DATABASE_ZIP_REPORTS else "")

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
        return (*(path for *_, path in self.wide_csvs), self.long_csv, self.xlsx, self.database) if self.templates else ()


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


def report_cells(entry: Entry, table: str | None = None) -> list[str]:
    """The report's own columns (REPORT_COLUMNS); with ``table``, the status columns speak of that table
    only. Lists are one item per line."""
    report = entry.report
    status = status_of(report)

    def mine(path: str) -> bool:
        return table is None or path.split(".", 1)[0] == table

    failed = "\n".join(f"{TABLE_NUMBERS.get(c.rule.split('.', 1)[0], '')} {x.note}".strip()
                       for c in report.checks if c.status == "fail" and mine(c.rule) for x in c.contradictions)
    return [*long_report_cells(entry), text_cell(failed), "\n".join(p for p in status.contradicted_cells if mine(p)),
            str(sum(1 for p in status.unknown_cells if mine(p))),
            "\n".join(p for p in status.corrected_cells if mine(p)),
            text_cell(str(report.source.sidecar.get("url") or "")), str(report.source.sidecar.get("published") or "")]


def long_report_cells(entry: Entry) -> list[str]:
    report = entry.report
    region = report.region
    return [text_cell(entry.slug), text_cell(report.agency or ""), text_cell(" / ".join(region)),
            *(text_cell(region_level(region, i)) for i in range(3)), str(report.year or ""), report.template or ""]


def region_level(region: tuple[str, ...], index: int) -> str:
    if index == 2:
        return " / ".join(region[2:])  # a fourth folder level stays with the county
    return region[index] if len(region) > index else ""


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
        differences = differences_of(report)
        for table, row, column, path, table_label, label in cells_of[report.template]:
            state = status.cell(path)
            cell = open_cell(table, row, column, state, differences.get(path, ()))
            origin = report.origins.get(path) if state.value is not None or state.correction else None
            yield [*own, table.key, row.key, column.key, table_label, label, column.label, cell.value, cell.unit,
                   cell.printed, "1" if state.kind == "unknown" else "0", cell.status,
                   text_cell("\n".join(cell.notes)), text_cell("\n".join(cell.warnings)), *origin_cells(origin)]


def origin_cells(origin: Origin | None) -> list[str]:
    """The long table's ``source_*`` and ``corrections_*`` columns: where the report printed the value."""
    if origin is None:
        return [""] * len(ORIGIN_COLUMNS)

    def text(value) -> str:
        if isinstance(value, tuple):
            return " ".join(map(value_text, value))
        return "" if value is None else text_cell(value) if isinstance(value, str) else str(value)
    return [text(v) for v in (origin.page, origin.box, origin.table, origin.row, origin.column, origin.line,
                              origin.chars, origin.corrections, origin.corrections_line)]


def _cell_note(cell) -> str:
    """What the status of a cell rests on: the contradictions' notes, the correction's reason (a line each)."""
    parts = [c.note for c in cell.contradictions]
    if cell.correction:
        parts.append(f"人工更正（原读出 {value_text(cell.correction.printed) or '未知'}）：{cell.correction.reason}")
    return "\n".join(parts)


def converted(path: str) -> bool:
    """Is this wide-table path the amount in 万元 made from a text amount (not a cell of the templates)?"""
    table, row, column = path.split(".")
    return column.endswith(AMOUNT_SUFFIX) and any(
        c.key == column.removesuffix(AMOUNT_SUFFIX) and c.kind == "text"
        for t in TEMPLATES.values() for r in t.table(table).rows if r.key == row for c in r.columns)


def wide_cells(table) -> list[tuple[str, str, str]]:
    """(path, column key, Chinese label) of a table's cells in a wide table: a text amount (采购总金额) is
    followed by its amount in 万元 (a column of its own, whose path is not a cell's: see ``converted``)."""
    out = []
    for r in table.rows:
        for c in r.columns:
            out.append((f"{table.key}.{r.key}.{c.key}", f"{r.key}.{c.key}", f"{row_label(table, r.key)} / {c.label}"))
            if c.kind == "text":
                out.append((f"{table.key}.{r.key}.{c.key}{AMOUNT_SUFFIX}", f"{r.key}.{c.key}{AMOUNT_SUFFIX}",
                            f"{row_label(table, r.key)} / {c.label}（{AMOUNT_UNIT}，由原文换算）"))
    return out


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
            cells = wide_cells(table)
            derived = {path for path, _, _ in cells if converted(path)}
            rows, marks = [], []
            for entry in mine:
                status = status_of(entry.report)
                own = report_cells(entry, table.key)
                row, marked = list(own), {}
                for i, (path, _, _) in enumerate(cells):
                    if path in derived:
                        row.append(decimal_text(amount_of(status.cell(path.removesuffix(AMOUNT_SUFFIX)).value).value))
                        continue
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


def zipped_bytes(name: str, data: bytes) -> bytes:
    """A ZIP holding one file (a large database)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as archive:
        archive.writestr(_zip_entry(name), data)
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
        from builder.render.workbooks import workbook  # it builds on this module's tables

        files[ALL_XLSX] = workbook(everything, readme, "全部年度", wide_tables(everything))
    return files


def year_files(year: YearFiles, readme: list[tuple[str, str]]) -> dict[str, bytes | str]:
    """The wide CSVs, the long CSV (zipped) and the XLSX workbook of one year's reports."""
    wide = wide_tables(year.entries, year.templates)
    files: dict[str, bytes | str] = {year.wide_csv(t.table, t.template): to_csv(t.columns, t.rows) for t in wide}
    name = year.long_csv.removeprefix("data/").removesuffix(".zip")
    files[year.long_csv] = zipped_csv(name, LONG_COLUMNS, long_rows(year.entries))
    from builder.render.database import database  # they build on this module's tables
    from builder.render.workbooks import workbook

    files[year.xlsx] = workbook(year.entries, readme, f"{year.name} 年" if year.label != "unknown" else year.name, wide)

    data = database([e for e in year.entries if e.report.template])
    files[year.database] = zipped_bytes(year.database.removeprefix("data/").removesuffix(".zip"), data) \
        if year.database.endswith(".zip") else data
    return files


def downloads_context(report_count: int, years: list[YearFiles], all_xlsx: bool, formatted: bool) -> dict:
    """数据下载 (downloads.md.j2): each year's files, the all-years files, and what their columns hold."""
    return {"search_fields": site_fields("数据下载"), "report_count": report_count, "years": years,
            "all_json": ALL_JSON, "all_xlsx": ALL_XLSX if all_xlsx else None, "all_xlsx_reports": ALL_XLSX_REPORTS,
            "formatted": formatted, "report_columns": REPORT_COLUMNS, "long_columns": LONG_COLUMNS,
            "table_names": TABLE_NAMES, "templates": TEMPLATES, **_open_data_links()}


def _open_data_links() -> dict:
    from builder.render.discovery import open_data_links  # it builds on this module

    return open_data_links()


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
