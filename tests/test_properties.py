"""Property-based tests (hypothesis): the text extractor never crashes, never invents a number, and
perturbing a real report's white space or character widths never changes a number (a cell may only
become unknown, with a warning)."""
from __future__ import annotations

import posixpath
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.errors import UnreadableReport
from builder.extract.chinese import fold
from builder.extract.report import document_to_report
from builder.models import Block, Document, SourceFile
from builder.render.entries import link, page_url, relpath, url_relative
from conftest import REPORTS, cells

SOURCE = SourceFile(Path("property.txt"), "0" * 64, "text")
SAMPLES = {name: (REPORTS / name).read_text(encoding="utf-8") for name in (
    "text-layer-labels-broken-across-lines.txt", "tab-separated-with-markdown-bold.txt",
    "text-layer-short-row-and-page-numbers.txt", "text-layer-columns-interleaved.txt")}
TRUTH = {}


def _report(text: str):
    return document_to_report(Document(SOURCE, tuple(Block("line", line) for line in text.split("\n"))))


def _truth(name: str) -> dict:
    if name not in TRUTH:
        TRUTH[name] = _report(SAMPLES[name]).tables
    return TRUTH[name]


_LABELS = ["一、总体情况", "二、主动公开政府信息情况", "第二十条第（一）项", "规章", "规范性文件", "行政许可",
           "三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量", "（一）予以公开", "（七）总计",
           "四、政府信息公开行政复议、行政诉讼情况", "结果维持", "五、存在的主要问题及改进情况", "2020年",
           "某局2020年政府信息公开工作年度报告", "六、其他需要报告的事项", "\n", "\t", " ", "0", "-3", "+12", "007"]
report_like = st.lists(st.one_of(st.sampled_from(_LABELS), st.text(max_size=12),
                                 st.integers(-50, 5000).map(str)), max_size=80).map("".join)


@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report_like)
def test_never_crashes_and_never_invents_a_number(text):
    try:
        report = _report(text)
    except UnreadableReport:
        return  # not a report: a clear error, which is fine
    digits = re.sub(r"\D", " ", fold(text))
    for path, value in cells(report.tables):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            printed = str(abs(value)) if isinstance(value, int) else repr(value).rstrip("0").rstrip(".")
            assert printed.split(".")[0] in digits, f"{path}={value} is not in the input"


def _leading_number(text: str) -> str:
    m = re.match(r"\s*([\d.]+)", re.sub(r"\s+", "", fold(text)))
    return m.group(1) if m else text


def _perturb(text: str, seed: int, rate: float) -> str:
    """Extra spaces and line breaks between characters (never inside a number), and half-width
    characters made full-width, each at ``rate``."""
    rng = random.Random(seed)
    out = []
    for ch in text:
        roll = rng.random()
        if roll < rate and not ch.isdigit():
            out.append(ch + rng.choice([" ", "\n", "  ", "\n\n"]))
        elif roll < 2 * rate and "!" <= ch <= "~":
            out.append(chr(ord(ch) + 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


@settings(max_examples=120, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(SAMPLES)), st.integers(0, 2**32), st.floats(0.0, 0.15))
def test_perturbations_give_the_same_numbers_or_unknown_with_a_warning(name, seed, rate):
    truth = dict(cells(_truth(name)))
    report = _report(_perturb(SAMPLES[name], seed, rate))
    warned = [w.where for w in report.warnings]
    for path, value in cells(report.tables):
        if value == truth.get(path) or (isinstance(value, str) and _leading_number(value)
                                        == _leading_number(str(truth.get(path)))):
            continue  # a text cell (采购总金额) is kept as printed: its number must be the same
        assert value is None, f"{path}: {value!r} instead of {truth.get(path)!r}"
        assert any(path == w or path.startswith(w + ".") for w in warned), f"{path} unknown without a warning"


_MARKUP = ["<", ">", "=", '"', "'", " ", "\n", "/", ":", "//", "src", "srcset", "href", "action", "<link", "<a ", "<LINK ",
           "url(", "rel=canonical", 'rel="nofollow external"', "https:", "http:", "localhost", "127.0.0.1", "x.cn",
           "https://files.example/r/"]


@pytest.mark.slow  # 3,000 examples
@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_MARKUP), st.text(max_size=3)), max_size=30).map("".join))
def test_the_smoke_check_finds_every_outside_url_the_pattern_finds_over_the_whole_page(text):
    """outside_urls runs its pattern only between the ">" around each "//" (fast on a province's pages):
    it must find exactly what the pattern finds over the whole text."""
    from builder.publish.smoke import _OUTSIDE, outside_urls

    whole = [m.group() for m in _OUTSIDE.finditer(text)]
    assert outside_urls(text) == whole
    assert outside_urls(text, "https://files.example/r/") == [
        url for url in whole if not re.match(r"""<a\b[^>]*\bhref\s*=\s*["']?\s*https://files\.example/r/""", url, re.I)]


_SEGMENT = st.sampled_from(["reports", "agencies", "x", "index.md", "a b", "年报", "", ".", ".."])


@given(st.lists(_SEGMENT, max_size=4).map("/".join), st.lists(_SEGMENT, max_size=4).map("/".join))
def test_site_relative_paths_are_posixpaths_relpath(target: str, start: str):
    """render/entries.relpath, which skips os.getcwd, gives what posixpath.relpath gives."""
    assert relpath(target, start) == posixpath.relpath(target or ".", start or ".")


_PAGE = st.lists(st.sampled_from(["reports", "x", "index", "a b", "年报", "国家(甲)"]), min_size=1, max_size=3).map(
    lambda parts: "/".join(parts) + ".md")


@given(_PAGE, _PAGE)
def test_site_links_are_the_encoded_relative_url(page: str, target: str):
    """url_relative's once-encoded tail is the whole relative URL encoded."""
    path = posixpath.relpath(page_url(target) or ".", page_url(page) or ".")
    assert url_relative(page, target) == ("./" if path == "." else link(path + "/"))
