"""Findings and checks in plain Chinese, for readers: which table, row and column a dotted path names,
what a rule means, and the one-line summary and details of a report's data-quality box; and the
数据质量 page (quality.md.j2, with its years' pages, quality_year.md.j2), which sums them up.

Codes (``applications.balance``, ``row.missing``, cell paths) never reach a public page: they stay in
the open data and on the 数据格式 page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from builder.extract.templates import SECTION_TITLES, TEMPLATES, Table
from builder.models import Finding, Report
from builder.render.entries import Entry, entry_place, failures_of
from builder.render.figures import format_number
from builder.render.inconsistencies import inconsistencies_of
from builder.render.paging import paginate
from builder.render.search_fields import site_fields
from builder.render.status import status_of

RULE_LABELS = {
    "applications.balance":
        "表三：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理（每一列）",
    "applications.total_processed_is_sum_of_outcomes":
        "表三：（七）总计 = 各项办理结果之和（每一列）",
    "applications.total_column_is_sum":
        "表三：总计列 = 六类申请人之和（每一行）",
    "review_litigation.group_total":
        "表四：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结（每一组）",
}

WARNING_LABELS = {  # the kinds of the parser's findings, for the 数据质量 page's summary
    "cell.ambiguous": "数字连在一起，有多种拆法，无法确定",
    "cell.settled_by_text": "数字连在一起，按报告正文所述确定",
    "cell.settled_across_years": "数字连在一起，按同一机关相邻年度的报告确定",
    "cell.blank": "单元格空白",
    "cell.unreadable": "单元格无法读取",
    "cell.too_large": "单元格印的数大得不可能（超过 2^53 − 1）",
    "cell.merged": "单元格与相邻的格合并，无法确定数字属于哪一格",
    "cell.missing": "表中没有找到某一格",
    "cell.ocr_uncertain": "扫描件中识别没有把握的数字",
    "cell.ocr_lookalike": "扫描件中把形近的字母或汉字读作数字（经勾稽关系证实）",
    "cell.derived_unknown": "金额无法换算为元",
    "row.missing": "表中没有找到某一行",
    "row.incomplete": "某一行的数字不全",
    "cells.unplaced": "有数字无法对应到单元格",
    "table.missing": "没有找到某张表",
    "section.missing": "没有找到某一部分的标题",
    "metadata.agency": "机关名称未能识别",
    "metadata.year": "年度未能识别",
    "metadata.year_conflict": "年度与补充信息不一致",
    "metadata.region_from_name": "地区按机关名称推定",
    "metadata.region_conflict": "地区与机关名称不一致",
    "metadata.region_level": "区县机关的年报放在了上级地区",
    "template.guessed": "报告格式按年度推定",
    "template.unknown": "报告格式未能识别",
    "source.note": "关于原文件的说明",
    "source.scanned": "扫描件，文字由文字识别（OCR）读出",
    "correction.invalid": "无效的人工更正",
}

TABLE_NUMBERS = {"active_disclosure": "表二", "applications": "表三", "review_litigation": "表四"}
# what a path outside the tables names
PLACES = {"agency": "机关名称", "year": "年度", "template": "报告格式", "source": "原文件", "corrections": "更正文件",
          "title": "报告标题", "region": "地区"}
DERIVED_COLUMNS = {"amount_yuan": "采购总金额折合为元"}  # cells the parser adds beside the printed ones
CANDIDATES_SHOWN = 5  # a list of possible readings is cut to this many on the page


def warning_label(code: str) -> str:
    return WARNING_LABELS.get(code, "其他提示")


def rule_label(rule: str) -> str:
    return RULE_LABELS.get(rule, "勾稽关系核对")


def row_label(table: Table, row_key: str) -> str:
    """The row label with its group and subgroup, as in the official table."""
    row = next((r for r in table.rows if r.key == row_key), None)
    if row is None:
        return "某一行"
    if table.subtables:
        return f"{row.group} / {row.label}"
    return " / ".join([*(p for p in (row.group, row.subgroup) if p and p != row.label), row.label])


def where_label(table: Table, where: str) -> str:
    """A path inside ``table`` as its row and column labels; 全表 for the table itself."""
    _, row_key, column_key = (where.split(".", 2) + ["", ""])[:3]
    if not row_key:
        return "全表"
    row = next((r for r in table.rows if r.key == row_key), None)
    column = next((c for c in row.columns if c.key == column_key), None) if row else None
    label = row_label(table, row_key)
    if not column_key:
        return label
    return f"{label} / {column.label if column else DERIVED_COLUMNS.get(column_key, '某一列')}"


def describe_where(template: str | None, where: str) -> str:
    """``applications.carried_forward.total`` → 表三 四、结转下年度继续办理 / 总计; never a code."""
    head = where.split(".", 1)[0]
    if head == "sections":
        return SECTION_TITLES.get(where.split(".", 1)[-1], "某一部分")
    if head in PLACES:
        return PLACES[head]
    if head not in TABLE_NUMBERS:
        return "年报"
    if template not in TEMPLATES:
        return TABLE_NUMBERS[head]
    return f"{TABLE_NUMBERS[head]} {where_label(TEMPLATES[template].table(head), where)}"


def names_cell(finding: Finding, cell_path: str) -> bool:
    """True when the finding's ``where`` is the cell's path or a dotted prefix of it."""
    return cell_path == finding.where or cell_path.startswith(finding.where + ".")


_CANDIDATES = re.compile(r"可能是 (?P<list>[^ ]+(?:、[^ ]+)+) 中的任一个")


def brief(message: str) -> str:
    """A finding's message for readers: a long list of possible readings cut to a few."""
    def cut(m: re.Match) -> str:
        items = m.group("list").split("、")
        if len(items) <= CANDIDATES_SHOWN:
            return m.group(0)
        return f"可能是 {'、'.join(items[:CANDIDATES_SHOWN])} 等 {len(items)} 种读法中的任一个"
    return _CANDIDATES.sub(cut, message)


@dataclass(frozen=True)
class Quality:
    """A report's data-quality box: the one-line summary, and what its folded details list."""

    summary: str  # "4 项核对全部通过" / "1 项不符，3 格未知"
    clean: bool  # every check passes, no cell unknown, nothing to note
    contradictions: list[str] = field(default_factory=list)  # "表四 行政复议：报告所印总计为 0，…"
    unverified: list[str] = field(default_factory=list)  # rules that could not be checked, and why
    unknown: list[tuple[str, int]] = field(default_factory=list)  # (table, unknown cells in it)
    unknown_notes: list[str] = field(default_factory=list)  # why cells are unknown, by place
    corrections: list[str] = field(default_factory=list)  # "表三 …/ 总计：未知 → 0（理由：…）"
    notes: list[str] = field(default_factory=list)  # the parser's other notes, by place
    passed: int = 0
    differences: list[str] = field(default_factory=list)  # 正文另述: the prose restates a figure otherwise
    parts: list[tuple[str, int, str]] = field(default_factory=list)  # (kind, count, words) of the summary, in order


_QUALITY: dict[int, tuple[Report, Quality]] = {}  # id(report) → its box: lists and pages ask many times


def report_quality(report: Report) -> Quality:
    """The report's data-quality box, worked out once per report."""
    known = _QUALITY.get(id(report))
    if known is None or known[0] is not report:
        if len(_QUALITY) >= 100_000:
            _QUALITY.clear()
        known = _QUALITY[id(report)] = (report, _quality(report))
    return known[1]


def _quality(report: Report) -> Quality:
    status = status_of(report)
    failed = [c for c in report.checks if c.status == "fail"]
    unverified = [c for c in report.checks if c.status == "unverified"]
    passed = sum(1 for c in report.checks if c.status == "pass")
    table_of = {c.rule: c.rule.split(".", 1)[0] for c in report.checks}
    contradictions = [f"{TABLE_NUMBERS.get(table_of[c.rule], '')} {x.note}".strip()
                      for c in failed for x in c.contradictions] or [rule_label(c.rule) for c in failed]
    unknown_by_table: dict[str, int] = {}
    for path in status.unknown_cells:
        table = TABLE_NUMBERS[path.split(".", 1)[0]]
        unknown_by_table[table] = unknown_by_table.get(table, 0) + 1
    on_unknown = {f: None for path in status.unknown_cells for f in status.cell(path).notes}  # in order
    settled = status.settled
    notes = [f"{describe_where(report.template, f.where)}：{brief(f.message)}" for f in report.warnings
             if f not in on_unknown and f not in settled and f.code != "correction.invalid"]
    corrections = [f"{describe_where(report.template, c.cell)}：{_shown(c.printed)} → {_shown(c.value)}"
                   f"（理由：{c.reason}）" for c in report.corrections]
    # each kind apart, in the words the summary, the badge and the box all use: (kind, count, unit + words)
    counted = (("contradicted", len(failed), "项核对不符"), ("unverified", len(unverified), "项无法核对"),
               ("unknown", len(status.unknown_cells), "格未知"), ("differs", len(report.differences), "处正文另述"),
               ("corrected", len(report.corrections), "格人工更正"), ("notes", len(notes), "条提示"))
    kinds = [(kind, n, words) for kind, n, words in counted if n]
    parts = [f"{n} {words}" for _, n, words in kinds]
    if report.template is None:
        summary = "未能识别报告的格式，表格未读取"
    elif not parts:
        summary = f"{passed} 项核对全部通过" if passed else "没有可核对的数字"
    elif not failed and not unverified and passed:
        summary = f"{passed} 项核对全部通过，" + "，".join(parts)
    else:
        summary = "，".join(parts)
    return Quality(summary, report.template is not None and not parts and not notes, contradictions,
                   [f"{rule_label(c.rule)}：所需的数字有未知，无法核对" for c in unverified],
                   [(t, unknown_by_table[t]) for t in TABLE_NUMBERS.values() if t in unknown_by_table],
                   [f"{describe_where(report.template, f.where)}：{brief(f.message)}" for f in on_unknown],
                   corrections, notes, passed, [d.note for d in report.differences], kinds)


def _shown(value) -> str:
    if value is None:
        return "未知"
    return format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else f"“{value}”"


# ---------------------------------------------------------------- the 数据质量 page

QUALITY_PAGE = 500  # reports on one page of a year's 数据质量
QUALITY_DETAILS = 200  # up to this many reports with findings, 数据质量 lists them in full; beyond, by year


def quality_pages(entries: list[Entry]):
    """(path, template, context) of 数据质量 (quality.md.j2) and, when its list is too long for it, of each
    year's pages of reports with findings (quality_year.md.j2)."""
    quality = quality_context(entries)
    yield "quality/index.md", "quality.md.j2", {**quality, "search_fields": site_fields("数据质量")}
    if not quality["detailed"]:
        for label, items in quality["by_year"]:
            for path, chunk, pager in paginate(f"quality/{label}", items, QUALITY_PAGE,
                                               lambda item: entry_place(item["entry"])):
                yield path, "quality_year.md.j2", {"label": label, "flagged": chunk, "flagged_count": len(items),
                                                   "pager": pager}


def quality_context(entries: list[Entry]) -> dict:
    items = [{"entry": e, "quality": report_quality(e.report)} for e in entries if e.report]
    flagged = [item for item in items if not item["quality"].clean]
    by_year: dict[str, list[dict]] = {}
    for item in flagged:
        by_year.setdefault(str(item["entry"].report.year or "unknown"), []).append(item)
    rules: dict[str, list[int]] = {}  # rule → [reports failing it, reports where it is unverified]
    kinds: dict[str, int] = {}  # a kind of finding, in words → reports with such a finding
    for item in flagged:
        report = item["entry"].report
        for index, status in ((0, "fail"), (1, "unverified")):
            for rule in {c.rule for c in report.checks if c.status == status}:
                rules.setdefault(rule, [0, 0])[index] += 1
        for label in {warning_label(w.code) for w in report.warnings}:
            kinds[label] = kinds.get(label, 0) + 1
    return {
        "flagged": flagged,
        "detailed": len(flagged) <= QUALITY_DETAILS,
        "by_year": list(by_year.items()),
        "rules": [(rule_label(rule), *counts) for rule, counts in sorted(rules.items())],
        "kinds": sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
        "failures": failures_of(entries),
        "report_count": len(items),
        "clean_count": len(items) - len(flagged),
        "inconsistencies": inconsistencies_of([item["entry"].report for item in items]),
    }
