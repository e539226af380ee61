"""One SQLite database per year (``data/年报-2023.sqlite``), ready for Datasette, and its ``metadata.json``.

    datasette data/年报-*.sqlite -m data/metadata.json

Tables: ``reports`` (one row per report), ``cells`` (one row per cell of its format, with its unit
and status; labels through the lookup tables ``tables``, ``rows`` and ``columns``), ``findings``,
``contradictions``, ``statements``, ``corrections``, ``sections`` (the six sections' plain text) and
``sections_fts``, a full-text index with FTS5's ``trigram`` tokenizer (the default tokenizer finds no
Chinese words): it finds terms of three characters or more; a shorter term is searched with
``text LIKE '%公开%'``. One database per year, so that a new report rewrites only its year's, as the
CSVs; built with the standard library's sqlite3 in a fixed order, optimised and vacuumed, with
nothing timestamped: the same reports give the same bytes with the same SQLite version. A year of
more than ``downloads.DATABASE_ZIP_REPORTS`` reports has its database published zipped
(``年报-2023.sqlite.zip``): unzip it, then open it.
"""
from __future__ import annotations

import json
import re
import sqlite3
import tempfile
from pathlib import Path

from builder.extract.templates import SECTIONS, TEMPLATES, Column, Row, Table
from builder.render import datapackage, downloads
from builder.models import Origin, prose_text
from builder.render.cells import AMOUNT_UNIT, STATUS_WORDS, differences_of, open_cell, status_word, unit_of, value_text
from builder.render.entries import Entry, page_url
from builder.render.quality import row_label
from builder.render.status import status_of

METADATA = "data/metadata.json"

SCHEMA = """
CREATE TABLE reports (id INTEGER PRIMARY KEY, report TEXT NOT NULL UNIQUE, title TEXT, agency TEXT, region TEXT,
  province TEXT, city TEXT, county TEXT, year INTEGER, template TEXT, format TEXT, source_file TEXT, sha256 TEXT,
  source_url TEXT, published TEXT, page TEXT, data TEXT, original TEXT);
CREATE TABLE tables (id INTEGER PRIMARY KEY, template TEXT NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE rows (id INTEGER PRIMARY KEY, template TEXT NOT NULL, table_id INTEGER NOT NULL REFERENCES tables(id),
  key TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE columns (id INTEGER PRIMARY KEY, template TEXT NOT NULL, table_id INTEGER NOT NULL REFERENCES tables(id),
  key TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE cells (report INTEGER NOT NULL REFERENCES reports(id), table_id INTEGER NOT NULL REFERENCES tables(id),
  row_id INTEGER NOT NULL REFERENCES rows(id), column_id INTEGER NOT NULL REFERENCES columns(id), value,
  unit TEXT NOT NULL, printed TEXT, status TEXT NOT NULL, note TEXT,
  source_page INTEGER, source_box TEXT, source_table INTEGER, source_row INTEGER, source_column INTEGER,
  source_line INTEGER, source_chars TEXT, corrections_file TEXT, corrections_line INTEGER,
  PRIMARY KEY (report, row_id, column_id)) WITHOUT ROWID;
CREATE TABLE findings (report INTEGER NOT NULL REFERENCES reports(id), code TEXT NOT NULL, severity TEXT,
  place TEXT, message TEXT);
CREATE TABLE contradictions (report INTEGER NOT NULL REFERENCES reports(id), rule TEXT NOT NULL, instance TEXT,
  cells TEXT, note TEXT);
CREATE TABLE statements (report INTEGER NOT NULL REFERENCES reports(id), figure TEXT NOT NULL, cells TEXT,
  value INTEGER, quote TEXT, use TEXT);
CREATE TABLE corrections (report INTEGER NOT NULL REFERENCES reports(id), cell TEXT NOT NULL, printed, value,
  reason TEXT);
CREATE TABLE sections (id INTEGER PRIMARY KEY, report INTEGER NOT NULL REFERENCES reports(id), key TEXT NOT NULL,
  heading TEXT, text TEXT);
CREATE VIRTUAL TABLE sections_fts USING fts5(text, content='sections', content_rowid='id', tokenize='trigram');
"""
_INTEGER = re.compile(r"[+-]?\d+")
_KNOWN = STATUS_WORDS["known"]


def database_name(path: str) -> str:
    """The name Datasette gives a database: its file's name without .sqlite (and .zip)."""
    return path.removeprefix("data/").removesuffix(".zip").removesuffix(".sqlite")


def origin_row(origin: Origin | None) -> tuple:
    """A cell's ``source_*`` and ``corrections_*`` columns (as the long table's): where the report printed it."""
    if origin is None:
        return _NO_ORIGIN
    return (origin.page, _spaced(origin.box), origin.table, origin.row, origin.column, origin.line,
            _spaced(origin.chars), origin.corrections, origin.corrections_line)


def _spaced(numbers: tuple | None) -> str | None:
    return None if numbers is None else " ".join(map(value_text, numbers))


_NO_ORIGIN = (None,) * 9
Place = tuple[str, int, int, int, str, Table, Row, Column]  # path, table, row and column ids, unit, the template's


def _lookups(db: sqlite3.Connection) -> dict[str, list[Place]]:
    """Fill tables, rows and columns for both formats; each format's cells in order with their ids and units."""
    layouts: dict[str, list[Place]] = {}
    for template in TEMPLATES.values():
        places = layouts[template.key] = []
        for table in template.tables:
            table_id = db.execute("INSERT INTO tables (template, key, label) VALUES (?, ?, ?)",
                                  (template.key, table.key, table.title)).lastrowid
            columns: dict[str, int] = {}
            for row in table.rows:
                row_id = db.execute("INSERT INTO rows (template, table_id, key, label) VALUES (?, ?, ?, ?)",
                                    (template.key, table_id, row.key, row_label(table, row.key))).lastrowid
                for c in row.columns:
                    if c.key not in columns:
                        columns[c.key] = db.execute(
                            "INSERT INTO columns (template, table_id, key, label) VALUES (?, ?, ?, ?)",
                            (template.key, table_id, c.key, c.label)).lastrowid
                    places.append((f"{table.key}.{row.key}.{c.key}", table_id, row_id, columns[c.key],
                                   unit_of(row, c), table, row, c))
    return layouts


def _number(text: str) -> int | str | None:
    """A count as an integer; an amount stays an exact decimal text (SQLite's sum() reads it as a number)."""
    if text == "":
        return None
    return int(text) if _INTEGER.fullmatch(text) else text


def _cells(number: int, entry: Entry, places: list[Place]) -> list[tuple]:
    """The rows of ``cells`` for one report: a plainly known or unknown count straight from its value,
    the others (contradicted, corrected, amounts) through render/cells.py."""
    status = status_of(entry.report)
    origins = entry.report.origins
    differences = differences_of(entry.report)
    rows = []
    for path, table_id, row_id, column_id, unit, table, row, column in places:
        cell = status.cell(path)
        origin = origin_row(origins.get(path)) if cell.value is not None or cell.correction else _NO_ORIGIN
        if not cell.contradictions and cell.correction is None and unit != AMOUNT_UNIT and \
                (cell.value is None or type(cell.value) is int) and path not in differences:
            rows.append((number, table_id, row_id, column_id, cell.value, unit, None,
                         status_word(cell) if cell.value is None else _KNOWN, None, *origin))
            continue
        shown = open_cell(table, row, column, cell, differences.get(path, ()))
        rows.append((number, table_id, row_id, column_id, _number(shown.value), unit, shown.printed or None,
                     shown.status, "\n".join(shown.notes) or None, *origin))
    return rows


def fill(db: sqlite3.Connection, entries: list[Entry]) -> None:
    """The tables of SCHEMA filled with ``entries``' reports, in their order."""
    layouts = _lookups(db)
    for number, entry in enumerate(entries, start=1):
        report, source = entry.report, entry.source
        region = report.region
        db.execute("INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
            number, entry.slug, report.title or None, report.agency, " / ".join(region) or None,
            *(downloads.region_level(region, i) or None for i in range(3)), report.year, report.template,
            source.format, source.path.as_posix(), source.sha256, str(source.sidecar.get("url") or "") or None,
            str(source.sidecar.get("published") or "") or None, page_url(entry.page), entry.data, entry.original))
        if report.template in layouts:
            db.executemany("INSERT INTO cells VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           _cells(number, entry, layouts[report.template]))
        db.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?)",
                       [(number, f.code, f.severity, f.where or None, f.message) for f in report.warnings])
        db.executemany("INSERT INTO contradictions VALUES (?, ?, ?, ?, ?)",
                       [(number, c.rule, x.instance, "\n".join(x.cells), x.note)
                        for c in report.checks if c.status == "fail" for x in c.contradictions])
        db.executemany("INSERT INTO statements VALUES (?, ?, ?, ?, ?, ?)",
                       [(number, s.figure, "\n".join(s.cells), s.value, s.quote, s.use) for s in report.statements])
        db.executemany("INSERT INTO corrections VALUES (?, ?, ?, ?, ?)",
                       [(number, c.cell, _stored(c.printed), _stored(c.value), c.reason) for c in report.corrections])
        db.executemany("INSERT INTO sections (report, key, heading, text) VALUES (?, ?, ?, ?)",
                       [(number, key, heading, text) for key, heading in SECTIONS
                        if (text := prose_text(report.sections.get(key) or ()).strip())])
    db.execute("INSERT INTO sections_fts (rowid, text) SELECT id, text FROM sections ORDER BY id")
    db.execute("INSERT INTO sections_fts (sections_fts) VALUES ('optimize')")


def _stored(value) -> int | float | str | None:
    return value if value is None or isinstance(value, (int, str)) else value_text(value)


def database(entries: list[Entry]) -> bytes:
    """One year's database as bytes: filled in a fixed order, then vacuumed into a file of its own (no
    free pages, nothing of the order in which pages were written)."""
    with tempfile.TemporaryDirectory(prefix="portal-db-") as tmp:
        filled, packed = Path(tmp, "filled.sqlite"), Path(tmp, "packed.sqlite")
        db = sqlite3.connect(filled, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.executescript(SCHEMA)
            db.execute("BEGIN")
            fill(db, entries)
            db.execute("COMMIT")
            db.execute("VACUUM INTO ?", (str(packed),))
        finally:
            db.close()
        return packed.read_bytes()


# ---------------------------------------------------------------- Datasette's metadata.json

_COLUMNS = {
    "reports": {"report": "年报在本站的页面名", "title": "标题", "agency": "机关", "region": "地区（各级用“ / ”隔开）",
                "province": "省级", "city": "市级", "county": "区县级", "year": "年度", "template": "格式版本（2019 或 2021）",
                "format": "原始文件的格式", "source_file": "原始文件在 reports/ 中的路径",
                "sha256": "原始文件内容的 SHA-256", "source_url": "原文发布地址", "published": "发布日期",
                "page": "本站页面地址（相对于本站首页）", "data": "开放数据（JSON）的地址", "original": "原始文件副本的地址"},
    "cells": {"report": "年报（reports.id）", "table_id": "表（tables.id）", "row_id": "行（rows.id）",
              "column_id": "列（columns.id）",
              "value": "数值：件数、项数为整数，金额为以万元计的精确小数（文字存放，sum() 按数计）；未知为空（不是 0）",
              "unit": "单位：件、项或万元", "printed": "原文文字（采购总金额）",
              "status": "状态：" + "、".join(STATUS_WORDS.values()), "note": "状态的依据，每条一行",
              **{key: datapackage.MEANINGS[key] for key, _ in downloads.ORIGIN_COLUMNS}},
    "findings": {"report": "年报（reports.id）", "code": "提示的代码", "severity": "级别", "place": "所涉的表、行或单元格",
                 "message": "提示"},
    "contradictions": {"report": "年报（reports.id）", "rule": "核对规则（勾稽关系）的代码", "instance": "所涉的列、行或组",
                       "cells": "所涉的单元格，每个一行", "note": "说明"},
    "statements": {"report": "年报（reports.id）", "figure": "正文所述的数字", "cells": "对应的单元格，每个一行",
                   "value": "正文所印的数", "quote": "正文原话", "use": "用途：check 核对、settled 用于确定读法、fits_no_reading 与表不符"},
    "corrections": {"report": "年报（reports.id）", "cell": "单元格", "printed": "原读出的值", "value": "更正后的值",
                    "reason": "理由"},
    "sections": {"report": "年报（reports.id）", "key": "部分的键", "heading": "部分的标题", "text": "正文（纯文本）"},
}
_TABLES = {
    "reports": ("年报", "每行一份年报"),
    "cells": ("单元格", "每行一份年报的一个单元格：表二、表三、表四的每一格，带单位和状态"),
    "tables": ("表", "表的名称（查找表）"), "rows": ("行", "行的名称（查找表）"), "columns": ("列", "列的名称（查找表）"),
    "findings": ("提示", "提取和核对时的提示"),
    "contradictions": ("不符", "报告自身数字不一致之处：每条不成立的核对一行"),
    "statements": ("正文所述数字", "正文中重述表中数字之处"),
    "corrections": ("人工更正", "维护者对照原文更正的单元格"),
    "sections": ("正文", "年报六个部分的纯文本；可全文搜索（三个字及以上；更短的词请用 LIKE）"),
    "sections_fts": ("正文全文索引", "FTS5 trigram 索引：查询词至少三个字"),
}


def metadata(paths: list[str]) -> str:
    """Datasette's metadata.json in Chinese, for the databases at ``paths``."""
    tables = {}
    for name, (title, description) in _TABLES.items():
        table = {"title": title, "description": description}
        if name in _COLUMNS:
            table["columns"] = _COLUMNS[name]
        if name in ("tables", "rows", "columns"):
            table["label_column"] = "label"
        if name == "sections":
            table.update(fts_table="sections_fts", fts_pk="id")
        if name == "reports":
            table["label_column"] = "report"
        tables[name] = table
    databases = {database_name(p): {"title": f"政府信息公开工作年度报告：{database_name(p).removeprefix('年报-')}"
                                             + (" 年" if database_name(p)[-1].isdigit() else ""),
                                    "tables": tables} for p in paths}
    return json.dumps({
        "title": "政府信息公开工作年度报告库",
        "description": "各级行政机关政府信息公开工作年度报告的统计表与正文，每年一个数据库。空值表示未知，不是 0。"
                       "正文的全文搜索用 trigram 分词：查询词至少三个字，更短的词请用 SQL 的 LIKE。",
        "license": datapackage.LICENCE["title"], "license_url": datapackage.LICENCE["path"],
        "source": datapackage.SOURCES[0]["title"],
        "databases": databases,
    }, ensure_ascii=False, indent=1) + "\n"
