"""The maintainer's files beside a report: every invalid correction or sidecar makes `portal check` fail
and stops `portal build` (exit 1, nothing written), naming the file, the line and the fix; valid ones
are applied and kept (source.url, source.published, corrections)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from conftest import REPORTS

SAMPLE_2019 = REPORTS / "text-layer-short-row-and-page-numbers.txt"  # 爱民区 2020, 2019 format
SAMPLE_2021 = REPORTS / "web-text-cells-run-together-2021.txt"  # 2021 format
FOLDER = ("黑龙江省", "牡丹江市", "爱民区")


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """reports/ with one 2019-format and one 2021-format report; the working folder is tmp_path."""
    folder = tmp_path.joinpath("reports", *FOLDER)
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE_2019, folder / "a.txt")
    shutil.copy(SAMPLE_2021, folder / "b.txt")
    monkeypatch.chdir(tmp_path)
    return folder


def portal(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def entry(cell: str, value: str = "1", reason: str | None = "原件第 3 页可见") -> str:
    text = f"- cell: {cell}\n  value: {value}\n"
    return text + (f"  reason: {reason}\n" if reason is not None else "")


INVALID_CORRECTIONS = {  # name: (file a.txt's or b.txt's corrections, what the message must say)
    "count as Chinese text": ("a", entry("applications.new_received.total", '"五"'), "this cell is a count"),
    "negative count": ("a", entry("applications.new_received.total", "-3"), "whole number ≥ 0"),
    "fraction in a count": ("a", entry("applications.granted.total", "2.5"), "whole number ≥ 0"),
    "number in quotes": ("a", entry("applications.granted.total", '"2"'), "without quotes"),
    "cell does not exist": ("a", entry("applications.no_such_row.total"), "cell does not exist"),
    "a 2021 cell in a 2019 report": ("a", entry("applications.other_fee_unpaid.total"), "cell does not exist"),
    "a table, not a cell": ("a", entry("applications.granted"), "cell does not exist"),
    "value missing": ("a", "- cell: applications.granted.total\n  reason: 原件可见\n", "value missing"),
    "reason missing": ("a", entry("applications.granted.total", reason=None), "reason missing"),
    "reason empty": ("a", entry("applications.granted.total", reason='""'), "reason missing"),
    "cell missing": ("a", "- value: 1\n  reason: x\n", "cell missing"),
    "unknown key": ("a", entry("applications.granted.total") + "  vaule: 2\n", "unknown key 'vaule'"),
    "signed change as text": ("a", entry("active_disclosure.administrative_penalty.change", "少了十八"),
                              "whole number with its sign"),
    "amount in 万元 negative": ("b", entry("active_disclosure.administrative_fees.amount_10k_yuan", "-1.5"),
                               "number ≥ 0"),
    "procurement amount as a number": ("a", entry("active_disclosure.centralized_procurement.amount", "2623.72"),
                                       "text as printed"),
    "one cell twice": ("a", entry("applications.granted.total") + entry("applications.granted.total", "2"),
                       "corrected twice"),
    "not a list": ("a", "cell: applications.granted.total\nvalue: 1\n", "must be a list"),
    "not YAML": ("a", "- cell: [applications\n", "not valid YAML"),
}


@pytest.mark.parametrize("name", INVALID_CORRECTIONS)
def test_each_invalid_correction_fails_the_check_and_stops_the_build(tree, name):
    report, text, expected = INVALID_CORRECTIONS[name]
    corrections = tree / f"{report}.txt.corrections.yml"
    valid = "" if name == "not a list" else entry("applications.carried_over.total", "0")  # a valid one first
    corrections.write_text(valid + text, encoding="utf-8")
    shown = f"reports/{'/'.join(FOLDER)}/{report}.txt.corrections.yml"

    built = portal("build")
    assert built.exit_code == 1, built.output
    assert shown in built.output and expected in built.output and " — " in built.output  # file, problem, fix
    if name not in {"not YAML"}:
        assert f"{shown}, line " in built.output
    assert not Path("content").exists()  # nothing written: a wrong correction is never published

    checked = portal("check", "--allow-unparsed", "reports")
    assert checked.exit_code == 1 and shown in checked.output and expected in checked.output
    assert "❌" in checked.output


def test_the_message_names_the_line_of_the_wrong_entry(tree):
    (tree / "a.txt.corrections.yml").write_text(
        entry("applications.carried_over.total", "0") + entry("applications.granted.total", "-1"), encoding="utf-8")
    built = portal("build")
    assert f"reports/{'/'.join(FOLDER)}/a.txt.corrections.yml, line 4: value -1 for 'applications.granted.total'" \
        in built.output


def test_valid_corrections_of_every_kind_are_applied(tree):
    (tree / "a.txt.corrections.yml").write_text(
        entry("applications.carried_forward.total", "0")
        + entry("active_disclosure.administrative_penalty.change", "-18")
        + entry("active_disclosure.centralized_procurement.amount", '"2623.72万元"')
        + entry("applications.granted.natural_person", "null", "原件该格被印章遮住，无法辨认"), encoding="utf-8")
    (tree / "b.txt.corrections.yml").write_text(
        entry("active_disclosure.administrative_fees.amount_10k_yuan", "12.5"), encoding="utf-8")
    built = portal("build")
    assert built.exit_code == 0, built.output
    data = json.loads(next(Path("content/data").glob("2020-*.json")).read_text(encoding="utf-8"))
    assert [(c["cell"], c["value"]) for c in data["corrections"]] == [
        ("applications.carried_forward.total", 0), ("active_disclosure.administrative_penalty.change", -18),
        ("active_disclosure.centralized_procurement.amount", "2623.72万元"), ("applications.granted.natural_person", None)]
    assert data["tables"]["applications"]["granted"]["natural_person"] is None
    checked = portal("check", "reports")
    assert checked.exit_code == 0 and "人工更正 applications.carried_forward.total: None → 0" in checked.output


INVALID_SIDECARS = {  # name: (the sidecar, what the message must say, its line)
    "year in quotes": ('region: [黑龙江省, 牡丹江市, 爱民区]\nyear: "2020"\n', "year must be", 2),
    "year out of range": ("year: 1999\n", "year must be", 1),
    "region not a list": ("region: 黑龙江省\n", "region must be a list", 1),
    "agency empty": ('agency: ""\n', "agency must be", 1),
    "url not an address": ("url: www.example.gov.cn/report\n", "url must be the full web address", 1),
    "published not a date": ("published: 2024年3月8日\n", "published must be the date", 1),
    "published impossible": ("year: 2020\npublished: 2024-13-08\n", "not a real date", 2),
    "unknown key": ("year: 2020\nagnecy: 某局\n", "unknown key 'agnecy'", 2),
    "not a mapping": ("- 2020\n", "must be a mapping", 1),
    "not YAML": ("year: [2020\n", "not valid YAML", 2),
}


@pytest.mark.parametrize("name", INVALID_SIDECARS)
def test_each_invalid_sidecar_fails_the_check_and_stops_the_build(tree, name):
    text, expected, line = INVALID_SIDECARS[name]
    (tree / "a.txt.meta.yml").write_text(text, encoding="utf-8")
    shown = f"reports/{'/'.join(FOLDER)}/a.txt.meta.yml" + (f", line {line}: " if line else ": ")

    built = portal("build")
    assert built.exit_code == 1, built.output
    assert shown in built.output and expected in built.output and " — " in built.output
    assert not Path("content").exists()

    checked = portal("check", "--allow-unparsed", "reports")  # unlike an unreadable report, never allowed
    assert checked.exit_code == 1 and shown in checked.output


def test_a_sidecar_url_and_date_reach_the_open_data_and_the_page(tree):
    (tree / "a.txt.meta.yml").write_text(
        "url: https://www.aimin.gov.cn/zwgk/2021/nb.html\npublished: 2021-01-29\n", encoding="utf-8")
    assert portal("build").exit_code == 0
    data = json.loads(next(Path("content/data").glob("2020-*.json")).read_text(encoding="utf-8"))
    assert data["source"]["url"] == "https://www.aimin.gov.cn/zwgk/2021/nb.html"
    assert data["source"]["published"] == "2021-01-29"
    page = next(Path("content/reports").glob("2020-*/index.md")).read_text(encoding="utf-8")
    assert "[原文发布地址](https://www.aimin.gov.cn/zwgk/2021/nb.html)" in page and "发布日期：2021 年 1 月 29 日" in page
    other = json.loads(next(Path("content/data").glob("2023-*.json")).read_text(encoding="utf-8"))  # b.txt
    assert {"url", "published"} <= set(other["source"])  # null when not given


def test_an_unparseable_report_does_not_block_the_publish_check_or_the_build(tree):
    (tree / "scan.pdf").write_bytes(b"%PDF-1.4 not really")
    assert portal("check", "reports").exit_code == 1
    allowed = portal("check", "--allow-unparsed", "reports")
    assert allowed.exit_code == 0 and "⚠ reports/" in allowed.output  # listed, with its reason
    assert portal("build").exit_code == 0


def test_check_marks_a_failed_rule_with_a_warning_sign_and_fails_only_when_strict(tree):
    plain = portal("check", "reports")
    assert plain.exit_code == 0
    assert f"⚠ reports/{'/'.join(FOLDER)}/a.txt" in plain.output and "✅ 检查通过" not in plain.output
    assert "报告所印办理结果总计为" in plain.output
    assert portal("check", "--strict", "reports").exit_code == 1
