"""The open data as a Frictionless data package (``data/datapackage.json``), and the reports list it hangs on.

``data/年报清单.csv`` has one row per file in reports/ (a report, or a file that could not be read);
every CSV of the downloads (render/downloads.py) is a resource described by a Table Schema: field
types, the template's Chinese labels as titles, units, the missing value (the empty cell: unknown,
never 0) and the report key as a foreign key to the reports list. Each CSV's dialect declares its two
header rows (the Chinese labels are row 1, skipped as a comment row; the keys are the header, row 2);
the long table is declared zipped. The package is made from the years' file names and the templates
alone, so it costs nothing to write on every build; it is byte-identical for the same reports.
``frictionless validate data/datapackage.json`` checks the files against it (the tests do).
"""
from __future__ import annotations

import json

from builder.extract.templates import TEMPLATES, Column
from builder.render import downloads
from builder.render.cells import AMOUNT_UNIT, STATUS_WORDS, unit_of
from builder.render.entries import Entry, page_url
from builder.render.status import status_of

PATH = "data/datapackage.json"
REPORTS_LIST = "data/年报清单.csv"
COMPARE_SCHEMA = "compare/对比.schema.json"  # the 对比 page's CSV (made in the browser by compare.js)
LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "知识共享 署名 4.0 国际（CC BY 4.0）"}  # as mkdocs.yml's extra.portal.licence
SOURCES = [{"title": "各级行政机关公开发布的政府信息公开工作年度报告（每份年报的原文见本站该年报页面）"}]
MISSING = [""]
TWO_HEADER_ROWS = {"headerRows": [2], "commentRows": [1]}  # row 1: Chinese labels; row 2: the keys
FORMAT_WORDS = {"count": "整数，≥ 0", "signed": "整数，可为负", "decimal": "数，可带小数", "text": "原文文字"}

REPORT_LIST_COLUMNS = (
    ("report", "年报（本站页面名）"), ("title", "标题"), ("agency", "机关"), ("region", "地区"), ("province", "省级"),
    ("city", "市级"), ("county", "区县级"), ("year", "年度"), ("template", "格式版本"), ("format", "文件格式"),
    ("parsed", "是否读出"), ("sha256", "原始文件的 SHA-256"), ("source_url", "原文发布地址"), ("published", "发布日期"),
    ("page", "本站页面地址"), ("data", "开放数据（JSON）"), ("original", "原始文件（本站副本）"),
    ("failed_checks", "不符的核对数"), ("contradicted_cells", "不符的单元格数"), ("unknown_cells", "未知的单元格数"),
    ("corrected_cells", "人工更正的单元格数"), ("warnings", "提取时的提示数"),
)
# the meaning of every column the CSVs share (the 数据下载 page and the schemas say the same)
MEANINGS = {
    "report": "年报在本站的页面名：年报清单的主键，各表由此与年报清单相连",
    "title": "年报的标题",
    "agency": "发布年报的机关；未识别时为空",
    "region": "地区全称，各级用“ / ”隔开，省级在前",
    "province": "省级地区",
    "city": "市级地区；省级机关为空",
    "county": "区县级地区；市级以上机关为空（再下一级也并入此列）",
    "year": "年报所报告的年度",
    "template": "年报所用的国家格式：2019 或 2021",
    "format": "原始文件的格式：pdf、docx、doc、wps、html、text、markdown",
    "parsed": "true：读出了年报；false：文件未能读出（见其页面）",
    "sha256": "原始文件内容的 SHA-256，用于核对副本与原文一致",
    "source_url": "机关发布该年报的网址（维护者提供时）",
    "published": "发布日期（维护者提供时）",
    "page": "本站页面的地址（相对于本站首页）",
    "data": "该年报的开放数据（JSON）的地址（相对于本站首页）",
    "original": "原始文件在本站的副本的地址（相对于本站首页）",
    "failed_checks": "本表中报告自身数字不一致之处（勾稽关系不成立），每条一行，如“表四 行政复议：报告所印总计为 0，各项结果之和为 11”",
    "contradicted_cells": "本表中这些不一致涉及的单元格（路径，每个一行）：数字照印给出，但本站不计入合计",
    "unknown_cells": "本表中未知的单元格数",
    "corrected_cells": "本表中维护者人工更正的单元格（路径，每个一行）；理由见长表和年报页面",
    "table": "表的键",
    "row": "行的键",
    "column": "列的键",
    "table_label": "表的中文名",
    "row_label": "行的中文名（含所属分组）",
    "column_label": "列的中文名",
    "value": "数值：件数、项数为整数，金额为以万元计的精确小数；未知为空。政府集中采购的采购总金额只在原文写明元、万元或亿元时换算，否则为空，原文见“原文”列",
    "unit": "数值的单位：件、项或万元",
    "printed": "原文文字（采购总金额照原文，如“2623.7200 万元（计划）”）；其他单元格为空",
    "unknown": "1：未知（数值为空）；0：已知",
    "status": "状态：" + "、".join(STATUS_WORDS.values()),
    "note": "状态的依据，每条一行：不符时哪条核对不成立；人工更正时原读出的值和理由；金额的限定语（如“计划”）",
    "warning": "提取时关于这个单元格的提示，每条一行",
    "source_page": "PDF 和扫描件：数字印在原文第几页",
    "source_box": "PDF 和扫描件：数字在该页上的位置，四个数依次为左、上、右、下，单位为点（1/72 英寸），从页面左上角量起",
    "source_table": "网页和 Word 文件：数字所在的表格是原文中的第几个表格",
    "source_row": "网页和 Word 文件：数字在该表格的第几行（合并的单元格按所占的行列展开计数）",
    "source_column": "网页和 Word 文件：数字在该表格的第几列（同上）",
    "source_line": "文本文件：数字在原文的第几行",
    "source_chars": "文本文件：数字是该行的第几个到第几个字符",
    "corrections_file": "人工更正时：更正文件的路径",
    "corrections_line": "人工更正时：该条更正在更正文件中的行号",
}
REPORT_LIST_COUNTS = {"failed_checks": "不符的核对（勾稽关系不成立）的条数", "contradicted_cells": "不符的单元格数",
                      "unknown_cells": "未知的单元格数", "corrected_cells": "人工更正的单元格数",
                      "warnings": "提取时的提示数（见年报页面的数据质量）"}
_INTEGER = {"year", "unknown_cells", "unknown", "source_page", "source_table", "source_row", "source_column",
            "source_line", "corrections_line"}


def reports_list(entries: list[Entry]) -> str:
    """年报清单.csv: one row per file in reports/, in page order, two header rows as every CSV."""
    rows = []
    for entry in entries:
        report, source = entry.report, entry.source
        region = entry.region
        status = status_of(report) if report else None
        counts = ["", "", "", "", ""]
        if report:
            failed = sum(len(c.contradictions) for c in report.checks if c.status == "fail")
            counts = [str(failed), str(len(status.contradicted_cells)), str(len(status.unknown_cells)),
                      str(len(status.corrected_cells)), str(len(report.warnings))]
        rows.append([entry.slug, (report.title if report else "") or "", entry.agency or "", " / ".join(region),
                     *(downloads.region_level(region, i) for i in range(3)), str(entry.year or ""),
                     (report.template if report else "") or "", source.format, "true" if report else "false",
                     source.sha256, str(source.sidecar.get("url") or ""), str(source.sidecar.get("published") or ""),
                     page_url(entry.page), entry.data if report else "", entry.original, *counts])
    return downloads.to_csv(REPORT_LIST_COLUMNS, rows)


def _field(key: str, label: str, **extra) -> dict:
    field = {"name": key, "title": label, "type": "integer" if key in _INTEGER else "string"}
    if key in MEANINGS:
        field["description"] = MEANINGS[key]
    if key in ("published",):
        field["type"] = "date"
    if key == "parsed":
        field["type"] = "boolean"
    if key == "status":
        field["constraints"] = {"enum": list(STATUS_WORDS.values())}
    if key == "unknown":
        field["constraints"] = {"enum": [0, 1]}
    field.update(extra)
    return field


def _cell_field(key: str, label: str, column: Column | None, unit: str) -> dict:
    """A cell's column in a wide table: its type from the template (column None: an amount in 万元)."""
    kind = column.kind if column else "decimal"
    field = {"name": key, "title": label, "type": {"count": "integer", "signed": "integer", "decimal": "number",
                                                    "text": "string"}[kind],
             "description": f"{FORMAT_WORDS[kind]}；单位：{unit}" + ("（原文文字，单位见文字本身）" if kind == "text" else ""),
             "unit": unit}
    if kind in ("count", "decimal"):
        field["constraints"] = {"minimum": 0}
    return field


def _report_key() -> list[dict]:
    return [{"fields": ["report"], "reference": {"resource": "reports", "fields": ["report"]}}]


def wide_schema(table_key: str, template: str) -> dict:
    table = TEMPLATES[template].table(table_key)
    by_key = {f"{r.key}.{c.key}": (r, c) for r in table.rows for c in r.columns}
    fields = [_field(key, label) for key, label in downloads.REPORT_COLUMNS]
    for _, key, label in downloads.wide_cells(table):
        if key in by_key:
            row, column = by_key[key]
            fields.append(_cell_field(key, label, column, unit_of(row, column)))
        else:  # the amount in 万元 beside a text amount
            fields.append(_cell_field(key, label, None, AMOUNT_UNIT))
    return {"fields": fields, "missingValues": MISSING, "primaryKey": ["report"], "foreignKeys": _report_key()}


def long_schema() -> dict:
    fields = []
    for key, label in downloads.LONG_COLUMNS:
        extra = {}
        if key == "value":
            extra = {"type": "number", "bareNumber": True}
        if key == "unit":
            extra = {"constraints": {"enum": sorted({"件", "项", AMOUNT_UNIT})}}
        fields.append(_field(key, label, **extra))
    return {"fields": fields, "missingValues": MISSING, "primaryKey": ["report", "table", "row", "column"],
            "foreignKeys": _report_key()}


def reports_schema() -> dict:
    fields = [_field(key, label, **({"description": REPORT_LIST_COUNTS[key], "type": "integer",
                                     "constraints": {"minimum": 0}} if key in REPORT_LIST_COUNTS else {}))
              for key, label in REPORT_LIST_COLUMNS]
    return {"fields": fields, "missingValues": MISSING, "primaryKey": ["report"]}


SCHEMAS = "data/schemas"  # one Table Schema per kind of CSV, shared by the years' resources


def schema_path(kind: str) -> str:
    return f"{SCHEMAS}/{kind}.schema.json"


def schema_files(years: list[downloads.YearFiles]) -> dict[str, str]:
    """The Table Schemas the data package refers to: the reports list's, the long table's and one per
    table and format that a year has."""
    files = {schema_path("reports"): _json(reports_schema()), schema_path("long"): _json(long_schema())}
    for year in years:
        for table, template, _ in year.wide_csvs:
            files.setdefault(schema_path(f"{table}-{template}"), _json(wide_schema(table, template)))
    return dict(sorted(files.items()))


def _json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1) + "\n"


def _resource(name: str, path: str, title: str, schema: str, description: str = "", **extra) -> dict:
    resource = {"name": name, "type": "table", "path": path.removeprefix("data/"), "title": title}
    if description:
        resource["description"] = description
    resource.update({"format": "csv", "mediatype": "text/csv", "encoding": "utf-8", **extra,
                     "dialect": dict(TWO_HEADER_ROWS), "schema": schema.removeprefix("data/")})
    return resource


def _name(year: downloads.YearFiles, *parts: str) -> str:
    return "-".join((year.label, *parts))


def data_package(years: list[downloads.YearFiles]) -> str:
    """datapackage.json: the reports list, then each year's wide tables and its long table."""
    resources = [_resource("reports", REPORTS_LIST, "年报清单", schema_path("reports"),
                           "每行一个 reports/ 中的文件：读出的年报，或未能读出的文件")]
    for year in years:
        scope = f"{year.name} 年" if year.label != "unknown" else year.name
        for table, template, path in year.wide_csvs:
            title = TEMPLATES[template].table(table).title
            resources.append(_resource(_name(year, table, template), path, f"{scope} {title}（{template} 版格式）",
                                       schema_path(f"{table}-{template}"), "宽表：每行一份年报，每个单元格一列"))
        inner = year.long_csv.removeprefix("data/").removesuffix(".zip")
        resources.append(_resource(_name(year, "long"), year.long_csv, f"{scope} 长表", schema_path("long"),
                                   "长表：每行一个单元格（年报 × 表 × 行 × 列），ZIP 压缩",
                                   compression="zip", innerpath=inner))
    package = {
        "name": "gov-info-disclosure-annual-reports",
        "title": "政府信息公开工作年度报告库：开放数据",
        "description": "各级行政机关政府信息公开工作年度报告中的统计表（表二、表三、表四），由本站程序从年报原文读出。"
                       "空值表示未知（年报未印出或未能可靠读取），不是 0。字段说明见本站“数据格式”和“数据下载”页。",
        "licenses": [LICENCE],
        "sources": SOURCES,
        "keywords": ["政府信息公开", "年度报告", "开放数据"],
        "resources": resources,
    }
    return _json(package)


# ---------------------------------------------------------------- the 对比 page's CSV

COMPARE_COLUMNS = (
    ("agency", "机关"), ("region", "地区"), ("year", "年度"), ("measure", "指标"), ("value", "数值"), ("unit", "单位"),
    ("status", "状态"), ("note", "说明"), ("page", "年报页面"),
)
COMPARE_STATUS = ("已知", "未知", "⚠不符", "人工更正", "该年格式无此项", "无年报", "无法计算", "样本太少")  # as compare.js writes them


def compare_schema() -> str:
    """The Table Schema of the CSV that the 对比 page makes in the browser (compare.js): one row per
    agency and year, two header rows as every CSV of the site."""
    meanings = {"agency": "机关", "region": "地区全称，各级用“ / ”隔开", "year": "年度",
                "measure": "所比较的指标（如“本年新收申请”）", "value": "数值；未知、无年报、样本太少或无法计算时为空",
                "unit": "单位：件，或 %（比率）", "status": "状态：" + "、".join(COMPARE_STATUS),
                "note": "状态的依据：不符时哪条核对不成立", "page": "该年报在本站的页面地址（无年报时为空）"}
    fields = []
    for key, label in COMPARE_COLUMNS:
        field = {"name": key, "title": label, "type": {"year": "integer", "value": "number"}.get(key, "string"),
                 "description": meanings[key]}
        if key == "status":
            field["constraints"] = {"enum": list(COMPARE_STATUS)}
        fields.append(field)
    schema = {"fields": fields, "missingValues": MISSING, "primaryKey": ["agency", "region", "year"]}
    return _json({"$comment": "对比页（compare/）下载的 CSV 的 Table Schema；CSV 的第一行是中文列名，第二行是列键",
                  "dialect": TWO_HEADER_ROWS, **schema})

