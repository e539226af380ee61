"""Open data a researcher can use as it is (issue 35): the repository's sample reports built as the Publish
workflow builds them, then the data package validated with frictionless, each year's database opened with
sqlite3 and served by Datasette, every Atom feed parsed, and a second build compared byte for byte."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from site_helpers import PUBLISH_ENV, ROOT, copy_hand_written, mkdocs_build, portal_build

from builder.extract.templates import TEMPLATES
from builder.render.cells import amount_of, decimal_text

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """(content, site) of the sample reports."""
    tmp = tmp_path_factory.mktemp("open-data")
    content = tmp / "content"
    copy_hand_written(content)
    portal_build(Path("reports"), content)
    return content, mkdocs_build(tmp, content, "site")


def csv_rows(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    return [dict(zip(rows[1], row)) for row in rows[2:]]


def databases(site: Path) -> list[Path]:
    found = sorted((site / "data").glob("年报-*.sqlite"))
    assert found, "a database per year"
    return found


def sample_reports(site: Path) -> list[dict[str, str]]:
    return csv_rows((site / "data/年报清单.csv").read_text(encoding="utf-8"))


def test_the_data_package_validates_with_frictionless(built):
    _, site = built
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["sources"]
    names = {r["name"] for r in package["resources"]}
    assert "reports" in names and any(n.endswith("-long") for n in names)
    long = next(r for r in package["resources"] if r["name"].endswith("-long"))
    assert long["compression"] == "zip" and long["dialect"] == {"headerRows": [2], "commentRows": [1]}
    wide = next(r for r in package["resources"] if r["name"].endswith("applications-2019"))
    schema = json.loads((site / "data" / wide["schema"]).read_text(encoding="utf-8"))
    total = next(f for f in schema["fields"] if f["name"] == "new_received.total")
    assert (total["type"], total["title"], total["unit"]) == ("integer", "一、本年新收政府信息公开申请数量 / 总计", "件")
    assert schema["foreignKeys"] == [{"fields": ["report"], "reference": {"resource": "reports", "fields": ["report"]}}]
    assert schema["missingValues"] == [""]
    result = subprocess.run([str(Path(sys.executable).parent / "frictionless"), "validate", "--json",
                             "datapackage.json"], cwd=site / "data", capture_output=True, text=True)
    report = json.loads(result.stdout)
    errors = [e for task in report["tasks"] for e in task["errors"]] + report.get("errors", [])
    assert report["valid"], json.dumps(errors, ensure_ascii=False)[:3000]
    assert {task["name"] for task in report["tasks"]} == names  # every resource was read and checked
    compare_schema = json.loads((site / "compare/对比.schema.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in compare_schema["fields"]][-3:] == ["status", "note", "page"]


def test_each_database_has_a_row_per_report_and_per_cell_with_unit_and_status(built):
    _, site = built
    listed = {r["report"]: r for r in sample_reports(site) if r["parsed"] == "true"}
    seen = set()
    for path in databases(site):
        db = sqlite3.connect(path)
        year = path.stem.removeprefix("年报-")
        reports = dict(db.execute("SELECT report, id FROM reports"))
        assert reports and all(listed[r]["year"] == year for r in reports)
        seen |= set(reports)
        for report, template in db.execute("SELECT report, template FROM reports"):
            cells = db.execute("SELECT count(*), count(DISTINCT row_id || '.' || column_id) FROM cells c "
                               "JOIN reports r ON r.id = c.report WHERE r.report = ?", (report,)).fetchone()
            expected = sum(len(t.cell_paths) for t in TEMPLATES[template].tables)  # every cell of the format, once
            assert cells == (expected, expected), (report, cells)
        assert db.execute("SELECT count(*) FROM cells WHERE status IS NULL OR unit IS NULL OR unit = ''").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM cells WHERE value IS NOT NULL AND unit NOT IN ('件', '项', '万元')"
                          ).fetchone() == (0,)
        assert {s for (s,) in db.execute("SELECT DISTINCT status FROM cells")} <= {"已知", "正文另述", "⚠不符", "人工更正", "原文问题", "本站未能读出"}
        # labels through the lookup tables; where the report printed each known value
        label = db.execute("SELECT r.label, c.label FROM cells x JOIN rows r ON r.id = x.row_id "
                           "JOIN columns c ON c.id = x.column_id WHERE x.unit = '件' LIMIT 1").fetchone()
        assert all(label)
        assert db.execute("SELECT count(*) FROM cells WHERE value IS NOT NULL AND source_page IS NULL AND source_line "
                          "IS NULL AND source_table IS NULL").fetchone() == (0,), year
        # a three-character Chinese term by full-text search (trigram), a two-character one by LIKE
        found = db.execute("SELECT count(*) FROM sections_fts WHERE sections_fts MATCH '\"依申请\"'").fetchone()[0]
        like = db.execute("SELECT count(*) FROM sections WHERE text LIKE '%依申请%'").fetchone()[0]
        assert found == like > 0, year
        assert db.execute("SELECT count(*) FROM sections WHERE text LIKE '%公开%'").fetchone()[0] > 0
        db.close()
    assert seen == set(listed)  # every report in its year's database


def test_amounts_are_exact_in_10k_yuan_only_where_the_text_names_the_unit(built):
    assert decimal_text(amount_of("2623.7200 万元（计划）").value) == "2623.72"
    assert amount_of("2623.7200 万元（计划）").qualifier == "计划"
    assert decimal_text(amount_of("1,500 元").value) == "0.15"
    assert decimal_text(amount_of("1.2亿元").value) == "12000"
    assert amount_of("2623.72").value is None and decimal_text(amount_of("0").value) == "0"
    assert decimal_text(amount_of(7730.28).value) == "7730.28"
    _, site = built
    with zipfile.ZipFile(site / "data/2020-长表.csv.zip") as archive:
        rows = csv_rows(archive.read("2020-长表.csv").decode("utf-8"))
    assert all(r["unit"] in ("件", "项", "万元") for r in rows)
    amounts = [r for r in rows if r["column"] == "amount" and r["printed"]]
    assert amounts and all(r["unit"] == "万元" for r in amounts)
    for row in amounts:
        assert row["value"] == decimal_text(amount_of(row["printed"]).value)


def test_the_per_table_csvs_speak_of_their_own_table_one_path_per_line(built):
    _, site = built
    for path in sorted((site / "data").glob("*-表*.csv")):
        table = {"表二": "active_disclosure", "表三": "applications", "表四": "review_litigation"}[path.stem.split("-")[1]]
        for row in csv_rows(path.read_text(encoding="utf-8")):
            for key in ("contradicted_cells", "corrected_cells"):
                for cell in filter(None, row[key].split("\n")):
                    assert cell.startswith(table + ".") and " " not in cell, (path.name, cell)
            number = {"active_disclosure": "表二", "applications": "表三", "review_litigation": "表四"}[table]
            assert all(line.startswith(number) for line in filter(None, row["failed_checks"].split("\n")))


def test_datasette_serves_each_database_with_its_metadata(built):
    _, site = built
    datasette = Path(sys.executable).parent / "datasette"
    paths = databases(site)
    metadata = json.loads((site / "data/metadata.json").read_text(encoding="utf-8"))
    assert set(metadata["databases"]) == {p.stem for p in paths}
    from datasette.utils import tilde_encode

    name = tilde_encode(paths[0].stem)  # Datasette's address of a database whose name is not ASCII
    for path, check in ((f"/{name}/reports.json?_shape=array", lambda body: len(json.loads(body)) >= 1),
                        (f"/{name}/sections.json?_search=依申请&_shape=array", lambda body: len(json.loads(body)) >= 1),
                        (f"/{name}/cells", lambda body: "单元格" in body)):
        result = subprocess.run([str(datasette), *map(str, paths), "-m", str(site / "data/metadata.json"),
                                 "--get", path], capture_output=True, text=True, cwd=site)
        assert result.returncode == 0, result.stderr
        assert check(result.stdout), (path, result.stdout[:500])


def test_every_feed_parses_holds_the_sample_reports_and_is_announced(built):
    content, site = built
    feeds = sorted((site / "data/feeds").rglob("*.xml"))
    assert site / "data/feeds/all.xml" in feeds and len(feeds) > 3
    for feed in feeds:
        root = ET.parse(feed).getroot()
        assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}updated") is not None, feed
        for entry in root.iter(f"{ATOM}entry"):
            assert entry.find(f"{ATOM}updated").text.endswith("Z") and entry.find(f"{ATOM}id").text
    everything = ET.parse(site / "data/feeds/all.xml").getroot()
    base = PUBLISH_ENV["PORTAL_SITE_URL"]
    linked = {unquote(urljoin(base + "data/feeds/all.xml", e.find(f"{ATOM}link").get("href"))).removeprefix(base)
              for e in everything.iter(f"{ATOM}entry")}
    assert {r["page"] for r in sample_reports(site)} <= linked
    # an entry's time is its report's last commit, never the clock
    times = {e.find(f"{ATOM}updated").text for e in everything.iter(f"{ATOM}entry")}
    log = subprocess.run(["git", "log", "--format=%ct", "--", "reports"], capture_output=True, text=True, cwd=ROOT)
    if log.stdout.strip():
        from builder.render.feeds import _time
        assert times <= {_time(int(t)) for t in log.stdout.split()}
    # every page announces the site's feed; a region's and an agency's page its own
    # (rel "alternate feed": feed readers look for the alternate token; Material takes rel="alternate" alone
    # for a translation of the site and fetches a sitemap.xml beside it)
    def announced(page: Path) -> list[str]:
        links = re.findall(r"<link ([^>]*)>", page.read_text(encoding="utf-8"))
        attributes = [dict(re.findall(r'(\w+)="([^"]*)"', link)) for link in links]
        return [urljoin(page.relative_to(site).as_posix(), unquote(a["href"])) for a in attributes
                if "alternate" in a.get("rel", "").split() and a.get("type") == "application/atom+xml"]

    assert announced(site / "index.html") == ["data/feeds/all.xml"]
    for folder in ("regions/江苏省/淮安市", "agencies"):
        page = next(p for p in sorted((site / folder).rglob("index.html")) if p.parent != site / folder)
        feed = f"data/feeds/{page.parent.relative_to(site).as_posix()}.xml"
        assert announced(page) == ["data/feeds/all.xml", feed], page
        assert (site / feed).is_file()


def test_two_builds_give_the_same_databases_and_data_package(built, tmp_path):
    content, _ = built
    again = tmp_path / "content"
    copy_hand_written(again)
    portal_build(Path("reports"), again)
    compared = [content / "data/datapackage.json", content / "data/年报清单.csv", content / "data/metadata.json",
                *sorted((content / "data").glob("年报-*.sqlite")), *sorted((content / "data/schemas").glob("*.json")),
                *sorted((content / "data/feeds").rglob("*.xml"))]
    for path in compared:
        assert path.read_bytes() == (again / path.relative_to(content)).read_bytes(), path
    shutil.rmtree(again)


def test_an_entry_s_time_is_the_last_commit_of_its_file_sidecar_or_corrections(tmp_path, monkeypatch):
    from builder.ingest.history import changed_at

    reports = tmp_path / "reports" / "江苏省"
    reports.mkdir(parents=True)
    first, second = reports / "甲2023年报.txt", reports / "乙2023年报.txt"

    def commit(when: int, *files: Path) -> None:
        env = {"GIT_AUTHOR_DATE": f"@{when} +0000", "GIT_COMMITTER_DATE": f"@{when} +0000",
               "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
        subprocess.run(["git", "add", *map(str, files)], cwd=tmp_path, check=True, env=env)
        subprocess.run(["git", "commit", "-qm", "x"], cwd=tmp_path, check=True, env=env)

    assert changed_at([first], tmp_path / "reports") == {}  # no repository: no history
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    first.write_text("甲", encoding="utf-8")
    second.write_text("乙", encoding="utf-8")
    commit(1_700_000_000, first, second)
    corrections = first.with_name(first.name + ".corrections.yml")
    corrections.write_text("[]\n", encoding="utf-8")
    commit(1_700_100_000, corrections)
    third = reports / "丙2023年报.txt"
    third.write_text("丙", encoding="utf-8")  # not committed: no history
    monkeypatch.chdir(tmp_path)
    times = changed_at([first, second, third], tmp_path / "reports")
    assert times == {Path("reports/江苏省/甲2023年报.txt"): 1_700_100_000, Path("reports/江苏省/乙2023年报.txt"): 1_700_000_000}

    from builder.models import Report, SourceFile
    from builder.render.catalog import agencies_of, regions_of
    from builder.render.entries import reports_to_entries
    from builder.render.feeds import SITE, feeds_of

    found = [Report(SourceFile(p.relative_to(tmp_path), "0" * 64, "text", ("江苏省",)), p.stem, p.stem[0] + "局",
                    2023, None, {}, {}) for p in (first, second, third)]
    entries = reports_to_entries(found, [])
    agencies = agencies_of(entries)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    monkeypatch.delenv("PORTAL_SITE_URL", raising=False)
    feed = ET.fromstring(feeds_of(entries, agencies, regions_of(entries, agencies), times)[SITE])
    shown = [(e.find(f"{ATOM}title").text[0], e.find(f"{ATOM}updated").text) for e in feed.iter(f"{ATOM}entry")]
    assert shown == [("甲", "2023-11-16T02:00:00Z"), ("乙", "2023-11-14T22:13:20Z"), ("丙", "2020-09-13T12:26:40Z")]
    assert feed.find(f"{ATOM}link").get("href") == "all.xml"  # relative: no site address set
    monkeypatch.setenv("PORTAL_SITE_URL", "https://portal.example.gov.cn/nianbao")
    feed = ET.fromstring(feeds_of(entries, agencies, regions_of(entries, agencies), times)[SITE])
    assert next(feed.iter(f"{ATOM}entry")).find(f"{ATOM}link").get("href").startswith(
        "https://portal.example.gov.cn/nianbao/reports/")


def test_each_cell_says_whose_inconsistency_it_is(built):
    """The long table's status uses the site's kinds: an unknown cell is 原文问题 where the report left it
    blank or left its row out, else 本站未能读出; a figure the prose restates otherwise is 正文另述 and keeps
    its value (爱民区 2020's 新收: the prose says 1, the table 3)."""
    _, site = built
    rows = []
    for archive_path in sorted((site / "data").glob("*-长表.csv.zip")):
        with zipfile.ZipFile(archive_path) as archive:
            rows += csv_rows(archive.read(archive_path.name.removesuffix(".zip")).decode("utf-8"))
    unknown = [r for r in rows if r["unknown"] == "1"]
    assert unknown and all(r["value"] == "" for r in unknown)
    for row in unknown:
        original = "记为未知" in row["warning"] and ("没有印" in row["warning"] or "缺" in row["warning"])
        assert row["status"] in ("原文问题", "本站未能读出"), row
        if original:
            assert row["status"] == "原文问题", row
    differs = [r for r in rows if r["status"] == "正文另述"]
    assert differs and all(r["value"] != "" and "正文另述" in r["note"] for r in differs)
    assert any("爱民区" in r["agency"] and r["row"] == "new_received" for r in differs), differs
