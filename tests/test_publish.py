"""write_tree: exact generated areas, untouched hand-written pages, no needless rewrites."""
from __future__ import annotations

import pytest

from builder.errors import PortalError
from builder.publish.tree import write_tree


@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    root.mkdir()
    (root / "add-report.md").write_text("# 手写\n", encoding="utf-8")
    return root


def test_writes_pages_and_copies_originals(content, tmp_path):
    original = tmp_path / "r.pdf"
    original.write_bytes(b"%PDF-1.7 \x00\xff")
    write_tree(content, {"index.md": "# 首页\r\n", "reports/a.md": "甲\n"}, {"files/a/r.pdf": original})
    assert (content / "index.md").read_bytes() == "# 首页\n".encode("utf-8")
    assert (content / "reports/a.md").read_text(encoding="utf-8") == "甲\n"
    assert (content / "files/a/r.pdf").read_bytes() == original.read_bytes()


def test_unchanged_files_are_not_rewritten(content, tmp_path):
    original = tmp_path / "r.pdf"
    original.write_bytes(b"pdf")
    pages = {"reports/a.md": "甲\n"}
    write_tree(content, pages, {"files/a/r.pdf": original})
    before = {p: (content / p).stat().st_mtime_ns for p in ("reports/a.md", "files/a/r.pdf")}
    inodes = {p: (content / p).stat().st_ino for p in before}
    write_tree(content, pages, {"files/a/r.pdf": original})
    assert {p: (content / p).stat().st_mtime_ns for p in before} == before
    assert {p: (content / p).stat().st_ino for p in before} == inodes


def test_stale_generated_files_go_and_hand_written_pages_stay(content):
    write_tree(content, {"index.md": "x\n", "reports/old.md": "旧\n", "data/old.json": "{}\n"}, {})
    (content / "reports/stray.md").write_text("?", encoding="utf-8")
    (content / "files/gone").mkdir(parents=True)
    (content / "files/gone/x.pdf").write_bytes(b"x")
    write_tree(content, {"reports/new.md": "新\n"}, {})
    assert sorted(p.relative_to(content).as_posix() for p in content.rglob("*") if p.is_file()) == [
        "add-report.md", "reports/new.md"]
    assert not (content / "files/gone").exists()
    assert (content / "add-report.md").read_text(encoding="utf-8") == "# 手写\n"


@pytest.mark.parametrize("path", ["add-report.md", "../escape.md", "reports", "/etc/x", "reports/../add-report.md"])
def test_refuses_to_write_outside_the_generated_areas(content, path):
    with pytest.raises(PortalError):
        write_tree(content, {path: "x"}, {})
    assert (content / "add-report.md").read_text(encoding="utf-8") == "# 手写\n"
