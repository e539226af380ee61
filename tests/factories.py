"""Hand-built reports for the render and site tests: every table key of both templates filled in."""
from __future__ import annotations

import hashlib
from pathlib import Path

from builder.extract.templates import SECTIONS, TEMPLATES
from builder.models import CheckResult, Failure, Finding, Passage, Prose, Report, SourceFile

UNKNOWN_WHERE = "applications.carried_forward.total"
UNKNOWN_MESSAGE = "结转下年度继续办理的总计数字被页脚遮住，无法读取"


def make_source(path: str, content: str = "", region: tuple[str, ...] = ("福建省", "福州市", "平潭综合实验区"),
                fmt: str = "text") -> SourceFile:
    sha = hashlib.sha256((content or path).encode("utf-8")).hexdigest()
    return SourceFile(Path(path), sha, fmt, region)


def fill_tables(template: str) -> dict:
    """Every cell of ``template`` with a distinct, recognisable number (1000 + position)."""
    tables: dict = {}
    n = 1000
    for table in TEMPLATES[template].tables:
        for row in table.rows:
            for column in row.columns:
                n += 1
                tables.setdefault(table.key, {}).setdefault(row.key, {})[column.key] = n
    return tables


def make_sections(agency: str) -> dict[str, Prose]:
    return {key: (Passage(((f"{agency}在{heading[2:]}方面的情况。", False),)),) for key, heading in SECTIONS}


def make_report_2019(**changes) -> Report:
    tables = fill_tables("2019")
    active = tables["active_disclosure"]
    active["administrative_penalty"]["change"] = -18
    active["administrative_licensing"]["change"] = 442
    active["centralized_procurement"]["amount"] = "2623.7200 万元（计划）"
    values = dict(
        source=make_source("reports/福建省/平潭综合实验区/pingtan_2020.txt"),
        title="平潭综合实验区2020年政府信息公开工作年度报告",
        agency="平潭综合实验区",
        year=2020,
        template="2019",
        sections=make_sections("平潭综合实验区"),
        tables=tables,
        checks=(CheckResult("applications.balance", "pass", "每一列都平衡"),
                CheckResult("applications.total_processed_is_sum_of_outcomes", "fail",
                            "总计列：（七）总计 20 ≠ 各项之和 26", failures=("total",))),
    )
    values.update(changes)
    return Report(**values)


def make_report_2021(**changes) -> Report:
    tables = fill_tables("2021")
    tables["active_disclosure"]["administrative_fees"]["amount_10k_yuan"] = 5949.088667
    tables["applications"]["carried_forward"]["total"] = None
    values = dict(
        source=make_source("reports/江苏省/淮安市/洪泽区/hongze_2023.pdf", fmt="pdf",
                           region=("江苏省", "淮安市", "洪泽区")),
        title="淮安市洪泽区人民政府2023年政府信息公开工作年度报告",
        agency="淮安市洪泽区人民政府",
        year=2023,
        template="2021",
        sections=make_sections("淮安市洪泽区人民政府"),
        tables=tables,
        warnings=(Finding("cell.unreadable", UNKNOWN_WHERE, UNKNOWN_MESSAGE),),
        checks=(CheckResult("applications.balance", "unverified", "总计列有未知值"),
                CheckResult("review_litigation.group_total", "pass", "三组都相符")),
    )
    values.update(changes)
    return Report(**values)


def make_failure() -> Failure:
    return Failure(make_source("reports/浙江省/杭州市/scan only.pdf", fmt="pdf", region=("浙江省", "杭州市")),
                   "PDF 没有文字层（扫描件）：请提供带文字层的 PDF 或 .txt 文本")
