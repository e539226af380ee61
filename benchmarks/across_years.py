"""Run-together digits settled across years: how many cells the neighbouring years decide.

    .venv/bin/python benchmarks/across_years.py                      # the real fixtures that run digits together
    .venv/bin/python benchmarks/across_years.py REPORT.txt TRUTH.json  # another text report and its hand-read tables

Each real report whose table 二 prints a row's digits run together (``行政许可396442278``) leaves that
row undecided where its own figures allow several splits (``Report.undecided``). Here the same
agency's report of the year before, of the year after, and of both is generated from its text: the
years moved by one, the undecided rows printed apart with values that fit the template's identities
between years and the report's hand-read values (the 2021 format's 现行有效件数; the 2019 format's
上一年项目数量 + 本年增/减 and its accumulating 对外公开总数量); every other row as printed. Every
report is parsed and settled as ``portal build`` does (``pipeline.parse_all``), and each cell of an
undecided row is counted right (settled to the hand-read value), wrong (settled otherwise) or
unknown (still null). Wrong must be 0. A row that no identity covers (the 2019 format's 政府集中采购)
stays unknown whatever its neighbours print.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src")]

from builder.extract.templates import TEMPLATES  # noqa: E402
from builder.models import Report  # noqa: E402
from builder.pipeline import parse, parse_all  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "reports"
DEFAULT = ("web-text-cells-run-together-2019.txt", "web-text-cells-run-together-2021.txt")
SCENARIOS = {"the year before": (-1,), "the year after": (1,), "both": (-1, 1)}


def neighbour_row(row: dict, shift: int) -> dict:
    """The row as the neighbouring year (``shift`` −1 or +1) prints it, fitting the identities between years."""
    out = dict(row)
    if {"issued", "repealed", "in_force"} <= row.keys():  # 现行有效件数 + the next year's 制发 − 废止 = the next's
        out["in_force"] = row["in_force"] + shift * (row["issued"] - row["repealed"])
    if {"previous_count", "change"} <= row.keys():
        if shift < 0:  # last year's 上一年项目数量 + 本年增/减 = this year's 上一年项目数量
            change = row["change"] if row["previous_count"] - row["change"] >= 0 else 0
            out["previous_count"], out["change"] = row["previous_count"] - change, change
        else:
            out["previous_count"] = row["previous_count"] + row["change"]
    if {"published", "total_public"} <= row.keys():
        out["total_public"] = row["total_public"] + (row["published"] if shift > 0 else -row["published"])
    return out


def neighbour_text(text: str, report: Report, truth: dict, shift: int) -> str:
    """The report's text as its agency's report of the year ``shift`` away, undecided rows printed apart."""
    text = re.sub(r"20\d\d(?=年)", lambda m: str(int(m.group()) + shift), text)
    for u in report.undecided:
        table, key = u.cells[0].split(".")[:2]
        row = truth[table][key]
        printed = "".join(str(v) for v in row.values())
        label = TEMPLATES[report.template].table(table).row(key)
        for name in (label.label, *label.variants):
            if name + printed in text:
                apart = " ".join(str(v) for v in neighbour_row(row, shift).values())
                text = text.replace(name + printed, f"{name} {apart} ", 1)
                break
    return text


def score(path: Path, truth: dict) -> dict[str, tuple[int, int, int]]:
    """Per scenario: the undecided cells right / unknown / wrong once the neighbours are parsed beside it."""
    alone = parse(path)
    assert isinstance(alone, Report), f"{path.name}: not read ({alone})"
    cells = [c for u in alone.undecided for c in u.cells
             if alone.tables[c.split(".")[0]][c.split(".")[1]][c.split(".")[2]] is None]
    text = path.read_text(encoding="utf-8")
    out = {"alone": (0, len(cells), 0)}
    for name, shifts in SCENARIOS.items():
        with tempfile.TemporaryDirectory() as tmp:
            paths = [Path(tmp) / f"this_{alone.year}{path.suffix}"]
            paths[0].write_text(text, encoding="utf-8")
            for shift in shifts:
                paths.append(Path(tmp) / f"neighbour_{alone.year + shift}{path.suffix}")
                paths[-1].write_text(neighbour_text(text, alone, truth, shift), encoding="utf-8")
            results, _ = parse_all(paths, workers=1)
        this = next(r for r in results if isinstance(r, Report) and r.source.path.name == paths[0].name)
        right = unknown = wrong = 0
        for c in cells:
            t, r, k = c.split(".")
            value = this.tables[t][r][k]
            if value is None:
                unknown += 1
            elif value == truth[t][r][k]:
                right += 1
            else:
                wrong += 1
        out[name] = (right, unknown, wrong)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", type=Path, help="a text report (default: the real fixtures)")
    parser.add_argument("truth", nargs="?", type=Path, help="its hand-read tables (JSON with a 'tables' key)")
    args = parser.parse_args()
    pairs = [(args.report, args.truth)] if args.report else \
        [(FIXTURES / name, (FIXTURES / name).with_suffix(".expected.json")) for name in DEFAULT]
    totals = {name: [0, 0, 0] for name in ("alone", *SCENARIOS)}
    print(f"{'report':45} {'neighbours':16} right unknown wrong")
    for path, truth_file in pairs:
        truth = json.loads(truth_file.read_text(encoding="utf-8"))["tables"]
        for name, figures in score(path, truth).items():
            print(f"{path.name:45} {name:16} {figures[0]:5} {figures[1]:7} {figures[2]:5}")
            totals[name] = [a + b for a, b in zip(totals[name], figures)]
    for name, (right, unknown, wrong) in totals.items():
        print(f"{'all':45} {name:16} {right:5} {unknown:7} {wrong:5}")


if __name__ == "__main__":
    main()
