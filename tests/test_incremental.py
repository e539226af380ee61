"""Incremental builds, corrections by commit, and `portal check`."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.config import BuildConfig
from builder.pipeline import build, parse
from conftest import REPORTS

SAMPLE = REPORTS / "text-layer-short-row-and-page-numbers.txt"  # 结转下年度 unknown, 总计 wrong


@pytest.fixture
def tree(tmp_path, monkeypatch):
    folder = tmp_path / "reports" / "黑龙江省" / "牡丹江市" / "爱民区"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "爱民区2020年报.txt")
    monkeypatch.chdir(tmp_path)
    return folder


def _build(rebuild: bool = False):
    return build(BuildConfig(Path("reports"), Path("content"), Path(".cache/portal"), rebuild))


def test_a_second_build_parses_nothing_and_adding_one_parses_one(tree):
    first = _build()
    assert (first.parsed, first.cached) == (1, 0)
    assert (_build().parsed, _build().cached) == (0, 1)
    lingdong = tree.parents[1] / "双鸭山市" / "岭东区"  # its own region's folder (another is an error)
    lingdong.mkdir(parents=True)
    shutil.copy(REPORTS / "tab-separated-with-markdown-bold.txt", lingdong / "另一份.txt")
    third = _build()
    assert (third.parsed, third.cached) == (1, 1)
    assert _build(rebuild=True).parsed == 2


def test_cached_and_fresh_builds_write_identical_content(tree):
    _build()
    fresh = {p: p.read_bytes() for p in Path("content").rglob("*") if p.is_file()}
    _build()
    assert {p: p.read_bytes() for p in Path("content").rglob("*") if p.is_file()} == fresh


def _tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_unchanged_report_pages_are_kept_and_the_result_is_what_a_full_render_writes(tree):
    _build()
    page = next(Path("content/reports").glob("2020-*/index.md"))
    written = page.stat().st_mtime_ns
    lingdong = tree.parents[1] / "双鸭山市" / "岭东区"  # its own region's folder (another is an error)
    lingdong.mkdir(parents=True)
    shutil.copy(REPORTS / "tab-separated-with-markdown-bold.txt", lingdong / "另一份.txt")
    _build()
    assert page.stat().st_mtime_ns == written  # not rendered again: its report and links did not change
    kept = _tree_bytes(Path("content"))
    _build(rebuild=True)  # renders every page again
    assert _tree_bytes(Path("content")) == kept
    page.unlink()  # a page missing from content/ is rendered again, whatever the memo says
    _build()
    assert _tree_bytes(Path("content")) == kept


def test_a_report_moved_to_another_region_gets_its_page_rendered_again(tree):
    _build()
    page = next(Path("content/reports").glob("2020-*/index.md"))
    before = page.read_text(encoding="utf-8")
    (tree / "爱民区2020年报.txt.meta.yml").write_text("region: [黑龙江省, 牡丹江市]\n", encoding="utf-8")
    _build()
    assert page.read_text(encoding="utf-8") != before and "黑龙江省 / 牡丹江市 |" not in before
    kept = _tree_bytes(Path("content"))
    _build(rebuild=True)
    assert _tree_bytes(Path("content")) == kept


def test_an_agency_page_and_its_compare_data_are_kept_until_one_of_its_reports_changes(tree):
    """Agency pages and 对比's agency files are memoised as report pages are: kept while their reports,
    links and unparsable files stay the same, made again (as a full render makes them) when one changes."""
    _build()
    agency = next(Path("content/agencies").glob("*/index.md"))
    data = next(Path("content/compare/a").glob("*.json"))
    written = agency.stat().st_mtime_ns, data.stat().st_mtime_ns
    other = tree.parents[1] / "双鸭山市" / "岭东区" / "岭东区2020年报.txt"  # another agency's report
    other.parent.mkdir(parents=True)
    shutil.copy(REPORTS / "tab-separated-with-markdown-bold.txt", other)
    _build()
    assert (agency.stat().st_mtime_ns, data.stat().st_mtime_ns) == written  # nothing of theirs changed
    report = tree / "爱民区2020年报.txt"
    before = agency.read_bytes(), data.read_bytes()
    text = report.read_text(encoding="utf-8")  # its 本年新收 row: 3 becomes 4 (the sums still hold)
    report.write_text(text.replace("请数量\n\n3 0 0 0 0 0 3", "请数量\n\n4 0 0 0 0 0 4", 1), encoding="utf-8")
    _build()
    assert agency.read_bytes() != before[0] and data.read_bytes() != before[1]
    kept = _tree_bytes(Path("content"))
    _build(rebuild=True)
    assert _tree_bytes(Path("content")) == kept


def test_checks_are_taken_from_the_last_build_until_the_report_or_its_corrections_change(tree):
    """The rules run again only on a report whose parse or corrections changed (validate/memo.py); what a
    build takes from the memo is what the rules give (a full rebuild agrees)."""
    first = _build().reports[0].checks
    assert any(c.status == "fail" for c in first)  # 总计 is wrong in this report
    memo = Path(".cache/portal/checks.json")
    remembered = json.loads(memo.read_text(encoding="utf-8"))
    assert len(remembered) == 1
    key = next(iter(remembered))
    remembered[key][0]["message"] = "（记下的结果）"  # so that the next build shows where its checks came from
    memo.write_text(json.dumps(remembered, ensure_ascii=False), encoding="utf-8")
    assert _build().reports[0].checks[0].message == "（记下的结果）"
    (tree / "爱民区2020年报.txt.corrections.yml").write_text(
        "- cell: applications.carried_forward.total\n  value: 0\n  reason: 原件第 5 页可见该格为 0\n", encoding="utf-8")
    corrected = _build().reports[0].checks
    assert corrected[0].message != "（记下的结果）" and corrected != first  # checked again, with the correction
    assert key not in json.loads(memo.read_text(encoding="utf-8"))  # the memo holds this build's reports only
    assert _build(rebuild=True).reports[0].checks == corrected
    memo.write_text("{not json", encoding="utf-8")  # an unreadable memo: every report is checked
    assert _build().reports[0].checks == corrected


def test_editing_a_report_or_its_sidecar_parses_it_again(tree):
    _build()
    (tree / "爱民区2020年报.txt.meta.yml").write_text("agency: 牡丹江市爱民区人民政府办公室\n", encoding="utf-8")
    result = _build()
    assert result.parsed == 1 and result.reports[0].agency == "牡丹江市爱民区人民政府办公室"


def test_a_correction_replaces_a_value_and_says_so(tree):
    (tree / "爱民区2020年报.txt.corrections.yml").write_text(
        "- cell: applications.carried_forward.total\n  value: 0\n  reason: 原件第 5 页可见该格为 0\n", encoding="utf-8")
    report = parse(tree / "爱民区2020年报.txt")
    assert report.tables["applications"]["carried_forward"]["total"] == 0
    assert [(c.cell, c.printed, c.value, c.reason, c.line) for c in report.corrections] == [
        ("applications.carried_forward.total", None, 0, "原件第 5 页可见该格为 0", 1)]
    assert not any(w.code.startswith("correction") for w in report.warnings)  # apart from the parser's notes
    assert report.tables["applications"]["carried_forward"]["natural_person"] is None  # others untouched


def test_a_correction_naming_no_cell_fails_the_check(tree):
    (tree / "爱民区2020年报.txt.corrections.yml").write_text(
        "- cell: applications.no_such_row.total\n  value: 1\n  reason: x\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "builder", "check", "reports"], capture_output=True, text=True)
    assert out.returncode == 1 and "applications.no_such_row.total" in out.stdout


def test_check_passes_and_strict_fails_on_a_broken_rule(tree):
    run = lambda *a: subprocess.run([sys.executable, "-m", "builder", "check", *a], capture_output=True, text=True)  # noqa: E731
    plain = run("reports")
    assert plain.returncode == 0 and "牡丹江市爱民区人民政府" in plain.stdout and "新收申请 3" in plain.stdout
    strict = run("--strict", "--format", "markdown", "reports")
    assert strict.returncode == 1
    assert strict.stdout.startswith("## 年报检查结果") and "applications.total_processed_is_sum_of_outcomes" in strict.stdout


def test_check_fails_on_a_file_that_cannot_be_parsed(tree):
    (tree / "坏文件.pdf").write_bytes(b"%PDF-1.4 not really")
    out = subprocess.run([sys.executable, "-m", "builder", "check", "reports"], capture_output=True, text=True)
    assert out.returncode == 1 and "坏文件.pdf" in out.stdout and "无法解析" in out.stdout


def test_a_corrected_value_is_marked_on_the_page_and_in_the_open_data(tree):
    (tree / "爱民区2020年报.txt.corrections.yml").write_text(
        "- cell: applications.carried_forward.total\n  value: 0\n  reason: 原件第 5 页可见该格为 0\n", encoding="utf-8")
    result = _build()
    page = next(Path("content/reports").glob("2020-*/index.md")).read_text(encoding="utf-8")
    assert "更正</abbr>" in page and "原件第 5 页可见该格为 0" in page
    data = json.loads(next(Path("content/data").glob("2020-*.json")).read_text(encoding="utf-8"))
    assert data["corrections"] == [{"cell": "applications.carried_forward.total", "printed": None, "value": 0,
                                    "reason": "原件第 5 页可见该格为 0"}]
    assert result.reports[0].tables["applications"]["carried_forward"]["total"] == 0
