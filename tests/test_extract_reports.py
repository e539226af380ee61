"""Every real report in tests/fixtures/reports against its hand-read values (``*.expected.json``).

``exact`` fixtures must match cell for cell. The others (cells run together on web pages, which a
later parser decodes further) must never show a number the report did not print: each cell is the
hand-read value, or null under a warning that names it.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from builder.extract.formats import doc
from builder.extract.metadata import read_title
from builder.pipeline import parse
from builder.render.open_data import report_to_open_data
from conftest import cells, expected_of, report_fixtures


def _lookup(tables: dict, path: str):
    cur = tables
    for part in path.split("."):
        cur = cur[part]
    return cur


@pytest.fixture(scope="module", params=report_fixtures(), ids=lambda p: p.stem)
def case(request):
    path = request.param
    if path.suffix in {".doc", ".wps"} and doc.converter() is None:
        pytest.skip("reading .doc/.wps needs LibreOffice (soffice), which .ci/run installs")
    return path, expected_of(path), report_to_open_data(parse(path))


def test_metadata(case):
    _, expected, got = case
    assert (got["agency"], got["year"], got["template"]) == (expected["agency"], expected["year"], expected["template"])


def test_same_keys_as_the_template(case):
    _, expected, got = case
    assert sorted(p for p, _ in cells(got["tables"]) if not p.endswith("amount_yuan")) == \
        sorted(p for p, _ in cells(expected["tables"]))


def test_cells_are_right_or_unknown_with_a_warning(case):
    _, expected, got = case
    warned = [w["where"] for w in got["warnings"]]
    wrong, unknown = [], []
    for path, truth in cells(expected["tables"]):
        value = _lookup(got["tables"], path)
        if value == truth or (path.endswith("amount") and str(value).replace(" ", "") == str(truth).replace(" ", "")):
            continue
        covered = any(path == w or path.startswith(w + ".") for w in warned)
        if value is None and covered:
            unknown.append(path)
        else:
            wrong.append(f"{path}={value!r} (truth {truth!r}, warned={covered})")
    assert not wrong
    if expected["exact"]:
        assert not unknown


def test_failed_checks(case):
    _, expected, got = case
    assert sorted(c["rule"] for c in got["checks"] if c["status"] == "fail") == sorted(expected["failed_checks"])


def test_portal_extract_prints_utf8_json(repo_root):
    path = next(p for p in report_fixtures() if p.suffix == ".txt")
    out = subprocess.run([sys.executable, "-m", "builder", "extract", str(path)], capture_output=True, check=True)
    text = out.stdout.decode("utf-8")
    assert not re.search(r"\\u[0-9a-f]{4}", text) and re.search("[\u4e00-\u9fff]", text)
    data = json.loads(text)
    assert set(data) >= {"agency", "year", "template", "region", "source", "sections", "tables", "checks", "warnings"}
    assert data["source"]["format"] == "text" and len(data["source"]["sha256"]) == 64


def test_portal_extract_fails_in_one_line_naming_the_file(tmp_path):
    empty = tmp_path / "空的年报.txt"
    empty.write_bytes(b"")
    out = subprocess.run([sys.executable, "-m", "builder", "extract", str(empty)], capture_output=True, text=True)
    assert out.returncode != 0 and out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "空的年报.txt" in lines[0] and "empty" in lines[0]


@pytest.mark.parametrize(("head", "agency", "year"), [
    ("根据《条例》要求，现公布淮安市洪泽区人民政府2021年度政府信息公开工作年度报告。", "淮安市洪泽区人民政府", 2021),
    ("本报告由淮安市洪泽区人民政府办公室根据《条例》要求编制。", "淮安市洪泽区人民政府", None),
    ("本报告由区教育局编制。", "区教育局", None),
    ("本报告由某某市机构编制委员会办公室编制。", "某某市机构编制委员会办公室", None),
    ("某某市机构编制委员会办公室2021年政府信息公开工作年度报告", "某某市机构编制委员会办公室", 2021),
])
def test_agency_and_year_from_an_opening_paragraph(head, agency, year):
    """A page with no title of its own: the first paragraph quotes the title or says who compiled it."""
    _, got_agency, got_year = read_title(head)
    assert (got_agency, got_year) == (agency, year)
