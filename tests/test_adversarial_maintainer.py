"""Hostile or careless maintainer input (tests/maintainer_cases.py): `portal check` and `portal build`
each exit non-zero with one line naming the file and the fix, no traceback, and nothing written into
content/. Each run has a safety ceiling (3 GB of address space, 120 s): time and memory are measured
in benchmarks/hostile_maintainer.py, not asserted here. And adding an agency of a name another region
has already leaves every address as it was.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from maintainer_cases import CASES, FIXTURES, SUIHUA, Case, build_args, check_args, make_base, portal


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_base_tree_passes(tmp_path):
    """The cases below differ from a tree that checks and builds: what fails is the case."""
    make_base(tmp_path)
    checked, _, _ = portal(tmp_path, "check", "reports")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built, _, _ = portal(tmp_path, *build_args(tmp_path))
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "content/reports/2020-绥棱县工业信息科技局/index.md").is_file()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_stops_check_and_build_with_one_line(case: Case, tmp_path):
    reports = make_base(tmp_path)
    named = case.setup(reports)
    before = _snapshot(tmp_path / "content")

    checked, _, _ = portal(tmp_path, *check_args(case, named, reports))
    output = checked.stdout + checked.stderr
    assert checked.returncode == 1, output
    assert "Traceback" not in output and "Error" not in checked.stderr.replace("Error: ", ""), output
    # the file and the fix on one line, or the file's ❌ and its error (what `portal build` says, below)
    assert [line for line in output.splitlines() if named in line and ("—" in line or line.startswith("❌"))], output
    assert "❌" in output

    built, _, _ = portal(tmp_path, *build_args(tmp_path))
    assert built.returncode == 1, built.stdout + built.stderr
    assert "Traceback" not in built.stderr
    lines = built.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "—" in lines[0], built.stderr
    assert "nothing was written" in lines[0]
    assert _snapshot(tmp_path / "content") == before
    assert "/etc/passwd" not in built.stderr and "root:" not in output  # a link is never followed


def _addresses(content: Path) -> dict[str, str]:
    """Every report, agency and region page → the source files it lists (what the address stands for)."""
    pages = {}
    for kind in ("reports", "agencies", "regions"):
        for page in sorted((content / kind).rglob("index.md")):
            address = page.parent.relative_to(content).as_posix()
            if address != kind:
                pages[address] = page.read_text(encoding="utf-8")
    return pages


def _placed(path: Path, fixture: str, agency: str) -> None:
    """A real report at ``path`` whose sidecar names its agency."""
    path.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / fixture, path)
    path.with_name(path.name + ".meta.yml").write_text(f"agency: {agency}\n", encoding="utf-8")


@pytest.mark.parametrize("agency", ["鼓楼区人民政府", "教育局"])
def test_a_second_agency_of_one_name_elsewhere_moves_no_address(agency, tmp_path):
    """鼓楼区人民政府 is in four cities, an 教育局 in every county: a second one, in another region and
    the same year, leaves every existing page where it was (today both got a hash)."""
    reports = make_base(tmp_path)
    _placed(reports / "福建省/福州市/鼓楼区/年报2020.txt", "text-layer-labels-broken-across-lines.txt", agency)
    built, _, _ = portal(tmp_path, *build_args(tmp_path))
    assert built.returncode == 0, built.stderr
    before = _addresses(tmp_path / "content")
    assert any(agency in address for address in before)

    _placed(reports / "江苏省/南京市/鼓楼区/年报2020.txt", "text-gbk-encoded-2019-aimin.txt", agency)
    built, _, _ = portal(tmp_path, *build_args(tmp_path))
    assert built.returncode == 0, built.stderr
    after = _addresses(tmp_path / "content")
    assert set(before) <= set(after)
    assert len(after) > len(before)  # the new report, its agency and regions have pages of their own
    for address in before:
        if address.startswith("reports/"):
            assert "年报2020.txt" not in after[address] or "福州市" in after[address]  # the same report there


def test_an_existing_address_is_the_same_whatever_else_is_in_reports(tmp_path):
    """The sample's addresses, built alone and beside others, are the same."""
    make_base(tmp_path)
    built, _, _ = portal(tmp_path, *build_args(tmp_path))
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in (tmp_path / "content/reports").iterdir() if p.is_dir()) == [
        "2020-岭东区人民政府", "2020-文昌湖区招商局", "2020-绥棱县工业信息科技局", "2023-平潭综合实验区"]
    assert (tmp_path / "content/agencies/绥棱县工业信息科技局/index.md").is_file()


def test_check_of_one_file_knows_the_others_from_the_parse_cache(tmp_path):
    """A report whose name says nothing (a.txt) is known by its parse in the build's cache: a second
    file of its agency and year, checked alone, fails."""
    reports = make_base(tmp_path)
    known = reports / "黑龙江省/绥化市/绥棱县/a.txt"
    (reports / SUIHUA).rename(known)
    built, _, _ = portal(tmp_path, *build_args(tmp_path))
    assert built.returncode == 0, built.stderr
    second = known.with_name("b.txt")
    second.write_text(known.read_text(encoding="utf-8") + "\n（修订稿）\n", encoding="utf-8")
    with_cache, _, _ = portal(tmp_path, "check", "reports/黑龙江省/绥化市/绥棱县/b.txt", "--cache", str(tmp_path / "cache"))
    assert with_cache.returncode == 1
    assert "a.txt and reports/黑龙江省/绥化市/绥棱县/b.txt: two reports of 绥棱县工业信息科技局" in with_cache.stdout
