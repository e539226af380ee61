"""Section headings (extract/sections.py): a heading is a line of its own (or a sentence of text run
together) starting with its number; words inside a sentence never are; wordings and typos as data."""
from __future__ import annotations

import pytest

from builder.extract.sections import find_headings, is_section_heading

BODY = """某局2021年政府信息公开工作年度报告
本报告包括一、总体情况，二、主动公开政府信息情况，三、收到和处理政府信息公开申请情况，四、政府信息公开行政复议、行政诉讼情况，五、存在的主要问题及改进情况，六、其他需要报告的事项。
一、总体情况
正文。
二、主动公开政府信息情况
三、收到和处理政府信息公开申请情况
三、本年度办理结果
{four}
五、存在的主要问题及整改措施
六、其他需要报告的事项
无。"""


@pytest.mark.parametrize("four", ["四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政法复议、行政诉讼情况",
                                  "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "四、政府信息公开行政复议、行\n政诉讼情况"])
def test_headings_are_lines_of_their_own_not_words_of_the_preamble(four):
    text = BODY.format(four=four)
    found = find_headings(text)
    assert [h.key for h in found] == ["overview", "active_disclosure", "applications", "review_litigation",
                                      "problems_improvements", "other_matters"]
    preamble_end = text.index("\n一、总体情况")
    assert all(h.start > preamble_end for h in found)
    four_at = next(h for h in found if h.key == "review_litigation")
    assert text[four_at.start:four_at.end].replace("\n", "") == four.replace("\n", "")


def test_web_text_run_together_finds_headings_after_a_sentence_or_a_number():
    text = "联系。一、总体情况2020年，我区。二、主动公开政府信息情况 规章 0 0 7 三、收到和处理政府信息公开申请情况 0 0 0"
    assert [h.key for h in find_headings(text)] == ["overview", "active_disclosure", "applications"]


def test_a_missing_section_leaves_the_others():
    text = BODY.format(four="四、政府信息公开行政复议、行政诉讼情况").replace("六、其他需要报告的事项\n无。", "")
    assert [h.key for h in find_headings(text)][-1] == "problems_improvements"


@pytest.mark.parametrize("block,expected", [("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", True),
                                            ("三 、本 年 度", False), ("本报告包括总体情况、主动公开政府信息情况", False),
                                            ("二、主动公开政府信息情况", True), ("四、结转下年度继续办理", False)])
def test_is_section_heading(block, expected):
    assert is_section_heading(block) is expected
