"""The region from the agency's name (extract/gazetteer.py) when the folders and sidecar are silent,
and a warning when they contradict it."""
from __future__ import annotations

import shutil

import pytest

from builder.extract.gazetteer import region_of
from builder.pipeline import parse
from builder.render.site import render_site
from conftest import REPORTS


@pytest.mark.parametrize("name,year,region", [
    ("淮安市洪泽区人民政府", 2023, ("江苏省", "淮安市", "洪泽区")),
    ("洪泽县人民政府", 2014, ("江苏省", "淮安市", "洪泽县")),  # a county before it became a district
    ("北京市朝阳区人民政府", 2021, ("北京市", "朝阳区")),
    ("福州市鼓楼区人民政府", 2020, ("福建省", "福州市", "鼓楼区")),
    ("鼓楼区人民政府", 2020, ()),  # 南京, 徐州, 福州, 开封: the name alone does not tell
    ("江苏省人民政府办公厅", 2021, ("江苏省",)),
    ("平潭综合实验区管理委员会", 2020, ()),  # not an administrative division
    ("文昌湖区招商局", 2020, ()),
])
def test_region_of(name, year, region):
    assert region_of(name, year) == region


def test_a_report_outside_reports_gets_its_region_from_the_agency(tmp_path):
    path = tmp_path / "hongze.html"
    shutil.copy(REPORTS / "word-export-html-gb2312-2021-hongze.html", path)
    report = parse(path)
    assert report.region == ("江苏省", "淮安市", "洪泽区")
    assert "metadata.region_from_name" in {w.code for w in report.warnings}
    pages = render_site([report], [])  # listed under that region (its folders name none)
    assert "regions/江苏省/淮安市/洪泽区/index.md" in pages


def test_folders_that_contradict_the_agency_are_warned(tmp_path):
    folder = tmp_path / "reports" / "浙江省" / "杭州市"
    folder.mkdir(parents=True)
    path = folder / "hongze.html"
    shutil.copy(REPORTS / "word-export-html-gb2312-2021-hongze.html", path)
    report = parse(path)
    assert report.region == ("浙江省", "杭州市")  # the folders stay the region
    assert "metadata.region_conflict" in {w.code for w in report.warnings}
