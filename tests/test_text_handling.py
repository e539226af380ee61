"""Chinese text handling, number tokens and label variants, each on its own."""
from __future__ import annotations

import pytest

from builder.extract.chinese import drop_spaces_between_han, fold, fuzzy_pattern
from builder.extract.numbers import token_value, tokenize
from builder.extract.templates import Column
from builder.render.markdown import escape


def test_fold_keeps_positions():
    text = "（二）部分公开“三安全一稳定”１２３－１０"
    assert len(fold(text)) == len(text)
    assert fold(text) == '(二)部分公开"三安全一稳定"123-10'


@pytest.mark.parametrize("printed", [
    "2.其他法律行政法规禁止公开", "2、其他法律行政法规禁止公开", "2. 其他法律\n行政法规禁止公开",
    "2.其他法律行\n\n政法规禁止公\n\n开", "２．其他法律行政法规禁止公开",
])
def test_label_variants_match(printed):
    assert fuzzy_pattern("2.其他法律行政法规禁止公开").search(fold(printed))


@pytest.mark.parametrize("printed", ["（二）部分公开", "(二)部分公开", "( 二 ) 部分公开"])
def test_bracket_variants_match(printed):
    assert fuzzy_pattern("（二）部分公开").search(fold(printed))


def test_spaces_between_han_removed_but_not_around_numbers():
    assert drop_spaces_between_han("政 府 信 息 公 开 工 作") == "政府信息公开工作"
    assert drop_spaces_between_han("2020 年 1 月") == "2020 年 1 月"


def _values(text: str, kind: str = "count"):
    folded = fold(text)
    return [token_value(t, Column("c", "c", kind)) for t in tokenize(folded, original=text)]


def test_list_marks_are_not_numbers():
    assert _values("1.属于国家秘密 0 0 0 0 0 0 0 2.其他法律") == [0] * 7
    assert _values("0 0 05.要求行政机关确认") == [0, 0, 0]  # "05." is a 0 and the list mark 5.


def test_signed_numbers_and_units():
    assert _values("行政许可 1110 +123 1233", "signed") == [1110, 123, 1233]
    assert _values("行政强制 10 -10", "signed") == [10, -10]
    assert _values("2笔") == [2]
    assert _values("采购 107 2623.7200 万元（计划）", "text") == ["107", "2623.7200 万元（计划）"]
    assert _values("5949.088667", "decimal") == [5949.088667]


def test_a_count_column_refuses_negative_fractional_and_money():
    assert _values("-2 1.5 3万元") == [None, None, None]


def test_escape_shows_markup_as_text():
    out = escape("<script>alert(1)</script> [x](javascript:alert(1)) {{ a }} **b** | c")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "\\[x\\]" in out and "\\{\\{" in out and "\\*\\*b\\*\\*" in out and "\\|" in out
    assert escape("1. 不是列表").startswith("1\\.") and escape("# 不是标题").startswith("\\#")
    assert escape("!!! note").startswith("\\!")


def test_gbk_text_is_decoded_without_a_note(tmp_path):
    from builder.extract.formats.text import decode

    text = "岭东区经济合作促进局 2020 年政府信息公开工作年度报告。一、总体情况"
    decoded, note = decode(text.encode("gbk"), tmp_path / "r.txt")
    assert decoded == text and note == ""


def test_a_weak_encoding_guess_becomes_a_warning(tmp_path):
    from builder.extract.formats.text import read

    path = tmp_path / "r.txt"
    path.write_bytes("Rapport annuel été 2020, café, numéro 3".encode("latin-1"))
    blocks = read(path)
    assert blocks[0].kind == "note" and "UTF-8" in blocks[0].text


def test_utf8_with_bom(tmp_path):
    from builder.extract.formats.text import decode

    assert decode("一、总体情况".encode("utf-8-sig"), tmp_path / "r.txt") == ("一、总体情况", "")


@pytest.mark.parametrize("line", [
    "当前位置：首页 > 政务公开 > 政府信息公开年报", "分享到：微信 微博 QQ空间", "微信 微博", "【打印本页】【关闭窗口】",
    "扫一扫在手机打开当前页", "字号：【大 中 小】", "主办单位：某区人民政府办公室", "闽ICP备12345678号-1",
    "浏览次数：1234", "- 3 -", "第 2 页 共 5 页",
])
def test_page_chrome_is_recognised(line):
    from builder.extract.sections import is_page_chrome

    assert is_page_chrome(line)


@pytest.mark.parametrize("line", [
    "全年发布政府信息 648 条，其中政务动态信息 559 条。", "行政许可 1110 +123 1233", "（一）主动公开情况",
    "通过政府网站、微信公众号、微博等平台发布信息。", "1.属于国家秘密 0 0 0 0 0 0 0",
])
def test_report_text_is_not_page_chrome(line):
    from builder.extract.sections import is_page_chrome

    assert not is_page_chrome(line)
