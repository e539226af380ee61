"""`portal site`: an incremental strict build of site/ that is byte-identical to a clean one."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from factories import make_failure, make_report_2019, make_report_2021, make_source, make_sections
from site_helpers import mkdocs_config
from site_helpers import write_content as write_reports_content

from builder.publish.site import site_differences, site_key

REPORTS = [make_report_2019(), make_report_2021()]
NEW = make_report_2021(source=make_source("reports/江苏省/淮安市/淮阴区/huaiyin_2023.pdf", fmt="pdf",
                                          region=("江苏省", "淮安市", "淮阴区")),
                       title="淮安市淮阴区人民政府2023年政府信息公开工作年度报告", agency="淮安市淮阴区人民政府",
                       sections=make_sections("淮安市淮阴区人民政府"))


def write_content(tmp: Path, reports: list) -> Path:
    return write_reports_content(tmp, reports, [make_failure()])


def run_portal_site(tmp: Path, *options: str, epoch: str = "1700000000", config: Path | None = None,
                    env: dict | None = None):
    config = config or mkdocs_config(tmp, tmp / "content", tmp / "site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": epoch, **(env or {})}
    return subprocess.run([sys.executable, "-m", "builder", "site", "-f", str(config), "--cache",
                           str(tmp / ".cache/portal"), *options], capture_output=True, text=True, env=env, cwd=tmp)


def portal_site(tmp: Path, *options: str, epoch: str = "1700000000", config: Path | None = None,
                env: dict | None = None) -> str:
    result = run_portal_site(tmp, *options, epoch=epoch, config=config, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return result.stdout


def clean_site(tmp: Path, name: str, epoch: str = "1700000000", env: dict | None = None) -> Path:
    """The site of tmp/content as `mkdocs build --strict` builds it, from nothing (at the commit date epoch)."""
    site = tmp / name
    config = mkdocs_config(tmp, tmp / "content", site)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": epoch, **(env or {})}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
                            capture_output=True, text=True, env=env, cwd=tmp)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def test_the_key_holds_the_resolved_settings_but_the_commit_date(tmp_path, monkeypatch):
    from mkdocs.config import load_config

    config = mkdocs_config(tmp_path, tmp_path / "content", tmp_path / "site")
    (tmp_path / "content").mkdir()

    def key(**env: str) -> str:
        for name in ("SOURCE_DATE_EPOCH", "PORTAL_SITE_URL", "PORTAL_REPOSITORY_URL"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return site_key(config, load_config(config_file=str(config), strict=True))

    first = key(SOURCE_DATE_EPOCH="1700000000")
    assert key(SOURCE_DATE_EPOCH="1700000000") == first == key(SOURCE_DATE_EPOCH="1700086400")  # a new commit
    assert key(SOURCE_DATE_EPOCH="1700000000", PORTAL_SITE_URL="https://portal.example.gov.cn/") != first
    assert key(SOURCE_DATE_EPOCH="1700000000", PORTAL_REPOSITORY_URL="https://github.com/a/b") != first


@pytest.fixture
def site(tmp_path):
    write_content(tmp_path, REPORTS)
    assert "clean build (no complete earlier build of this site recorded)" in portal_site(tmp_path)
    return tmp_path


def test_adding_a_report_renders_its_pages_and_gives_the_clean_build_byte_for_byte(site):
    write_content(site, [*REPORTS, NEW])
    (site / "content/add-report.md").write_text("# 如何添加年报\n\n改过的说明。\n", encoding="utf-8")
    out = portal_site(site, epoch="1700086400")  # another commit's date: the sitemap's
    assert "incremental build" in out
    written = int(out.split("incremental build, ")[1].split(" of ")[0])
    assert 0 < written < 48, out  # up to 8 of them open-data files that list every report (issue 35): the reports
    # list, the site's feed and those of the new report's agency and regions, its year's database
    assert site_differences(site / "site", clean_site(site, "clean", epoch="1700086400")) == []


def test_a_new_commit_date_changes_the_footers_date_file_only_and_gives_the_clean_build(site):
    """数据更新于 is on every page's footer, from the commit's SOURCE_DATE_EPOCH: a new commit renders no
    page again, and the site is still the clean build's, byte for byte, footers included."""
    out = portal_site(site, epoch="1700086400")
    assert "incremental build, 0 of" in out, out
    clean = clean_site(site, "clean", epoch="1700086400")
    assert site_differences(site / "site", clean) == []
    assert '"1700086400"' in (clean / "updated.js").read_text(encoding="utf-8")
    for page in ("index.html", "reports/2023-淮安市洪泽区人民政府/index.html", "stats/index.html"):
        html = (site / "site" / page).read_text(encoding="utf-8")
        assert '<span class="portal-footer__updated" hidden>数据更新于 <time></time></span>' in html, page
        assert "updated.js" in html and "1700086400" not in html and "2023-11-1" not in html, page


@pytest.mark.parametrize("variable, value, shown", [
    ("PORTAL_SITE_URL", "https://mirror.example.cn/nianbao/", '<link rel="canonical" href="https://mirror.example.cn/nianbao/'),
    ("PORTAL_REPOSITORY_URL", "https://github.com/fork/nianbao", 'href="https://github.com/fork/nianbao/issues/new?'),
])
def test_a_changed_address_renders_every_page_again(site, variable, value, shown):
    """site_url and extra come from the environment (!ENV in mkdocs.yml): the same mkdocs.yml, resolved
    otherwise, makes the build clean, so no page keeps the old canonical link or 纠错 link."""
    first = {"PORTAL_SITE_URL": "https://portal.example.gov.cn/nianbao/",
             "PORTAL_REPOSITORY_URL": "https://github.com/example/nianbao"}
    assert "clean build (the configuration, theme or code changed)" in portal_site(site, env=first)
    assert "incremental build, 0 of" in portal_site(site, env=first)
    changed = {**first, variable: value}
    assert "clean build (the configuration, theme or code changed)" in portal_site(site, env=changed)
    assert site_differences(site / "site", clean_site(site, "clean", env=changed)) == []
    assert shown in (site / "site/reports/2023-淮安市洪泽区人民政府/index.html").read_text(encoding="utf-8")


def test_an_unchanged_site_writes_nothing_and_verify_proves_it(site):
    out = portal_site(site, "--verify")
    assert "incremental build, 0 of" in out and "is byte-identical to a clean build" in out


def test_verify_finds_a_page_that_differs_and_a_stray_file(site):
    page = site / "site/stats/index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- changed -->", encoding="utf-8")
    (site / "site/stray.html").write_text("x", encoding="utf-8")
    result = run_portal_site(site, "--verify")  # the page's source did not change: it is kept as it is
    assert result.returncode == 1 and "differs from a clean build in 2 files" in result.stderr
    assert "differs: stats/index.html" in result.stderr and "stray.html" in result.stderr


@pytest.mark.parametrize("change, reason", [
    ("remove a report", "a source file was removed"),
    ("change mkdocs.yml", "the configuration, theme or code changed"),
    ("no site", "no built site in site_dir"),
    ("clean", "asked for"),
])
def test_what_makes_the_build_clean(site, change, reason):
    options = []
    if change == "remove a report":
        write_content(site, REPORTS[:1])
    elif change == "change mkdocs.yml":
        config = mkdocs_config(site, site / "content", site / "site")
        config.write_text(config.read_text(encoding="utf-8").replace("site_name: ", "site_name: 新"), encoding="utf-8")
        assert f"clean build ({reason}" in portal_site(site, config=config)
        return
    elif change == "no site":
        shutil.rmtree(site / "site")
    else:
        options = ["--clean"]
    assert f"clean build ({reason}" in portal_site(site, *options)
    assert site_differences(site / "site", clean_site(site, "clean")) == []


def test_a_site_build_killed_half_way_is_followed_by_a_clean_one(site):
    write_content(site, [*REPORTS, NEW])
    config = mkdocs_config(site, site / "content", site / "site")
    process = subprocess.Popen([sys.executable, "-m", "builder", "site", "-f", str(config), "--cache",
                                str(site / ".cache/portal")], cwd=site, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    started = time.monotonic()
    while list((site / ".cache/portal").glob("site-*.json")) and time.monotonic() - started < 30:
        time.sleep(0.01)  # until the record is gone: the build has started
    time.sleep(0.5)  # MkDocs is writing pages
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert "clean build (no complete earlier build" in portal_site(site)
    assert site_differences(site / "site", clean_site(site, "clean")) == []
