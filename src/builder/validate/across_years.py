"""Run-together digits settled by the same agency's neighbouring years.

A row of table 二 printed with its digits run together (``规范性文件1077``) may split several ways that
all fit the report's own figures (extract/placement.py lists them: ``Report.undecided``). Where the
portal holds the same region and agency's report for the year before or after, in the same template,
the identities between years may choose:

- 2021 format: last year's 现行有效件数 + this year's 本年制发件数 − 本年废止件数 = this year's 现行有效件数;
- 2019 format: last year's 上一年项目数量 + 本年增/减 = this year's 上一年项目数量, and last year's
  对外公开总数量 + this year's 本年新公开数量 = this year's 对外公开总数量 (it accumulates).

This runs once every report is parsed (never in a worker, which sees one file), only with neighbour
cells read directly (the extraction's values, never cells themselves settled across years), and keeps
a reading only when exactly one fits every neighbour that prints the cells it needs (the previous and
the next year where both do). The cell then says which report settled it and quotes the neighbour's
cells, so the report's open data, and with it the page memo's key, changes whenever they do (an
incremental build equals a clean one). Where none or several readings fit, the cells stay unknown.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Callable, Iterable, Sequence

from builder.extract.templates import TEMPLATES
from builder.models import Failure, Finding, Report, Undecided


@dataclasses.dataclass(frozen=True)
class Link:
    """An identity between one year's row (``before``) and the next year's (``after``)."""

    before: tuple[str, ...]  # the earlier year's columns it uses
    after: tuple[str, ...]  # the later year's
    holds: Callable[[dict, dict], bool]
    words: str  # the identity, for the warning


LINKS = (
    Link(("in_force",), ("issued", "repealed", "in_force"),
         lambda b, a: b["in_force"] + a["issued"] - a["repealed"] == a["in_force"],
         "上一年的现行有效件数 + 本年制发件数 − 本年废止件数 = 现行有效件数"),
    Link(("previous_count", "change"), ("previous_count",),
         lambda b, a: b["previous_count"] + b["change"] == a["previous_count"],
         "上一年的上一年项目数量 + 本年增/减 = 本年的上一年项目数量"),
    Link(("total_public",), ("published", "total_public"),
         lambda b, a: b["total_public"] + a["published"] == a["total_public"],
         "上一年的对外公开总数量 + 本年新公开数量 = 对外公开总数量"),
)


def _link(columns: Iterable[str]) -> Link | None:
    have = set(columns)
    return next((lk for lk in LINKS if set(lk.before) | set(lk.after) <= have), None)


def _numbers(row: dict, keys: Sequence[str]) -> dict | None:
    out = {k: row.get(k) for k in keys}
    return out if all(isinstance(v, int) and not isinstance(v, bool) for v in out.values()) else None


def settle_across_years(results: list[Report | Failure]) -> list[Report | Failure]:
    """``results`` with the undecided rows that exactly one reading settles across years settled."""
    by_agency: dict[tuple, dict[int, list[Report]]] = defaultdict(lambda: defaultdict(list))
    for r in results:
        if isinstance(r, Report) and r.agency and r.year and r.template:
            by_agency[(tuple(r.region), r.agency, r.template)][r.year].append(r)
    out = []
    for r in results:
        if isinstance(r, Report) and r.undecided and r.agency and r.year and r.template:
            years = by_agency[(tuple(r.region), r.agency, r.template)]
            r = _settle(r, years.get(r.year - 1, []), years.get(r.year + 1, []))
        out.append(r)
    return out


def _settle(report: Report, before: list[Report], after: list[Report]) -> Report:
    tables = {t: {row: dict(cols) for row, cols in rows.items()} for t, rows in report.tables.items()}
    warnings = list(report.warnings)
    origins = dict(report.origins)
    left: list[Undecided] = []
    for u in report.undecided:
        table, row_key = u.cells[0].split(".")[:2]
        row = tables.get(table, {}).get(row_key)
        link = _link(row or ())
        if row is None or link is None or any(not c.startswith(f"{table}.{row_key}.") for c in u.cells):
            left.append(u)
            continue
        columns = [c.split(".")[2] for c in u.cells]
        # the neighbours that print the cells the identity needs, read directly
        used = [(n, cells, "before") for n in before
                if (cells := _numbers(n.tables.get(table, {}).get(row_key, {}), link.before)) is not None]
        used += [(n, cells, "after") for n in after
                 if (cells := _numbers(n.tables.get(table, {}).get(row_key, {}), link.after)) is not None]
        if not used:
            left.append(u)
            continue
        fits = []
        for reading in u.readings:
            mine = {**row, **dict(zip(columns, reading))}
            ok = True
            for _, cells, side in used:
                own = _numbers(mine, link.after if side == "before" else link.before)
                if own is None or not (link.holds(cells, own) if side == "before" else link.holds(own, cells)):
                    ok = False
                    break
            if ok:
                fits.append(reading)
        if len(fits) != 1:
            left.append(u)
            continue
        reading = fits[0]
        label = TEMPLATES[report.template].table(table).row(row_key)
        names = {c.key: c.label for c in label.columns}
        quoted = "；".join(
            f"{n.year}年报告（{n.source.path.name}）直接印出的"
            + "、".join(f"「{names[k]}」{v}" for k, v in cells.items()) for n, cells, _ in used)
        for path, column, value in zip(u.cells, columns, reading):
            if row.get(column) is not None or value is None:
                continue
            tables[table][row_key][column] = value
            if f"{table}.{row_key}" in origins:  # printed in its row's run of digits, as a cell the prose settles
                origins.setdefault(path, dataclasses.replace(origins[f"{table}.{row_key}"], text=""))
            warnings = [w for w in warnings if not (w.where == path and w.code == "cell.ambiguous")]
            warnings.append(Finding(
                "cell.settled_across_years", path,
                f"「{label.label}」一行的数字连在一起，有 {len(u.readings)} 种拆法符合本报告自身的数字；按同一机关{quoted}，"
                f"只有一种拆法符合「{link.words}」：「{names[column]}」一格据此定为 {value}"
                f"（按相邻年度的报告确定，请对照原文核实）。"))
    if len(left) == len(report.undecided):
        return report
    return dataclasses.replace(report, tables=tables, warnings=tuple(warnings), undecided=tuple(left),
                               origins=origins)
