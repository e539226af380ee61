"""Files that cannot be parsed: one clear line naming the file and what to do, and the build goes on."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.config import BuildConfig
from builder.models import Failure, Report, prose_text
from builder.pipeline import build, parse
from conftest import FIXTURES

BROKEN = FIXTURES / "broken"
CASES = {
    "encrypted-with-password.pdf": "encrypted",
    "truncated-download.pdf": "damaged or truncated",
    "garbage-text-layer.pdf": "garbage",
    "zero-bytes.pdf": "empty",
    "whitespace-only.txt": "empty",
    "random-bytes.pdf": "not a readable PDF",
    "random-bytes.docx": "not a Word .docx file",
    "random-bytes.html": "not text",
    "notice-not-an-annual-report.txt": "does not look like a 政府信息公开工作年度报告",
}


def test_a_scan_without_a_text_layer_is_read_by_ocr():
    report = parse(BROKEN / "scanned-no-text-layer.pdf")  # one page at 72 dpi: the title and 一、总体情况
    assert isinstance(report, Report) and report.agency == "淮安市洪泽区人民政府" and report.year == 2023
    assert any(w.code == "source.scanned" for w in report.warnings)
    assert "受理政府信息公开申请21件" in prose_text(report.sections["overview"])


@pytest.mark.parametrize("name,reason", CASES.items())
def test_each_failure_names_the_file_and_the_fix(name, reason):
    result = parse(BROKEN / name)
    assert isinstance(result, Failure)
    assert name in result.reason and reason in result.reason and "—" in result.reason  # the fix follows


@pytest.mark.parametrize("name", CASES)
def test_portal_extract_exits_nonzero_with_one_line(name):
    out = subprocess.run([sys.executable, "-m", "builder", "extract", str(BROKEN / name)],
                         capture_output=True, text=True)
    assert out.returncode == 1 and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and name in out.stderr


def test_the_build_goes_on_past_broken_files(tmp_path, monkeypatch):
    reports = tmp_path / "reports" / "江苏省" / "淮安市" / "洪泽区"
    reports.mkdir(parents=True)
    for name in CASES:
        shutil.copy(BROKEN / name, reports / name)
    good = FIXTURES / "reports" / "pdf-table-split-across-pages-2021-one-other-row.pdf"
    shutil.copy(good, reports / "洪泽区2023年报.pdf")
    (reports / "notes.xyz").write_text("not a report", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = build(BuildConfig(Path("reports"), Path("content")))
    assert [r.source.name for r in result.reports] == ["洪泽区2023年报.pdf"]
    assert isinstance(result.reports[0], Report) and result.reports[0].region == ("江苏省", "淮安市", "洪泽区")
    assert sorted(f.source.name for f in result.failures) == sorted([*CASES, "notes.xyz"])
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "content" / "reports").glob("**/index.md"))
    for name in [*CASES, "notes.xyz"]:
        assert name in pages  # every file appears on the site, with its reason
    assert len(list((tmp_path / "content" / "files").rglob("*"))) >= len(CASES) + 2


def test_an_unrecognisable_template_is_an_error_that_fails_the_check():
    path = BROKEN / "template-unrecognisable-no-year-no-tables.txt"
    report = parse(path)
    assert isinstance(report, Report) and report.template is None
    assert any(w.code == "template.unknown" and w.severity == "error" for w in report.warnings)
    out = subprocess.run([sys.executable, "-m", "builder", "check", str(path)], capture_output=True, text=True)
    assert out.returncode == 1 and "template" in out.stdout


def _sample(tmp_path: Path, *folders: str, name: str = "r.txt") -> Path:
    folder = tmp_path.joinpath("reports", *folders)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "reports" / "text-layer-labels-broken-across-lines.txt", folder / name)
    return folder / name


def test_two_reports_for_one_agency_and_year_name_each_other(tmp_path, monkeypatch):
    first = _sample(tmp_path, "黑龙江省", "双鸭山市", "岭东区", name="a.txt")
    second = _sample(tmp_path, "黑龙江省", "双鸭山市", "岭东区", name="b.txt")
    second.write_text(second.read_text(encoding="utf-8") + "\n（修订稿）\n", encoding="utf-8")  # other bytes
    monkeypatch.chdir(tmp_path)
    out = subprocess.run([sys.executable, "-m", "builder", "check", "reports"], capture_output=True, text=True)
    assert out.returncode == 1
    named = [line for line in out.stdout.splitlines() if "two reports of" in line]
    assert len(named) == 1 and "— keep one of them" in named[0]  # one line, both files, the fix
    for report in (first, second):
        assert report.relative_to(tmp_path).as_posix() in named[0]
    second.write_bytes(first.read_bytes())  # the same bytes under another name
    out = subprocess.run([sys.executable, "-m", "builder", "check", "reports"], capture_output=True, text=True)
    assert out.returncode == 1 and "a.txt and reports/黑龙江省/双鸭山市/岭东区/b.txt: the same file twice" in out.stdout


def test_a_year_contradicting_the_sidecar_is_an_error_and_a_year_folder_is_none(tmp_path, monkeypatch):
    """Behaviour changed on purpose: a folder is never read as a year; a year folder is itself the error."""
    monkeypatch.chdir(tmp_path)
    by_sidecar = _sample(tmp_path, "黑龙江省", name="a.txt")
    by_sidecar.with_name("a.txt.meta.yml").write_text("year: 2021\n", encoding="utf-8")
    report = parse(by_sidecar.relative_to(tmp_path))
    conflict = [w for w in report.warnings if w.code == "metadata.year_conflict"]
    assert conflict and conflict[0].severity == "error" and "a.txt.meta.yml" in conflict[0].message
    by_folder = _sample(tmp_path, "黑龙江省", "双鸭山市", "岭东区", "2019年", name="b.txt")
    assert not [w for w in parse(by_folder.relative_to(tmp_path)).warnings if w.code == "metadata.year_conflict"]
    out = subprocess.run([sys.executable, "-m", "builder", "check", "reports"], capture_output=True, text=True)
    assert out.returncode == 1 and "reports/黑龙江省/双鸭山市/岭东区/2019年/: '2019年' is a year, not a region" in out.stdout


def test_a_very_large_pdf_is_read_within_its_page_budget_with_a_warning():
    report = parse(BROKEN / "very-large-90-pages.pdf")
    assert isinstance(report, Report)
    notes = [w for w in report.warnings if w.code == "source.note"]
    assert notes and "90 页" in notes[0].message and "前 40 页" in notes[0].message


def test_a_sidecar_is_loaded_safely_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    report = _sample(tmp_path, "黑龙江省", name="a.txt")
    report.with_name("a.txt.meta.yml").write_text(
        f'agency: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    result = parse(report)
    assert isinstance(result, Failure) and "a.txt.meta.yml" in result.reason and "YAML" in result.reason
    assert not marker.exists()


def test_a_sidecar_with_unknown_keys_names_them(tmp_path):
    report = _sample(tmp_path, "黑龙江省", name="a.txt")
    report.with_name("a.txt.meta.yml").write_text("agnecy: 某局\n", encoding="utf-8")
    result = parse(report)
    assert isinstance(result, Failure) and "agnecy" in result.reason


@pytest.mark.parametrize("name", [*CASES, "notes.xyz"])
def test_each_failure_gets_a_reason_in_chinese_for_readers(name, tmp_path):
    """The maintainer's reason names the file and the fix in English; readers get one Chinese sentence
    that says what is wrong with this kind of file (never the general one, never a path)."""
    from builder.render.notices import GENERAL, failure_notice

    path = BROKEN / name if name in CASES else tmp_path / name
    if name not in CASES:
        path.write_text("x", encoding="utf-8")
    failure = parse(path)
    assert isinstance(failure, Failure)
    notice = failure_notice(failure)
    assert notice != GENERAL and notice.endswith("。") and not any(c.isascii() and c.isalpha() for c in
                                                                   notice.replace("PDF", "").replace("Word", "")
                                                                   .replace("docx", "").replace("doc", ""))
