"""Files that cannot be parsed: one clear line naming the file and what to do, and the build goes on."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.config import BuildConfig
from builder.models import Failure, Report
from builder.pipeline import build, parse
from conftest import FIXTURES

BROKEN = FIXTURES / "broken"
CASES = {
    "scanned-no-text-layer.pdf": "needs OCR",
    "encrypted-with-password.pdf": "encrypted",
    "truncated-download.pdf": "damaged or truncated",
    "garbage-text-layer.pdf": "garbage",
}


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
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "content" / "reports").glob("*.md"))
    for name in [*CASES, "notes.xyz"]:
        assert name in pages  # every file appears on the site, with its reason
    assert len(list((tmp_path / "content" / "files").rglob("*"))) >= len(CASES) + 2
