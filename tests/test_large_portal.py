"""A portal whose originals outgrow GitHub Pages: originals linked to a file host of its own."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.config import BuildConfig
from builder.errors import PortalError
from builder.pipeline import build
from builder.publish.smoke import outside_urls
from conftest import REPORTS

FILES_URL = "https://files.example.gov.cn/年报/reports/"


@pytest.fixture
def tree(tmp_path, monkeypatch):
    folder = tmp_path / "reports" / "黑龙江省" / "牡丹江市" / "爱民区"
    folder.mkdir(parents=True)
    shutil.copy(REPORTS / "text-layer-short-row-and-page-numbers.txt", folder / "爱民区 2020 年报.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_originals_are_linked_to_the_files_url_and_not_copied(tree):
    build(BuildConfig(Path("reports"), Path("content"), Path(".cache/portal"), files_url=FILES_URL))
    page = next(Path("content/reports").glob("2020-*/index.md")).read_text(encoding="utf-8")
    link = FILES_URL + "%E9%BB%91%E9%BE%99%E6%B1%9F%E7%9C%81/%E7%89%A1%E4%B8%B9%E6%B1%9F%E5%B8%82/" \
                       "%E7%88%B1%E6%B0%91%E5%8C%BA/%E7%88%B1%E6%B0%91%E5%8C%BA%202020%20%E5%B9%B4%E6%8A%A5.txt"
    assert f"]({link})" in page
    assert not Path("content/files").exists()
    # the smoke check lets the reader's download through, and nothing else from that host
    html = f'<a href="{link}">下载原文件</a>'
    assert outside_urls(html, FILES_URL) == [] and outside_urls(html) != []
    assert outside_urls(f'<img src="{link}">', FILES_URL) != []


def test_switching_back_copies_the_originals_again(tree):
    build(BuildConfig(Path("reports"), Path("content"), Path(".cache/portal"), files_url=FILES_URL))
    build(BuildConfig(Path("reports"), Path("content"), Path(".cache/portal")))
    assert len(list(Path("content/files").rglob("*.txt"))) == 1
    page = next(Path("content/reports").glob("2020-*/index.md")).read_text(encoding="utf-8")
    assert FILES_URL not in page and "](../../files/" in page


@pytest.mark.parametrize("url", ["/files/", "files.example.gov.cn/reports/", "https://files.example.gov.cn/reports"])
def test_a_files_url_must_be_a_full_address_of_a_folder(tree, url):
    with pytest.raises(PortalError, match="https://"):
        BuildConfig(Path("reports"), Path("content"), files_url=url)
