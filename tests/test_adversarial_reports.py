"""Adversarial report files and hostile machines: nothing unsafe reaches the site, nothing ends the build
without one clear line.

Each `portal build` runs in a subprocess under a generous safety ceiling (3 GB of address space, 120 s),
so a regression shows as a failed test, not a machine out of memory; the measured time and memory are in
benchmarks/hostile_reports.py, not here.
"""
from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import re
import resource
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from factories import make_report_2019, make_report_2021, make_sections, make_source
from lxml import html as lxml_html
from site_helpers import copy_hand_written, mkdocs_build, write_content

from builder.models import Passage
from builder.publish.smoke import page_problems
from conftest import FIXTURES, REPORTS

CEILING = 3 * 2**30  # bytes of address space for a build and its workers
TIMEOUT = 120
HUGE = "98765432109876543210"  # a printed count beyond 2^53 - 1
MARKUP = "<img src=x onerror=alert(1)>\"'&<b onclick=alert(2)>"
REGION = ("江苏省", "淮安市", "洪泽区")


def _ceiling() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CEILING, CEILING))


def portal(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, preexec_fn=_ceiling, timeout=TIMEOUT)


def folder(root: Path) -> Path:
    path = root.joinpath("reports", *REGION)
    path.mkdir(parents=True, exist_ok=True)
    return path


def placed_here(here: Path, agencies: bool = False) -> None:
    """The fixtures are reports of other regions: each says by a sidecar that it is published here (and,
    with ``agencies``, that each is an agency of its own: several fixtures are one agency's one year)."""
    reports = sorted(r for r in here.iterdir() if r.suffix in (".txt", ".pdf", ".docx")
                     and not r.with_name(r.name + ".meta.yml").exists())
    for i, report in enumerate(reports, 1):
        agency = f"agency: 测试机关{i}\n" if agencies else ""
        report.with_name(report.name + ".meta.yml").write_text(f"region: [{', '.join(REGION)}]\n{agency}",
                                                               encoding="utf-8")


def zip_bomb(target: Path, size: int = 2**30) -> None:
    """A real Word report whose document.xml carries a comment of ``size`` spaces (about 1 MB zipped),
    written in pieces: the test never holds the expanded part."""
    source = REPORTS / "word-2021-national-template-hongze.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename != "word/document.xml":
                new.writestr(info.filename, data)
                continue
            cut = data.rindex(b"</w:body>")
            with new.open(info.filename, "w", force_zip64=True) as member:
                member.write(data[:cut] + b"<!--")
                block = b" " * 2**20
                for _ in range(size // len(block)):
                    member.write(block)
                member.write(b"-->" + data[cut:])


def lying_sizes(bomb: Path, target: Path) -> None:
    """The bomb with document.xml declared as 40 KB in both headers: only inflating it tells."""
    data = bytearray(bomb.read_bytes())
    name = b"word/document.xml"
    for signature, name_at, size_at in ((b"PK\x01\x02", 46, 24), (b"PK\x03\x04", 30, 22)):
        length_at = 28 if signature == b"PK\x01\x02" else 26
        i = data.find(signature)
        while i != -1:
            length = struct.unpack_from("<H", data, i + length_at)[0]
            if data[i + name_at:i + name_at + length] == name:
                struct.pack_into("<I", data, i + size_at, 40_000)
            i = data.find(signature, i + 4)
    target.write_bytes(bytes(data))


def pdf_bomb(target: Path, size: int = 2**30) -> None:
    """A one-page PDF whose content stream inflates to ``size`` bytes of spaces (about 1 MB as stored)."""
    packer = zlib.compressobj(9)
    block = b" " * 2**20
    data = packer.compress(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n")
    data += b"".join(packer.compress(block) for _ in range(size // len(block))) + packer.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    target.write_bytes(bytes(out))


def huge_text(target: Path) -> str:
    """A text report whose 行政许可 decisions (1233, printed once) is printed as HUGE; the cell's path."""
    text = (REPORTS / "text-layer-short-row-and-page-numbers.txt").read_text(encoding="utf-8")
    text, found = re.subn(r"(?<!\d)1233(?!\d)", HUGE, text)
    assert found == 1
    target.write_text(text, encoding="utf-8")
    return "active_disclosure.administrative_licensing.decisions"


def huge_docx(target: Path) -> str:
    """A Word report whose 行政处罚 decisions (4119, in a table cell) is printed as HUGE; the cell's path."""
    with zipfile.ZipFile(REPORTS / "word-2021-national-template-hongze.docx") as old, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "word/document.xml":
                assert data.count(b">4119</w:t>") == 1
                data = data.replace(b">4119</w:t>", f">{HUGE}</w:t>".encode())
            new.writestr(info, data)
    return "active_disclosure.administrative_penalty.decisions"


def open_data(content: Path, name: str) -> dict:
    for path in (content / "data").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        source = data.get("source") if isinstance(data, dict) else None  # data/ holds other JSON too
        if isinstance(source, dict) and str(source.get("path", "")).endswith(name):
            return data
    raise AssertionError(f"no open data for {name}")


def cell(data: dict, path: str):
    table, row, column = path.split(".")
    return data["tables"][table][row][column]


def one_line_each(stderr: str, names: list[str]) -> None:
    assert "Traceback" not in stderr and "open an issue" not in stderr, stderr
    for name in names:
        lines = [line for line in stderr.splitlines() if name in line]
        assert len(lines) == 1, (name, stderr)


# ------------------------------------------------------------------------------ bounded report files

def test_bombs_large_text_and_huge_numbers_are_refused_or_unknown_and_the_build_goes_on(tmp_path):
    here = folder(tmp_path)
    zip_bomb(here / "bomb.docx")
    lying_sizes(here / "bomb.docx", here / "liar.docx")
    pdf_bomb(here / "bomb.pdf")
    text = (REPORTS / "web-text-cells-run-together-2019.txt").read_text(encoding="utf-8")
    (here / "large.txt").write_text((text * (6 * 2**20 // len(text.encode()) + 1)), encoding="utf-8")
    aimin = tmp_path.joinpath("reports", "黑龙江省", "牡丹江市", "爱民区")  # the report's own region
    aimin.mkdir(parents=True)
    text_cell = huge_text(aimin / "huge.txt")
    word_cell = huge_docx(here / "huge.docx")
    shutil.copy(REPORTS / "web-text-cells-run-together-2021.txt", here / "ok.txt")
    placed_here(here)
    result = portal(tmp_path, "build", "--content", "content")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "7 files" in result.stdout and "4 could not be parsed" in result.stdout, result.stdout
    one_line_each(result.stderr, ["bomb.docx", "liar.docx", "bomb.pdf", "large.txt"])
    assert "bomb.pdf: not read: a stream of the PDF expands to more than 128 MB" in result.stderr
    assert "expands to more than 50 MB" in result.stderr
    assert "liar.docx: not a readable Word .docx file" in result.stderr
    assert "a text file of 6.0 MB is not a report" in result.stderr
    content = tmp_path / "content"
    for name, path in (("huge.txt", text_cell), ("huge.docx", word_cell)):
        data = open_data(content, name)
        assert cell(data, path) is None
        warnings = [w for w in data["warnings"] if w["where"] == path]
        assert [w["code"] for w in warnings] == ["cell.too_large"], warnings
        assert HUGE in warnings[0]["message"]
    assert cell(open_data(content, "huge.txt"), "active_disclosure.administrative_licensing.previous_count") == 1110
    assert HUGE not in (content / "data" / "all.json.zip").read_bytes().decode("latin-1")
    pages = "".join(p.read_text(encoding="utf-8") for p in (content / "reports").rglob("index.md"))
    assert "该 Word 文件解压后过大" in pages and "该文件过大，不是一份年报" in pages


# ------------------------------------------------------------------------------ markup reaches no page

def _live(page: Path) -> list[str]:
    """The live elements and attributes on ``page`` that data could have put there."""
    found = []
    for el in lxml_html.document_fromstring(page.read_bytes()).iter():
        if not isinstance(el.tag, str):
            continue
        found += [f"<{el.tag} {name}>" for name in el.attrib if name.lower().startswith("on")]
        found += [f"<{el.tag} {name}={value}>" for name, value in el.attrib.items()
                  if value.strip().lower().startswith("javascript:") or value == "x"
                  or re.match(r"\s*(?:https?:)?//evil\.example", value) and name in ("src", "href", "srcset", "content")]
        if el.tag in ("script", "style") and re.search(r"alert|__pwned|evil", el.text or ""):
            found.append(f"<{el.tag}>{(el.text or '')[:40]}")
        if el.tag in ("iframe", "object", "embed"):
            found.append(f"<{el.tag}>")
    return found


def _check_site(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    live = {page.relative_to(site).as_posix(): found for page in pages if (found := _live(page))}
    assert not live, live
    for path in site.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))  # still JSON, whatever the strings hold


@pytest.fixture(scope="module")
def markup_site(tmp_path_factory) -> tuple[Path, Path]:
    """A real build of reports with markup in their file names, titles and prose, and a report whose prose
    mentions outside images; the tmp folder and the built site."""
    tmp = tmp_path_factory.mktemp("markup")
    here = folder(tmp)
    shutil.copy(REPORTS / "web-text-cells-run-together-2021.txt", here / f"年报{MARKUP}.txt")
    shutil.copy(FIXTURES / "broken" / "truncated-download.pdf", here / f"损坏{MARKUP}.pdf")
    shutil.copy(FIXTURES / "hostile" / "hostile-text-in-sections.txt", here / "hostile.txt")
    shutil.copy(REPORTS / "tab-separated-with-markdown-bold.txt",  # Markdown's own markup in a name
                here / "链接[点我](javascript:alert(5)){: onclick=alert(6) }--><svg onload=alert(7)>.txt")
    text = (REPORTS / "web-text-cells-run-together-2019.txt").read_text(encoding="utf-8")
    title = "平潭综合实验区2020年政府信息公开工作年度报告"
    assert title in text and "2020年，我区" in text
    text = text.replace("标题: ", f"标题: {MARKUP}", 1).replace(title, f"{title}{MARKUP}", 1)
    text = text.replace("2020年，我区", f'2020年，{MARKUP}<img src="https://evil.example/a.png">'
                                      f'<link rel="stylesheet" href="https://evil.example/a.css">'
                                      f'![图](https://evil.example/b.png)我区', 1)
    (here / "prose.txt").write_text(text, encoding="utf-8")
    placed_here(here)
    content = tmp / "content"
    copy_hand_written(content)
    result = portal(tmp, "build", "--content", str(content))
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp, mkdocs_build(tmp, content, "site")


def test_markup_in_file_names_titles_and_prose_is_published_escaped(markup_site):
    tmp, site = markup_site
    _check_site(site)
    shown = [page for page in site.rglob("*.html")
             if MARKUP in lxml_html.document_fromstring(page.read_bytes()).text_content()]
    assert len(shown) >= 3  # the report page, the unparsed file's page, the lists that name them
    for path in (tmp / "content" / "data").glob("*.csv"):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        assert all(not c.startswith(("=", "+", "@")) for row in rows[2:] for c in row), path


def test_a_report_that_mentions_outside_images_passes_the_smoke_check(markup_site):
    tmp, site = markup_site
    page = next(p for p in (site / "reports").glob("*/index.html") if "evil.example/a.png" in p.read_text("utf-8"))
    assert '&lt;img src="https://evil.example/a.png"&gt;' in page.read_text(encoding="utf-8")
    result = portal(tmp, "smoke", str(site), "--reports", "reports")
    assert result.returncode == 0, result.stdout + result.stderr


def test_markup_in_every_name_a_page_shows_is_escaped_there(tmp_path):
    """Names as a sidecar could give them (were its checks passed): agency, region, title, sections, the file
    name, a warning — in HTML text, attributes, <title>, meta tags, JSON and CSV."""
    evil = '清江浦区</title><script>alert(3)</script>"><img src=x onerror=alert(4)>'
    region = ("江苏省", "淮安市", f"清江浦区{evil}")
    first = make_report_2019(agency=f"{evil}人民政府", title=f"{evil}2020年报告",
                             source=make_source(f"reports/江苏省/淮安市/清江浦区/{MARKUP}.txt", region=region),
                             sections={**make_sections("清江浦区"),
                                       "overview": (Passage(((f"概述{evil}", False), (evil, True))),
                                                    Passage(((evil, False),), heading=True))})
    second = make_report_2021(agency="=HYPERLINK(\"https://evil.example\")", title="+2023 年报告")
    content = write_content(tmp_path, [first, second], [])
    site = mkdocs_build(tmp_path, content, "site")
    _check_site(site)
    titles = [lxml_html.document_fromstring(p.read_bytes()).findtext(".//title") or "" for p in site.rglob("*.html")]
    assert any("</title><script>alert(3)</script>" in t for t in titles)  # the name, as text of <title>
    rows = [row for path in (content / "data").glob("*.csv")
            for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig").split("\n", 1)[1]))]
    agencies = {row["agency"] for row in rows}
    assert "'=HYPERLINK(\"https://evil.example\")" in agencies and f"{evil}人民政府" in agencies
    changes = {row.get("administrative_penalty.change") for row in rows}
    assert "-18" in changes  # a signed number is never altered


def test_the_smoke_check_sees_live_elements_not_text():
    own = frozenset()
    files = {"index.html", "assets/app.js", "files/a/r.txt"}

    def problems(body: str) -> list[str]:
        return page_problems("index.html", f"<html><head></head><body>{body}</body></html>", files, own)

    assert problems('<p>&lt;img src="https://evil.example/a.png"&gt;</p><pre>url(https://x.example/a)</pre>') == []
    assert problems('<link rel="alternate" href="https://x.example/feed">'
                    '<link rel="canonical" href="https://portal.example/">'
                    '<a href="https://github.com/x" rel="external">源代码</a><script src="assets/app.js"></script>') == []
    for live in ('<img src="https://evil.example/a.png">', '<img srcset="a.png 1x, //evil.example/b.png 2x">',
                 '<video poster="https://evil.example/p.png"></video>', '<div style="background:url(//evil.example/a)">',
                 '<style>@import "https://evil.example/a.css";</style>',
                 '<link rel="stylesheet" href="https://evil.example/a.css">',
                 '<link rel="preload" as="font" href="https://evil.example/f.woff2">',
                 '<link rel="alternate stylesheet" href="https://evil.example/a.css">',
                 '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
                 '<a href="https://evil.example/">x</a>'):
        assert [p for p in problems(live) if "requests another host" in p], live
    for live in ("<img src=x onerror=alert(1)>", "<div onmouseover='x()'>悬停</div>", "<script>alert(1)</script>",
                 '<script src="files/a/r.txt"></script>', '<a href="javascript:alert(1)">x</a>'):
        assert [p for p in problems(live) if "runs what the site did not write" in p], live


# ------------------------------------------------------------------------------ faults

def _reports(root: Path, count: int = 3) -> Path:
    here = folder(root)
    for source in ("web-text-cells-run-together-2021.txt", "text-layer-labels-broken-across-lines.txt",
                   "tab-separated-with-markdown-bold.txt")[:count]:
        shutil.copy(REPORTS / source, here / source)
    placed_here(here)
    return here


def test_a_report_that_kills_its_worker_every_time_is_listed_as_not_parsed(tmp_path):
    _reports(tmp_path)
    result = portal(tmp_path, "build", env={"PORTAL_TEST_KILL_WORKER": "tab-separated-with-markdown-bold.txt"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 files: 3 parsed" in result.stdout and "1 could not be parsed" in result.stdout
    one_line_each(result.stderr, ["tab-separated-with-markdown-bold.txt"])
    assert "处理该文件时进程中止" in result.stderr and "BrokenProcessPool" not in result.stderr
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "content" / "reports").rglob("index.md"))
    assert "处理该文件时进程中止" in pages  # the reader's notice on its page


def test_a_worker_killed_once_is_healed_by_the_retry(tmp_path):
    _reports(tmp_path)
    marker = tmp_path / "killed-once"
    result = portal(tmp_path, "build", env={"PORTAL_TEST_KILL_WORKER": f"tab-separated-with-markdown-bold.txt:{marker}"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert marker.exists()  # the worker was killed
    assert "0 could not be parsed" in result.stdout, result.stdout + result.stderr


def _mounted(path: Path, options: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                          capture_output=True).returncode == 0


@pytest.fixture
def mount(tmp_path):
    mounted = []

    def make(name: str, options: str) -> Path:
        path = tmp_path / name
        if not _mounted(path, options):
            pytest.skip("mounting a tmpfs needs root (a full or read-only disk is made with one)")
        mounted.append(path)
        return path

    yield make
    for path in mounted:
        subprocess.run(["umount", str(path)], check=False)


def _strays(*folders: Path) -> list[Path]:
    return [p for f in folders if f.exists() for p in f.rglob("*.tmp")]


def test_a_full_disk_is_one_line_and_leaves_no_temporary_files(tmp_path, mount):
    _reports(tmp_path)
    disk = mount("disk", "size=256k")
    result = portal(tmp_path, "build", "--content", str(disk / "content"), "--cache", str(disk / "cache"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "no space left on the device — free some space" in result.stderr and str(disk) in result.stderr
    assert _strays(disk) == []


def test_a_read_only_content_folder_is_one_line(tmp_path, mount):
    _reports(tmp_path)
    content = mount("content", "ro,size=64k")
    result = portal(tmp_path, "build", "--content", str(content))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert f"{content}" in result.stderr and "read-only" in result.stderr
    assert _strays(tmp_path / ".cache") == []


def test_a_second_build_in_the_same_folder_stops_with_one_line(tmp_path):
    _reports(tmp_path, 1)
    cache = tmp_path / ".cache" / "portal"
    cache.mkdir(parents=True)
    with open(cache / "build.lock", "a+b") as lock:  # as a running build holds it
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = portal(tmp_path, "build")
    assert result.returncode == 1 and not (tmp_path / "content").exists()
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "another build (portal build or portal site) is running over this folder" in result.stderr
    result = portal(tmp_path, "build")  # the lock is the OS's: gone with its holder
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # builds killed and run again (35 s of the fast set on the loaded machine)
def test_a_killed_build_never_blocks_the_next_and_sigterm_prints_only_the_stop(tmp_path):
    here = _reports(tmp_path)
    for fixture in sorted(REPORTS.glob("*.pdf")):
        shutil.copy(fixture, here / fixture.name)
    placed_here(here, agencies=True)
    for stop in (signal.SIGKILL, signal.SIGTERM):
        process = subprocess.Popen([sys.executable, "-m", "builder", "build", "--rebuild"], cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   preexec_fn=_ceiling, start_new_session=True)
        time.sleep(3)
        assert process.poll() is None, "the build ended before it could be stopped"
        process.send_signal(stop)
        _, stderr = process.communicate(timeout=60)
        if stop == signal.SIGTERM:
            assert process.returncode == 143 and stderr == "stopped (SIGTERM)\n", stderr
    result = portal(tmp_path, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _strays(tmp_path / ".cache", tmp_path / "content") == []
