"""National portal by simulation: 31 province sites built in turn, a national home and one search over all.

    nice .venv/bin/python benchmarks/national.py --shards 31 --reports-per-shard 60

Each shard is one province (benchmarks/scale.py's generator, its reports under reports/<省>/ only), built
as a CI matrix job builds it: `portal build` (extraction from scratch) and `portal site` (strict, with
its search index), its site put under national/<省>/. Then `portal national national/` writes the
national home and search page, and one query in Chromium on that page (merging every province's
Pagefind index) is measured: bytes fetched from the indexes, results found. Prints the total and the
per-shard times; figures depend on the machine.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # noqa: E402  (the generator, and the search measured in Chromium)

ROOT = scale.ROOT
PROVINCES = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
             "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省",
             "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省",
             "青海省", "宁夏回族自治区", "新疆维吾尔自治区"]


def timed(cmd: list[str], cwd: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    if result.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=int, default=31)
    parser.add_argument("--reports-per-shard", type=int, default=60)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    portal = str(Path(sys.executable).parent / "portal")
    root = args.keep or Path(tempfile.mkdtemp(prefix="national-"))
    if root.exists():
        shutil.rmtree(root)
    national = root / "national"
    national.mkdir(parents=True)
    shards: list[tuple[str, float, float]] = []
    try:
        for k, province in enumerate(PROVINCES[:args.shards]):
            work = root / "shard"
            scale.checkout(work)  # a matrix job's checkout (its reports are generated below)
            scale.PROVINCES = [province]  # the generator's agencies, all in this province
            for i in range(k * args.reports_per_shard, (k + 1) * args.reports_per_shard):
                scale.make_report(work / "reports", i)
            parse_s = timed([portal, "build"], work)
            site_s = timed([portal, "site"], work)
            shards.append((province, parse_s, site_s))
            shutil.move(work / "site", national / province)
            shutil.rmtree(work)
        national_s = timed([portal, "national", str(national)], root)
        query_bytes, found = scale.search_bytes(national, scale.QUERY)  # search.js, as on a province site
        one_bytes, _ = scale.search_bytes(national / PROVINCES[0], scale.QUERY)  # one province's own search
        size = sum(p.stat().st_size for p in national.rglob("*") if p.is_file())
        index_size = sum(scale.folder_bytes(b) for b in national.glob("*/pagefind*"))
        parts = len(list(national.glob("*/pagefind*")))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    totals = [p + s for _, p, s in shards]
    n = args.shards * args.reports_per_shard
    print(f"{args.shards} province shards × {args.reports_per_shard} reports = {n:,} reports; national site "
          f"{size / 1e6:,.0f} MB, search indexes {index_size / 1e6:,.0f} MB in {parts} parts\n")
    print("| measure | value |\n|---|---|")
    print(f"| all shards built in turn (`portal build` + `portal site`) | {sum(totals):.0f} s |")
    print(f"| per shard: min / median / max | {min(totals):.1f} / {statistics.median(totals):.1f} / "
          f"{max(totals):.1f} s |")
    print(f"| per shard, `portal build` / `portal site` (median) | "
          f"{statistics.median(p for _, p, _ in shards):.1f} / {statistics.median(s for _, _, s in shards):.1f} s |")
    print(f"| `portal national` (home and search page) | {national_s:.1f} s |")
    print(f"| one national search ({scale.QUERY}) over {args.shards} merged indexes: bytes fetched | "
          f"{query_bytes / 1e3:,.0f} KB ({found} results shown) |")
    print(f"| the same query on one province's own site | {one_bytes / 1e3:,.0f} KB |")
    if args.shards > 1:
        print(f"| each further province's index adds | {(query_bytes - one_bytes) / 1e3 / (args.shards - 1):,.0f} KB |")


if __name__ == "__main__":
    main()
