"""Checks across two consecutive years of one agency (TEMPLATES.md, 勾稽关系 across years).

- ``carried_over``: this year's 上年结转 = last year's 结转下年度继续办理, per applicant column;
- ``in_force`` (both years in the 2021 format): 现行有效件数[Y] ≈ 现行有效件数[Y-1] + 本年制发[Y] −
  本年废止[Y], for 规章 and 行政规范性文件. Soft: a clean-up of old documents breaks it legitimately.

Judged like the in-report rules: ``pass`` when every cell is known and it holds, ``fail`` when the
known cells contradict it, ``unverified`` otherwise; the worst instance wins.
"""
from __future__ import annotations

from dataclasses import dataclass

from builder.extract.templates import APPLICANT_COLUMNS, TEMPLATES
from builder.models import Report, Status
from builder.render.figures import cell, format_number

STATUS_LABELS = {"pass": "通过", "fail": "不符", "unverified": "无法核实"}
_ORDER = {"pass": 0, "unverified": 1, "fail": 2}


@dataclass(frozen=True)
class CrossYearCheck:
    year: int  # the later of the two years
    rule: str
    label: str
    status: Status
    message: str
    soft: bool = False

    @property
    def status_label(self) -> str:
        label = STATUS_LABELS[self.status]
        return f"{label}（仅作提示）" if self.soft and self.status == "fail" else label


def cross_year_checks(by_year: dict[int, Report]) -> list[CrossYearCheck]:
    """Checks for every pair of consecutive years present in ``by_year``, oldest first."""
    checks = []
    for year in sorted(by_year):
        previous = by_year.get(year - 1)
        if previous is None:
            continue
        checks.append(carried_over_check(year, by_year[year], previous))
        if by_year[year].template == previous.template == "2021":
            checks.append(in_force_check(year, by_year[year], previous))
    return checks


def carried_over_check(year: int, this: Report, last: Report) -> CrossYearCheck:
    problems, unknown, statuses = [], [], []
    for column in APPLICANT_COLUMNS:
        now = cell(this, "applications", "carried_over", column.key)
        before = cell(last, "applications", "carried_forward", column.key)
        if now is None or before is None:
            statuses.append("unverified")
            unknown.append(column.label)
        elif now == before:
            statuses.append("pass")
        else:
            statuses.append("fail")
            problems.append(f"{column.label}：{year} 年上年结转 {format_number(now)}，"
                            f"{year - 1} 年结转下年度 {format_number(before)}")
    status = worst(statuses)
    label = f"{year} 年表三“上年结转” = {year - 1} 年表三“结转下年度继续办理”（每一列）"
    return CrossYearCheck(year, "carried_over", label, status, describe(status, problems, unknown, "列"))


def in_force_check(year: int, this: Report, last: Report) -> CrossYearCheck:
    table = TEMPLATES["2021"].table("active_disclosure")
    problems, unknown, statuses = [], [], []
    for row_key in ("regulations", "normative_documents"):
        label = table.row(row_key).label
        now = cell(this, "active_disclosure", row_key, "in_force")
        before = cell(last, "active_disclosure", row_key, "in_force")
        issued = cell(this, "active_disclosure", row_key, "issued")
        repealed = cell(this, "active_disclosure", row_key, "repealed")
        if any(v is None for v in (now, before, issued, repealed)):
            statuses.append("unverified")
            unknown.append(label)
            continue
        expected = before + issued - repealed
        if now == expected:
            statuses.append("pass")
        else:
            statuses.append("fail")
            problems.append(f"{label}：{year} 年现行有效 {now}，按 {year - 1} 年 {before} + 制发 {issued} − "
                            f"废止 {repealed} 应为 {expected}")
    status = worst(statuses)
    label = f"表二“现行有效件数”：{year} 年 ≈ {year - 1} 年 + {year} 年制发 − {year} 年废止"
    return CrossYearCheck(year, "in_force", label, status, describe(status, problems, unknown, "行"),
                          soft=True)


def worst(statuses: list[str]) -> Status:
    return max(statuses, key=_ORDER.__getitem__) if statuses else "unverified"


def describe(status: str, problems: list[str], unknown: list[str], unit: str) -> str:
    if status == "pass":
        return f"各{unit}都相符。"
    parts = [*problems]
    if unknown:
        parts.append(f"{'、'.join(unknown)} 有未知值，无法核对")
    return "；".join(parts) + "。"
