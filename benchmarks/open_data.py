"""The open data of issue 35 at scale, without the rest of the build: N reports made in memory from the
parsed text samples (as benchmarks/scale.py spreads them: agencies over provinces, cities and counties,
three years each), then each year's SQLite database, the reports list, the data package with its
schemas, Datasette's metadata and the Atom feeds, each timed and sized; then what one new report adds
to a build (its year's database and every one of these small files made again).

    .venv/bin/python benchmarks/open_data.py --reports 1000
    .venv/bin/python benchmarks/open_data.py --reports 10000

benchmarks/scale.py gives the same sizes within a whole site build (its "open data" rows).
"""
from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import FIXTURES, FORMAT_2019, FORMAT_2021, agency_of, machine_speed, megabytes, pick, text_only  # noqa: E402

from builder.pipeline import parse  # noqa: E402
from builder.render import database, datapackage, downloads, feeds  # noqa: E402
from builder.render.catalog import agencies_of, regions_of  # noqa: E402
from builder.render.entries import reports_to_entries  # noqa: E402


def reports(n: int) -> list:
    parsed = {name: parse(FIXTURES / name) for name in (*text_only(FORMAT_2019), *text_only(FORMAT_2021))}
    out = []
    for i in range(n):
        a = i // 3
        region, agency = agency_of(a)
        year = 2019 + a % 3 + i % 3
        name, _ = pick(text_only(FORMAT_2019 if year <= 2020 else FORMAT_2021), i)
        sample = parsed[name]
        path = Path("reports", *region, f"{agency}{year}年政府信息公开工作年度报告.txt")
        source = dataclasses.replace(sample.source, path=path, region=tuple(region),
                                     sha256=hashlib.sha256(str(path).encode()).hexdigest())
        out.append(dataclasses.replace(sample, source=source, agency=agency, year=year))
    return out


def timed(make):
    start = time.perf_counter()
    result = make()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    args = parser.parse_args()
    made = reports(args.reports + 1)
    rows = []

    def open_data(found: list) -> tuple[dict, dict]:
        entries = reports_to_entries(found, [])
        years = downloads.by_year(entries)
        agencies = agencies_of(entries)
        regions = regions_of(entries, agencies)
        times, sizes = {}, {}
        for year in years:
            seconds, data = timed(lambda: database.database([e for e in year.entries if e.report.template]))
            times[year.database] = seconds
            sizes[year.database] = (len(data), len(downloads.zipped_bytes("x", data)), len(year.entries))
        small = {"reports list": lambda: datapackage.reports_list(entries),
                 "data package + schemas": lambda: [datapackage.data_package(years),
                                                    *datapackage.schema_files(years).values()],
                 "metadata.json": lambda: database.metadata([y.database for y in years]),
                 "feeds": lambda: list(feeds.feeds_of(entries, agencies, regions, {}).values())}
        for label, make in small.items():
            seconds, text = timed(make)
            texts = text if isinstance(text, list) else [text]
            times[label] = seconds
            sizes[label] = (sum(len(t.encode()) for t in texts), sum(len(gzip.compress(t.encode())) for t in texts),
                            len(texts))
        return times, sizes

    times, sizes = open_data(made[:-1])
    for path, (raw, zipped, count) in sizes.items():
        if path.startswith("data/"):
            rows.append((f"{path.removeprefix('data/')} ({count:,} reports)",
                         f"{megabytes(raw)} ({megabytes(zipped)} zipped, {raw / count / 1e3:.1f} KB a report) "
                         f"in {times[path]:.1f} s"))
    for label in ("reports list", "data package + schemas", "metadata.json", "feeds"):
        raw, zipped, count = sizes[label]
        rows.append((label + (f" ({count:,} files)" if count > 1 else ""),
                     f"{megabytes(raw)} ({megabytes(zipped)} gzip) in {times[label]:.2f} s"))
    total = sum(raw for raw, _, _ in sizes.values())
    published = sum(zipped if path.endswith(".zip") else raw for path, (raw, zipped, _) in sizes.items()
                    if path.startswith("data/")) + sum(raw for label, (raw, _, _) in sizes.items()
                                                       if not label.startswith("data/"))
    rows.append(("all of it, as published (large years' databases zipped)", f"{megabytes(published)} "
                                                                           f"(unzipped {megabytes(total)})"))
    # one new report: its year's database and the small files are made again
    new = made[-1]
    year = downloads.by_year([e for e in reports_to_entries(made, []) if e.report.year == new.year])[0]
    seconds, _ = timed(lambda: database.database([e for e in year.entries if e.report.template]))
    small = sum(times[label] for label in ("reports list", "data package + schemas", "metadata.json", "feeds"))
    rows.append(("+1 report: its year's database + the small files made again",
                 f"{seconds:.1f} s + {small:.1f} s = {seconds + small:.1f} s ({len(year.entries):,} reports in its year)"))
    print(machine_speed())
    print(f"| open data of {args.reports:,} reports | value |\n|---|---|")
    for measure, value in rows:
        print(f"| {measure} | {value} |")


if __name__ == "__main__":
    main()
