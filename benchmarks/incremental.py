"""Incremental build benchmark: a full build of N reports against adding one report to it.

    .venv/bin/python benchmarks/incremental.py --reports 200

Makes N reports from the real text and PDF fixtures (each under its own agency name and region
folder), then times `portal build --rebuild` and `mkdocs build --strict` on all of them, adds one
report, and times the incremental `portal build` (which parses only the new file) and mkdocs again.
Prints one table; figures depend on the machine.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "reports"
SOURCES = {  # fixture → the agency name it prints
    "text-layer-labels-broken-across-lines.txt": "岭东区经济合作促进局",
    "tab-separated-with-markdown-bold.txt": "岭东区",
    "text-layer-columns-interleaved.txt": "绥棱县工业信息科技局",
    "markdown-headings-agency-in-subheading.txt": "区招商局",
}


def make_reports(folder: Path, n: int, start: int = 0) -> None:
    names = list(SOURCES.items())
    for i in range(start, start + n):
        name, agency = names[i % len(names)]
        text = (FIXTURES / name).read_text(encoding="utf-8").replace(agency, f"第{i}号测试局")
        target = folder / "测试省" / f"测试市{i % 20}" / f"测试县{i}"
        target.mkdir(parents=True, exist_ok=True)
        (target / f"第{i}号测试局2020年报.txt").write_text(text, encoding="utf-8")


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    portal, mkdocs = str(bin_dir / "portal"), str(bin_dir / "mkdocs")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "content", work / "content", ignore=shutil.ignore_patterns("reports", "data", "files", "index.md"))
        shutil.copy(ROOT / "mkdocs.yml", work)
        shutil.copytree(ROOT / "overrides", work / "overrides")  # theme.custom_dir
        make_reports(work / "reports", args.reports)
        full_parse = timed([portal, "build", "--rebuild"], work)
        full_site = timed([mkdocs, "build", "--strict", "-q"], work)
        make_reports(work / "reports", 1, start=args.reports)
        inc_parse = timed([portal, "build"], work)
        inc_site = timed([mkdocs, "build", "--strict", "-q"], work)
    print(f"| reports | portal build | mkdocs build | total |")
    print(f"|---|---|---|---|")
    print(f"| {args.reports} (full, --rebuild) | {full_parse:.1f} s | {full_site:.1f} s | {full_parse + full_site:.1f} s |")
    print(f"| +1 (incremental) | {inc_parse:.1f} s | {inc_site:.1f} s | {inc_parse + inc_site:.1f} s |")


if __name__ == "__main__":
    main()
