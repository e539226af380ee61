"""Table placement on small texts: a number lands in a cell only when no other reading is possible."""
from __future__ import annotations

from pathlib import Path

from builder.extract.report import document_to_report
from builder.extract.formats.text import read
from builder.models import Document, SourceFile

HEAD = "某局2020年政府信息公开工作年度报告\n一、总体情况\n无。\n二、主动公开政府信息情况\n"
ACTIVE = """第二十条第（一）项
信息内容 本年新制作数量 本年新公开数量 对外公开总数量
规章 0 0 0
规范性文件 0 0 0
第二十条第（五）项
信息内容 上一年项目数量 本年增/减 处理决定数量
{licensing}
第二十条第（六）项
信息内容 上一年项目数量 本年增/减 处理决定数量
行政处罚 0 0 0
行政强制 0 0 0
第二十条第（八）项
信息内容 上一年项目数量 本年增/减
行政事业性收费 0 0
第二十条第（九）项
信息内容 采购项目数量 采购总金额
政府集中采购 0 0
"""
TAIL = "三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n"


def _report(tmp_path: Path, licensing: str):
    path = tmp_path / "r.txt"
    path.write_text(HEAD + ACTIVE.format(licensing=licensing) + TAIL, encoding="utf-8")
    return document_to_report(Document(SourceFile(path, "0" * 64, "text"), read(path)))


def _rows(report):
    a = report.tables["active_disclosure"]
    return a["administrative_licensing"], a["other_administrative_services"]


def test_rows_printed_in_order(tmp_path):
    lic, other = _rows(_report(tmp_path, "行政许可 10 -10 0\n其他对外管理服务事项 2 -2 0"))
    assert lic == {"previous_count": 10, "change": -10, "decisions": 0}
    assert other == {"previous_count": 2, "change": -2, "decisions": 0}


def test_interleaved_rows_placed_when_only_one_reading_is_possible(tmp_path):
    lic, other = _rows(_report(tmp_path, "行政许可 10 -10\n-2\n0\n0\n其他对外管理服务事项 2"))
    assert lic == {"previous_count": 10, "change": -10, "decisions": 0}
    assert other == {"previous_count": 2, "change": -2, "decisions": 0}


def test_interleaved_rows_left_unknown_when_two_readings_fit(tmp_path):
    report = _report(tmp_path, "行政许可 10 -10\n5\n0\n0\n其他对外管理服务事项 2")
    lic, other = _rows(report)
    assert lic["previous_count"] == 10 and lic["change"] == -10
    unknown = [k for row in (lic, other) for k, v in row.items() if v is None]
    assert unknown  # 5, 0, 0 and 2 fit more than one way
    warned = {w.where for w in report.warnings}
    assert all(any(f"active_disclosure.{r}.{k}".startswith(w) for w in warned)
               for r, row in (("administrative_licensing", lic), ("other_administrative_services", other))
               for k, v in row.items() if v is None)


def test_a_short_row_is_unknown_never_zero_filled(tmp_path):
    report = _report(tmp_path, "行政许可 1110 +123\n其他对外管理服务事项 0 0 0")
    lic, other = _rows(report)
    assert lic == {"previous_count": None, "change": None, "decisions": None}
    assert other == {"previous_count": 0, "change": 0, "decisions": 0}
    assert any(w.code == "row.incomplete" and w.where == "active_disclosure.administrative_licensing"
               for w in report.warnings)


def test_a_blank_mark_is_an_unknown_cell(tmp_path):
    report = _report(tmp_path, "行政许可 1110 / 1233\n其他对外管理服务事项 0 0 0")
    lic, _ = _rows(report)
    assert lic == {"previous_count": 1110, "change": None, "decisions": 1233}
    assert any(w.where == "active_disclosure.administrative_licensing.change" for w in report.warnings)


def test_a_missing_row_is_unknown_with_a_warning(tmp_path):
    report = _report(tmp_path, "行政许可 1 0 1")
    _, other = _rows(report)
    assert set(other.values()) == {None}
    assert any(w.code == "row.missing" and w.where == "active_disclosure.other_administrative_services"
               for w in report.warnings)


def test_missing_tables_are_unknown_with_a_warning(tmp_path):
    report = _report(tmp_path, "行政许可 1 0 1\n其他对外管理服务事项 0 0 0")
    assert set(report.tables["applications"]["granted"].values()) == {None}
    assert any(w.where.startswith("applications") for w in report.warnings)
