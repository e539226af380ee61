"""Province-scale benchmark: N generated reports through extraction, `portal build`, `mkdocs build`
(with the Pagefind search index), one search in Chromium, and the rebuild after adding one report.

    .venv/bin/python benchmarks/scale.py --reports 1000
    .venv/bin/python benchmarks/scale.py --reports 10000 --keep /tmp/scale-10000

Reports are made from the sample reports in tests/fixtures/reports/: text, Word-made PDFs, Word and
web pages in both national formats, with the samples' own (consistent) numbers, and (``--scanned``,
1 % by default) scans of the mix's PDFs as tests/scans.py makes them, read by OCR. Each agency gets
three consecutive years; agencies are spread over provinces, cities and counties. Text and HTML get
the agency's name substituted into the text; every file gets a sidecar `<file>.meta.yml` with its
region, agency and year (so the copied PDFs are distinct reports, not duplicates).

Steps, each timed: extraction of every report on every core from scratch (filling the parse cache),
`portal build` with that warm cache, `mkdocs build --strict` (which writes the Pagefind index; its
time is also shown on its own), one query in Chromium on the search page (bytes transferred), then
one new report as the Publish workflow builds it: `portal build` + `portal site` (strict; only the changed
pages are rendered, and only the parts of the search index whose pages changed are indexed again).
benchmarks/incremental.py times that path step by step with the cache restored as CI restores it.
Memory: the largest process of each step (its peak RSS, from wait4) and all of the step's processes at
once (the sum of their proportional set sizes, sampled from /proc every 0.2 s). Prints one Markdown table; figures depend on the machine.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "reports"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))  # scans.py: scanned copies of the mix's PDFs

# fixture → (share of the mix, the agency name it prints: replaced in text and HTML)
FORMAT_2019 = {
    "text-layer-labels-broken-across-lines.txt": (12, "岭东区经济合作促进局"),
    "tab-separated-with-markdown-bold.txt": (10, "岭东区"),
    "text-layer-columns-interleaved.txt": (10, "绥棱县工业信息科技局"),
    "markdown-headings-agency-in-subheading.txt": (8, "文昌湖区招商局"),
    "text-layer-short-row-and-page-numbers.txt": (8, "牡丹江市爱民区人民政府"),
    "web-text-cells-run-together-2019.txt": (8, "平潭综合实验区"),
    "pdf-from-word-libreoffice-2019-aimin.pdf": (25, None),
    "portal-page-html-rowspan-2019-aimin.html": (12, "牡丹江市爱民区人民政府"),
    "word-2019-merged-cells-aimin.docx": (7, None),
}
FORMAT_2021 = {
    "web-text-cells-run-together-2021.txt": (56, "平潭综合实验区"),
    "pdf-from-word-libreoffice-2021-hongze.pdf": (15, None),
    "pdf-table-split-across-pages-2021-one-other-row.pdf": (10, None),
    "word-export-html-gb2312-2021-hongze.html": (12, "淮安市洪泽区人民政府"),
    "word-2021-national-template-hongze.docx": (7, None),
}
# the year a PDF or Word fixture's title prints (its copies are used for that year only)
PRINTED_YEAR = {"pdf-from-word-libreoffice-2019-aimin.pdf": 2020, "word-2019-merged-cells-aimin.docx": 2020,
                "pdf-from-word-libreoffice-2021-hongze.pdf": 2023, "word-2021-national-template-hongze.docx": 2023,
                "pdf-table-split-across-pages-2021-one-other-row.pdf": 2023}
TITLE_YEAR = re.compile(r"(20\d\d)(\s*年\s*度?\s*(?:政府|政务)?\s*信息公开)")
PROVINCES = ["河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省",
             "山东省", "河南省", "湖北省", "湖南省", "广东省", "四川省"]
SYLLABLES = "安宁平和兴华东西南北长清新丰泰永明光德福康乐山河江湖林泉石桥城阳春秋云海"
DEPARTMENTS = ["人民政府", "发展和改革局", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局",
               "财政局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局",
               "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "应急管理局", "审计局",
               "市场监督管理局", "统计局", "医疗保障局", "城市管理局", "退役军人事务局", "信访局", "行政审批服务局"]
QUERY = "行政复议"
SEARCH_FILES = re.compile(r"/pagefind(-\d+)?/")  # the search index: one folder, or one per part
PAGEFIND_LOG = re.compile(r"Pagefind indexed (\d+) pages in ([\d.]+) s \(index parts: (\d+), "
                          r"unchanged ones from the cache: (\d+), kept in site/: (\d+)\)")


def place(i: int, suffix: str) -> str:
    n = len(SYLLABLES)
    return SYLLABLES[i % n] + SYLLABLES[(i // n + 7 * i) % n] + suffix


def agency_of(a: int) -> tuple[list[str], str]:
    """Agency number a → (region, name): 28 departments per county, 12 counties per city."""
    county_no, department = divmod(a, len(DEPARTMENTS))
    city_no = county_no // 12
    province = PROVINCES[city_no % len(PROVINCES)]
    city, county = place(city_no, "市"), place(county_no + 500, "县")
    return [province, city, county], county + DEPARTMENTS[department]


def pick(fixtures: dict, i: int) -> tuple[str, str | None]:
    slot, total = (i * 7919) % 100, 0
    for name, (share, printed) in fixtures.items():
        total += share
        if slot < total:
            return name, printed
    return next(iter(fixtures.items()))[0], None


def text_only(fixtures: dict) -> dict:
    return {name: share for name, share in fixtures.items() if name.endswith(".txt")}


def scanned(i: int, share: float) -> bool:
    """Whether report i is a scan: ``share`` per cent of the reports, spread evenly."""
    return share > 0 and int(i * share / 100) != int((i + 1) * share / 100)


def make_report(folder: Path, i: int, texts_only: bool = False, scan_share: float = 0) -> Path:
    """Report i: agency i // 3, its (i % 3)-th year (from the text fixtures only: quick to extract).
    With ``scan_share``, that per cent of the reports are scans of the mix's PDFs (tests/scans.py,
    each with a seed of its own, so no two share a page image). A report's title says its year (a
    sidecar's year the title contradicts stops a build): text and HTML get it written in, and a PDF or
    Word file, whose title cannot be edited, is taken only for the year its title prints. Each file's
    bytes are its own (the same file twice stops a build): text ends with a line of blanks spelling i,
    a PDF or Word file with a byte comment."""
    a = i // 3
    region, agency = agency_of(a)
    year = 2019 + a % 3 + i % 3
    fixtures = {name: share for name, share in (FORMAT_2019 if year <= 2020 else FORMAT_2021).items()
                if name.endswith((".txt", ".html")) or PRINTED_YEAR[name] == year}
    if scanned(i, scan_share) and not texts_only and any(name.endswith(".pdf") for name in fixtures):
        fixtures = {name: share for name, share in fixtures.items() if name.endswith(".pdf")}
    name, printed = pick(text_only(fixtures) if texts_only else fixtures, i)
    source = FIXTURES / name
    target = folder.joinpath(*region) / f"{agency}{year}年政府信息公开工作年度报告{source.suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    blanks = "\n" + format(i, "b").replace("0", " ").replace("1", "\t") + "\n"
    if name.endswith(".pdf") and scanned(i, scan_share) and not texts_only:
        from scans import ScanSettings, scan_pdf
        target.write_bytes(scan_pdf(source, ScanSettings(seal_text=agency), seed=i))
    elif source.suffix == ".txt":
        text = TITLE_YEAR.sub(rf"{year}\2", source.read_text(encoding="utf-8"), count=1)
        target.write_text((text.replace(printed, agency) if printed else text) + blanks, encoding="utf-8")
    elif source.suffix == ".html":
        encoding = "gb18030" if "gb2312" in name else "utf-8"
        text = TITLE_YEAR.sub(rf"{year}\2", source.read_bytes().decode(encoding), count=1)
        target.write_bytes(((text.replace(printed, agency) if printed else text) + blanks).encode(encoding))
    else:
        target.write_bytes(source.read_bytes() + f"\n%{i}\n".encode("ascii"))
    target.with_name(target.name + ".meta.yml").write_text(
        f"region: [{', '.join(region)}]\nagency: {agency}\nyear: {year}\n", encoding="utf-8")
    return target


def checkout(work: Path) -> None:
    """What a checkout gives the build besides reports/: the hand-written part of content/, our
    mkdocs.yml and its theme overrides (as in tests/site_helpers.py), every file with a new modification time."""
    from builder.publish.tree import hand_written_files

    for path in hand_written_files(ROOT / "content"):
        target = work / "content" / path.relative_to(ROOT / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    shutil.copyfile(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", work / "overrides", copy_function=shutil.copyfile)  # theme.custom_dir


def tree_memory(pid: int) -> int:
    """Bytes of memory process ``pid`` and its descendants use now: the sum of their proportional set
    sizes (a page shared by two processes, as after a fork, counts half in each), from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except OSError:  # the process ended meanwhile
            continue
    tree, grown = {pid}, True
    while grown:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    total = 0
    for member in tree:
        try:
            found = re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{member}/smaps_rollup").read_text(), re.M)
        except OSError:
            continue
        total += int(found.group(1)) * 1024 if found else 0
    return total


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, str, int, int]:
    """(seconds, output, peak RSS in bytes of the largest process of the command (itself or one it waited
    for), peak memory of all of its processes at once (``tree_memory``, sampled every 0.2 s)). The
    environment is this one with a fixed SOURCE_DATE_EPOCH unless ``env`` is given."""
    env = env or {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    start = time.perf_counter()
    peak = [0]
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.2):
                peak[0] = max(peak[0], tree_memory(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        done.set()
        sampler.join()
        seconds = time.perf_counter() - start
        out.seek(0)
        output = out.read().decode("utf-8", errors="replace")
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{' '.join(cmd)} failed:\n{output[-6000:]}")
    return seconds, output, usage.ru_maxrss * 1024, peak[0]


def extract_all(work: Path, cache: Path) -> tuple[float, float, int, float, int]:
    """(seconds for every report, text-layer PDF reports/s, PDFs timed, scanned reports/s, scans
    timed): from scratch, on every core. Run in a process of its own (``--extract``), so that its
    memory is measured like the other steps'. Scans are timed with an empty OCR cache."""
    from builder.extract.formats import ocr
    from builder.ingest.cache import ParseCache
    from builder.ingest.sources import discover
    from builder.pipeline import parse_all
    os.environ[ocr.CACHE_ENV] = str(cache)
    paths = discover(work / "reports")
    start = time.perf_counter()
    parse_all(paths, ParseCache(cache))  # the cache starts empty: every file is parsed and stored
    seconds = time.perf_counter() - start
    all_pdfs = [p for p in paths if p.suffix == ".pdf"]
    scans = [p for p in all_pdfs if _is_scan(p)]
    pdfs = [p for p in all_pdfs if p not in scans][:60]
    start = time.perf_counter()
    parse_all(pdfs, None)
    pdf_rate = len(pdfs) / (time.perf_counter() - start)
    scan_rate = 0.0
    if scans:
        os.environ[ocr.CACHE_ENV] = tempfile.mkdtemp(prefix="ocr-cache-")  # every page recognised again
        start = time.perf_counter()
        parse_all(scans, None, workers=2) if len(scans) >= 16 else _two_at_a_time(scans)
        scan_rate = len(scans) / (time.perf_counter() - start)
    return seconds, pdf_rate, len(pdfs), scan_rate, len(scans)


def _is_scan(path: Path) -> bool:
    import pdfplumber
    with pdfplumber.open(path) as doc:
        return not doc.pages[0].chars and bool(doc.pages[0].images)


def _two_at_a_time(paths: list[Path]) -> None:
    """A few scans on both cores (parse_all uses a pool only from POOL_THRESHOLD files on)."""
    from concurrent.futures import ProcessPoolExecutor

    from builder.pipeline import parse
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(parse, paths))


def search_bytes(site: Path, query: str, result: str = ".portal-search__result") -> tuple[int, int]:
    """(bytes the browser fetched from pagefind/ to open the search page and show one query's
    results, results shown); uncompressed, as served by a plain HTTP server."""
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    sizes: dict[str, int] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page()
            page.on("requestfinished", lambda r: SEARCH_FILES.search(r.url) and sizes.setdefault(
                r.url, len(r.response().body())))
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/search/?q={quote(query)}",
                      wait_until="networkidle")
            page.locator(result).first.wait_for(timeout=60000)  # search.js's results
            page.wait_for_load_state("networkidle")
            shown = page.locator(result).count()
            browser.close()
    finally:
        httpd.shutdown()
    return sum(sizes.values()), shown


def compare_selection_bytes(site: Path, chosen: int = 5) -> tuple[int, int, int]:
    """What the 对比 page fetches for its heaviest selection of ``chosen`` agencies: the agency list and
    their data files (raw, gzip-compressed as a server sends them, the list alone)."""
    files = [site / "compare" / "agencies.json"]
    files += sorted((site / "compare" / "a").glob("*.json"), key=lambda p: p.stat().st_size)[-chosen:]
    raw = sum(p.stat().st_size for p in files)
    return raw, sum(len(gzip.compress(p.read_bytes())) for p in files), files[0].stat().st_size


def machine_speed() -> str:
    """A yardstick for comparing figures taken on different machines (they differ by 2× here): the
    seconds one core takes for a fixed pure-Python loop, best of 3."""
    def loop() -> float:
        start, total = time.perf_counter(), 0
        for i in range(10_000_000):
            total += i
        return time.perf_counter() - start
    return f"machine: a 10-million-addition Python loop takes {min(loop() for _ in range(3)):.2f} s on one core"


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def open_data_bytes(site: Path) -> tuple[int, int, int]:
    """(the years' databases, the data package with its schemas and the reports list, the Atom feeds) in bytes."""
    data = site / "data"
    databases = sum(p.stat().st_size for p in data.glob("年报-*.sqlite*"))
    package = sum(p.stat().st_size for p in (data / "datapackage.json", data / "年报清单.csv") if p.is_file())
    return databases, package + folder_bytes(data / "schemas"), folder_bytes(data / "feeds")


def megabytes(n: int) -> str:
    return f"{n / 1e6:,.0f} MB" if n >= 1e7 else f"{n / 1e6:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--scanned", type=float, default=1.0, metavar="PERCENT",
                        help="share of the reports that are scans of the mix's PDFs, read by OCR (default 1)")
    parser.add_argument("--extract", type=Path, help=argparse.SUPPRESS)  # one step, run as a child process
    args = parser.parse_args()
    if args.extract:
        print(*extract_all(args.extract, args.extract / ".cache" / "portal"))
        return
    bin_dir = Path(sys.executable).parent
    portal = str(bin_dir / "portal")
    work = args.keep or Path(tempfile.mkdtemp(prefix="scale-"))
    if work.exists():
        shutil.rmtree(work)
    try:
        checkout(work)
        for i in range(args.reports):
            make_report(work / "reports", i, scan_share=args.scanned)
        cache = work / ".cache" / "portal"

        _, out, extract_rss, extract_all_rss = run([sys.executable, __file__, "--extract", str(work)], work)
        extract_s, pdf_rate, pdf_count, scan_rate, scan_count = (float(x) for x in out.split()[-5:])
        portal_s, _, portal_rss, portal_all_rss = run([portal, "build", "--cache", str(cache)], work)
        # `portal site` on an empty site/ is `mkdocs build --strict`, and records the build for the next one
        mkdocs_s, log, mkdocs_rss, mkdocs_all_rss = run([portal, "site"], work)
        pages, index_s, parts = PAGEFIND_LOG.search(log).group(1, 2, 3)
        pages, index_s, parts = int(pages), float(index_s), int(parts)
        site = work / "site"
        size, originals = folder_bytes(site), folder_bytes(site / "files")
        report_pages = list((site / "reports").glob("*/index.html"))
        largest = max(p.stat().st_size for p in report_pages)
        crops = [folder_bytes(folder) for folder in (site / "reports").glob("*/rows")]  # scanned rows' images
        largest_any = max(site.rglob("*.html"), key=lambda p: p.stat().st_size)
        largest_any = (largest_any.relative_to(site).parent.as_posix(), largest_any.stat().st_size)
        index_size = sum(folder_bytes(bundle) for bundle in site.glob("pagefind*"))
        data_size = folder_bytes(site / "data")
        open_data = open_data_bytes(site)
        query_bytes, shown = search_bytes(site, QUERY)
        compare_bytes = compare_selection_bytes(site)

        make_report(work / "reports", args.reports + 3 * 10_000_000)  # a new agency's report
        inc_portal_s, _, _, _ = run([portal, "build", "--cache", str(cache)], work)
        inc_mkdocs_s, inc_log, _, _ = run([portal, "site"], work)
        inc_index = PAGEFIND_LOG.search(inc_log)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    n = args.reports
    rows = [
        ("reports (pages indexed)", f"{n:,} ({pages:,})"),
        ("extraction, from scratch, 2 processes", f"{extract_s:.0f} s = {n / extract_s:.1f} reports/s "
                                                  f"(text-layer PDFs alone: {pdf_rate:.1f}/s over {pdf_count:.0f})"),
        ("scanned reports (OCR) in the mix, alone on 2 processes",
         f"{scan_count:.0f}: {scan_rate:.2f} OCR reports/s = {2 / scan_rate if scan_rate else 0:.0f} s per report "
         f"per core" if scan_count else "none (--scanned 0)"),
        ("`portal build` (parse cache warm)", f"{portal_s:.0f} s"),
        ("`mkdocs build --strict` (incl. search index)", f"{mkdocs_s:.0f} s"),
        ("of which Pagefind search index", f"{index_s:.0f} s (in {parts} part{'s' if parts > 1 else ''})"),
        ("full site build from extracted reports", f"{portal_s + mkdocs_s:.0f} s"),
        ("site size", f"{megabytes(size)} (originals {megabytes(originals)}, search index "
                      f"{megabytes(index_size)}, open data {megabytes(data_size)})"),
        ("site size with `--files-url` (originals on a file host)", megabytes(size - originals)),
        ("of the open data: databases / data package, schemas and reports list / feeds",
         " / ".join(megabytes(n) for n in open_data) + " (benchmarks/open_data.py times them)"),
        ("largest report page HTML (target ≤ 80 KB)", f"{largest / 1e3:.0f} KB "
                                     f"(largest page: {largest_any[0]}/, {largest_any[1] / 1e3:,.0f} KB)"),
        ("scanned reports' row images, per report (loaded as they scroll into view)",
         f"{sum(crops) / len(crops) / 1e3:.0f} KB on average, {max(crops) / 1e3:.0f} KB at most, over {len(crops)}"
         if crops else "none"),
        ("对比 of the 5 agencies with the largest data: browser downloads (raw / gzip)",
         f"{compare_bytes[0] / 1e3:.0f} KB / {compare_bytes[1] / 1e3:.0f} KB (agency list {compare_bytes[2] / 1e3:.0f} KB)"),
        (f"one search ({QUERY}): browser downloads", f"{query_bytes / 1e3:.0f} KB ({shown} results shown)"),
        ("peak RSS, largest process: extraction / `portal build` / `mkdocs build`",
         f"{extract_rss / 1e6:,.0f} / {portal_rss / 1e6:,.0f} / {mkdocs_rss / 1e6:,.0f} MB"),
        ("peak memory of all processes of the step at once (PSS)",
         f"{extract_all_rss / 1e6:,.0f} / {portal_all_rss / 1e6:,.0f} / {mkdocs_all_rss / 1e6:,.0f} MB"),
        ("+1 report: `portal build` + `portal site` (incremental, strict)",
         f"{inc_portal_s:.0f} s + {inc_mkdocs_s:.0f} s = {inc_portal_s + inc_mkdocs_s:.0f} s "
         f"(search index parts not indexed again: {int(inc_index.group(4)) + int(inc_index.group(5))} of "
         f"{inc_index.group(3)})"),
    ]
    print(machine_speed())
    print("| measure | value |\n|---|---|")
    for measure, value in rows:
        print(f"| {measure} | {value} |")


if __name__ == "__main__":
    main()
