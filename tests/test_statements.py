"""Text against table: the figures a report restates in its prose, checked against its tables, and
used to settle a cell whose run-together digits allow several readings — never to guess one.

The real reports are the fixtures' own copies: 平潭 2023 (web text, cells run together; its prose
restates a dozen figures, settles 行政规范性文件 本年制发 77 and contradicts every reading of 现行有效),
平潭 2020 (its prose restates only the 21 applications, which agree; nothing it says settles table 二),
爱民区 2020 (its prose says 受理依申请公开 1 件, its table 3). Variants of them change one sentence.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from builder.extract.statements import text_to_statements
from builder.extract.templates import TEMPLATES
from builder.models import Report
from builder.pipeline import parse
from builder.render.open_data import report_to_open_data
from builder.render.status import status_of
from conftest import REPORTS

PINGTAN_2023 = REPORTS / "web-text-cells-run-together-2021.txt"
PINGTAN_2020 = REPORTS / "web-text-cells-run-together-2019.txt"
AIMIN = REPORTS / "word-2019-merged-cells-aimin.docx"
RULE = "text.matches_table"


def _read(sentence: str, template: str = "2021") -> list[tuple[str, int, int]]:
    return [(s.figure, s.value, len(s.cells)) for s in text_to_statements(sentence, TEMPLATES[template])]


def _variant(tmp_path: Path, source: Path, old: str, new: str, name: str = "") -> Report:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / (name or source.name)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return parse(path)


def _check(report: Report):
    return next((c for c in report.checks if c.rule == RULE), None)


def _warnings(report: Report, code: str) -> dict[str, str]:
    return {w.where: w.message for w in report.warnings if w.code == code}


# ---------------------------------------------------------------- reading the prose

@pytest.mark.parametrize("sentence, expected", [
    ("本年度共收到政府信息公开申请 26 件。", [("received", 26, 1)]),
    ("2020 年累计受理依申请公开 1 件", [("received", 1, 1)]),
    ("共受理政府信息公开申请二十六件（含上年结转3件）。", [("received", 26, 2), ("carried_over", 3, 1)]),
    ("申请共计81件，涉及自然人80件、商业企业1件。", []),  # no verb of receiving: not read
    ("全区接收政府信息公开申请共计81件，涉及自然人80件、商业企业1件。",
     [("received", 81, 1), ("received", 80, 1), ("received", 1, 1)]),
    ("其中予以公开10件，部分公开3件，不予公开2件，无法提供5件，不予处理1件，其他处理2件。",
     [("granted", 10, 1), ("partially_granted", 3, 1), ("denied", 2, 8), ("unavailable", 5, 3),
      ("not_processed", 1, 5), ("other_processed", 2, 3)]),
    ("予以公开及部分公开42件", [("granted_or_partial", 42, 2)]),
    ("办结依申请公开81件，结转下年度继续办理2件。", [("processed", 81, 1), ("carried_forward", 2, 1)]),
    ("因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。", [("reviews", 2, 1), ("lawsuits", 7, 2)]),
    ("本年度未收到政府信息公开申请。", [("received", 0, 1)]),
    ("全年无因依申请公开引起的行政复议和行政应诉有关工作。", [("reviews", 0, 1), ("lawsuits", 0, 2)]),
    ("未因政府信息公开被申请行政复议，被提起行政诉讼1起。", [("reviews", 0, 1), ("lawsuits", 1, 2)]),
    ("动态更新本年度制发的规范性文件77件", [("normative_documents_issued", 77, 1)]),
    ("作出行政处罚决定1330件", [("administrative_penalty_decisions", 1330, 1)]),
    # counts of other things, or no count at all: nothing is read
    ("政策、规范性文件类信息80条，行政许可类信息40条", []),
    ("已宣布废止规范性文件5件", []),  # 2021 would read it; see below
    ("办结率100%，答复21件。", []),
    ("没有发生行政复议被纠错的情况", []),
    ("受理行政复议申请2件", []),  # the agency as the review body: not a review of its own disclosure
    ("大力推进“办好一件事”", []),
    ("2020年1月1日至2020年12月31日", []),
])
def test_reads_what_the_prose_restates_and_nothing_else(sentence, expected):
    template = "2021" if "废止" not in sentence else "2019"
    assert _read(sentence, template) == expected


def test_a_format_reads_only_its_own_columns():
    assert _read("已宣布废止规范性文件5件", "2021") == [("normative_documents_repealed", 5, 1)]
    assert _read("本年新制作规范性文件7件", "2021") == []
    assert _read("本年新制作规范性文件7件", "2019") == [("normative_documents_made", 7, 1)]


def test_statements_are_read_wherever_they_stand():
    """Independent of section headings: the same sentence reads the same in any section, or in none."""
    sentence = "本年度共收到政府信息公开申请26件，办结26件。"
    alone = _read(sentence)
    assert alone == [("received", 26, 1), ("processed", 26, 1)]
    for before in ("一、总体情况\n", "三、收到和处理政府信息公开申请情况\n", "（二）依申请公开方面\n", "五、存在问题\n"):
        assert _read(before + sentence) == alone


def test_line_breaks_of_a_text_layer_do_not_hide_a_statement():
    assert _read("规范政府信息公开申请办理工作，受理依申请\n\n公开 1 件；") == [("received", 1, 1)]


# ---------------------------------------------------------------- compared with the table: 正文另述

def test_prose_that_agrees_raises_nothing():
    report = parse(PINGTAN_2023)
    assert report.differences == ()
    checked = [s for s in report.statements if s.use == "check"]
    assert {s.figure for s in checked} >= {"received", "processed", "granted_or_partial", "denied", "unavailable",
                                           "not_processed", "other_processed", "reviews", "lawsuits"}
    assert parse(PINGTAN_2020).differences == ()
    assert RULE not in {c.rule for c in report.checks}  # not a rule of the tables


def test_prose_that_differs_is_a_note_not_a_contradiction():
    report = parse(AIMIN)  # 受理依申请公开 1 件; table 三 本年新收 总计 3
    (difference,) = report.differences
    assert (difference.prose, difference.table, difference.quote) == (1, 3, "受理依申请公开1件")
    assert difference.note == "本年新收申请：正文为 1，表中为 3（正文：“受理依申请公开1件”）"
    assert report.tables["applications"]["new_received"]["total"] == 3  # the table is published as printed
    # not ⚠不符: the figure keeps its status and counts in totals, with the note beside it
    cell = status_of(report).cell("applications.new_received.total")
    assert cell.kind == "known" and cell.countable and cell.differences == (difference.note,)
    assert not any(c.status == "fail" and c.rule == RULE for c in report.checks)


def test_a_changed_sentence_is_caught(tmp_path):
    report = _variant(tmp_path, PINGTAN_2023, "申请共计81件", "申请共计86件")
    assert [(d.prose, d.table) for d in report.differences] == [(86, 81)]
    assert report.tables["applications"]["new_received"]["total"] == 81


def test_numbers_in_chinese_numerals(tmp_path):
    agrees = _variant(tmp_path, PINGTAN_2023, "申请共计81件", "申请共计八十一件", "agrees.txt")
    assert agrees.differences == ()
    disagrees = _variant(tmp_path, PINGTAN_2023, "申请共计81件", "申请共计八十六件", "disagrees.txt")
    assert [d.prose for d in disagrees.differences] == [86]


def test_no_statement_no_difference(tmp_path):
    report = _variant(tmp_path, PINGTAN_2020, "共受理政府信息公开申请21件", "认真受理政府信息公开申请")
    assert not report.statements and report.differences == ()


def test_statements_and_differences_are_open_data():
    data = report_to_open_data(parse(AIMIN))
    assert {"figure": "received", "cells": ["applications.new_received.total"], "value": 1,
            "text": "受理依申请公开1件", "use": "check"} in data["statements"]
    assert data["prose_differences"] == [{
        "figure": "received", "cells": ["applications.new_received.total"], "prose": 1, "table": 3,
        "text": "受理依申请公开1件", "message": "本年新收申请：正文为 1，表中为 3（正文：“受理依申请公开1件”）"}]
    assert all(c["rule"] != RULE for c in data["checks"])


# ---------------------------------------------------------------- settling what the digits leave open

def test_prose_settles_a_run_together_cell_with_a_warning():
    report = parse(PINGTAN_2023)  # 行政规范性文件77132470 · 动态更新本年度制发的规范性文件77件
    row = report.tables["active_disclosure"]["normative_documents"]
    assert row["issued"] == 77  # the original page's cell says 77
    settled = _warnings(report, "cell.settled_by_text")
    assert "制发的规范性文件77件" in settled["active_disclosure.normative_documents.issued"]
    assert "7、77、771" in settled["active_disclosure.normative_documents.issued"]
    assert [s.use for s in report.statements if s.figure == "normative_documents_issued"] == ["settled"]
    # 132470 still splits five ways: 132 / 470 on the page, but nothing says so
    assert row["repealed"] is None and row["in_force"] is None


def test_prose_that_fits_no_reading_settles_nothing_and_is_reported():
    report = parse(PINGTAN_2023)  # 现行有效行政规范性文件393件: no split of 132470 ends in 393
    assert report.tables["active_disclosure"]["normative_documents"]["in_force"] is None
    unfit = _warnings(report, "text.fits_no_reading")
    assert "393" in unfit["active_disclosure.normative_documents.in_force"]
    assert [s.use for s in report.statements if s.figure == "normative_documents_in_force"] == ["fits_no_reading"]


def test_pingtan_2020_prose_does_not_settle_table_2():
    """Its table 二 runs cells together (规范性文件7777166); its prose counts 政策、规范性文件类信息 80 条
    (items published, another thing) and says nothing of the documents made: the cells stay unknown."""
    report = parse(PINGTAN_2020)
    assert [s.figure for s in report.statements] == ["received"]
    assert set(report.tables["active_disclosure"]["normative_documents"].values()) == {None}
    assert not _warnings(report, "cell.settled_by_text")


SAYS_2020 = "5.加强平台建设"


def test_a_stated_number_settles_every_cell_of_the_run(tmp_path):
    report = _variant(tmp_path, PINGTAN_2020, SAYS_2020, "本年新制作规范性文件77件，新公开规范性文件77件。" + SAYS_2020)
    assert report.tables["active_disclosure"]["normative_documents"] == \
        {"made": 77, "published": 77, "total_public": 166}  # the original page's cells
    settled = _warnings(report, "cell.settled_by_text")
    assert set(settled) == {f"active_disclosure.normative_documents.{c}" for c in ("made", "published", "total_public")}


def test_a_stated_number_no_reading_gives_is_not_taken(tmp_path):
    report = _variant(tmp_path, PINGTAN_2020, SAYS_2020, "本年新制作规范性文件5件。" + SAYS_2020)
    assert set(report.tables["active_disclosure"]["normative_documents"].values()) == {None}
    assert "active_disclosure.normative_documents.made" in _warnings(report, "text.fits_no_reading")


def test_statements_that_disagree_with_each_other_settle_nothing(tmp_path):
    report = _variant(tmp_path, PINGTAN_2020, SAYS_2020,
                      "本年新制作规范性文件77件。全年新制作规范性文件7件。" + SAYS_2020)
    assert set(report.tables["active_disclosure"]["normative_documents"].values()) == {None}
    assert not _warnings(report, "cell.settled_by_text")


def test_a_statement_of_another_scope_settles_nothing(tmp_path):
    """区本级 speaks of the government's own part: it may not choose a split of the whole's digits."""
    report = _variant(tmp_path, PINGTAN_2020, SAYS_2020, "区本级新制作规范性文件77件。" + SAYS_2020)
    assert set(report.tables["active_disclosure"]["normative_documents"].values()) == {None}
    assert not _warnings(report, "cell.settled_by_text")
    assert [s.use for s in report.statements if s.figure == "normative_documents_made"] == ["scope_in_doubt"]


def test_a_statement_never_fills_a_cell_the_table_left_unreadable(tmp_path):
    """The row 规章 removed from the table: the prose says 3, the cells stay unknown with their warning."""
    text = PINGTAN_2020.read_text(encoding="utf-8").replace("规章007", "", 1)
    path = tmp_path / "no-row.txt"
    path.write_text(text.replace(SAYS_2020, "本年新制作规章3件。" + SAYS_2020, 1), encoding="utf-8")
    report = parse(path)
    assert set(report.tables["active_disclosure"]["regulations"].values()) == {None}
    assert "active_disclosure.regulations" in {w.where for w in report.warnings if w.code == "row.missing"}
    assert not _warnings(report, "cell.settled_by_text")
