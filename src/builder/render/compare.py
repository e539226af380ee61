"""The 对比 page: agencies × years of one measure, in a table, a chart and a CSV, drawn in the browser
from small JSON files that ``portal build`` writes beside the page (no server).

- ``compare/agencies.json``: every agency once (name, region, level, kind, the years it reported),
  for the search-as-you-type; regions are listed once and named by their place in the list;
- ``compare/a/<agency>.json``: one agency's reports, each with every measure's value and, where it
  is not simply known, its status (unknown, contradicted with its note, corrected by hand).

A selection fetches the index and one small file per agency chosen: a few hundred KB however many
reports the portal holds (``benchmarks/scale.py`` measures it). A measure names the cells it adds up
in each format; a measure a format does not have is absent for that format's years (shown as “该年
格式无此项”), so the 2019 and 2021 formats are compared only where the meaning is the same (其他处理
only as its total, 表二's columns only where both formats count the same thing).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

from builder.extract.templates import TEMPLATES
from builder.models import Report
from builder.render import glossary
from builder.render.catalog import Agency
from builder.render.entries import page_url, url_relative
from builder.render.open_data import dumps
from builder.render.policy import FEW, counts_text, enough
from builder.render.search_fields import site_fields
from builder.render.status import status_of

PAGE = "compare/index.md"
INDEX = "compare/agencies.json"
BOTH = ("2019", "2021")


def agency_data(agency: Agency) -> str:
    """Where one agency's data file is, relative to content/."""
    return f"compare/a/{agency.slug}.json"


@dataclass(frozen=True)
class Measure:
    key: str  # the m= of the page's address
    label: str
    group: str  # the heading of its group in the list of measures
    cells: Callable[[str], tuple[str, ...]] | None = None  # format → the cells summed (None: a rate)
    templates: tuple[str, ...] = BOTH
    unit: str = "件"
    rate: tuple[str, str, str] = ("", "", "")  # (numerator, denominator, subtracted from the denominator)
    term: str = ""  # its entry on 术语说明


def _totals(*rows: str, table: str = "applications") -> Callable[[str], tuple[str, ...]]:
    def cells(template: str) -> tuple[str, ...]:
        present = {r.key for r in TEMPLATES[template].table(table).rows}
        return tuple(f"{table}.{row}.total" for row in rows if row in present)
    return cells


def _outcome(subgroup: str) -> Callable[[str], tuple[str, ...]]:
    def cells(template: str) -> tuple[str, ...]:
        return tuple(f"applications.{r.key}.total" for r in TEMPLATES[template].table("applications").rows
                     if r.subgroup == subgroup)
    return cells


def _one(path: str) -> Callable[[str], tuple[str, ...]]:
    return lambda template: (path,)


def _results(*groups: str, column: str) -> Callable[[str], tuple[str, ...]]:
    return lambda template: tuple(f"review_litigation.{g}.{column}" for g in groups)


def _other(template: str) -> tuple[str, ...]:
    """其他处理 as its total: 2019 prints one row, 2021 three."""
    if template == "2019":
        return ("applications.other.total",)
    return _outcome("（六）其他处理")(template)


_APPS = TEMPLATES["2021"].table("applications")
_A = "申请数量（表三）"
_R = "办理结果（表三）"
_D = "不予公开的理由（表三）"
_U = "无法提供、不予处理的情形（表三）"
_V = "行政复议（表四）"
_L = "行政诉讼（表四，两组之和）"
_P = "主动公开（表二）"
_RATES = "比率（每份年报单独计算）"
_RESULT_LABELS = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"),
                  ("total", "总计"))

MEASURES: tuple[Measure, ...] = (
    Measure("received", "本年新收申请", _A, _totals("new_received"), term="new_received"),
    Measure("carried_over", "上年结转", _A, _totals("carried_over"), term="carried_over"),
    Measure("total_processed", "办理结果总计", _A, _totals("total_processed"), term="total_processed"),
    Measure("carried_forward", "结转下年度继续办理", _A, _totals("carried_forward"), term="carried_forward"),
    Measure("granted", "予以公开", _R, _totals("granted"), term="granted"),
    Measure("partially_granted", "部分公开", _R, _totals("partially_granted"), term="partially_granted"),
    Measure("denied", "不予公开", _R, _outcome("（三）不予公开"), term="denied"),
    Measure("unavailable", "无法提供", _R, _outcome("（四）无法提供"), term="unavailable"),
    Measure("not_processed", "不予处理", _R, _outcome("（五）不予处理"), term="not_processed"),
    Measure("other", "其他处理（合计，两版格式可比）", _R, _other, term="other_processing"),
    *(Measure(r.key, f"其他处理：{r.label.split('、', 1)[0].lstrip('123.')}", _R, _totals(r.key), ("2021",),
              term=r.key if r.key != "other" else "other_processing")
      for r in _APPS.rows if r.subgroup == "（六）其他处理" and r.key != "other"),
    Measure("other_other", "其他处理：其他", _R, _one("applications.other.total"), ("2021",), term="other_processing"),
    *(Measure(r.key, r.label.lstrip("12345678."), _D, _totals(r.key), term=r.key)
      for r in _APPS.rows if r.subgroup == "（三）不予公开"),
    *(Measure(r.key, f"{r.subgroup.strip('（）四五')}：{r.label.lstrip('12345.')}", _U, _totals(r.key), term=r.key)
      for r in _APPS.rows if r.subgroup in ("（四）无法提供", "（五）不予处理")),
    *(Measure(f"review_{column}", f"行政复议 {label}", _V, _results("review", column=column),
              term="review" if column == "total" else ("other_result" if column == "other" else column))
      for column, label in _RESULT_LABELS),
    *(Measure(f"lawsuits_{column}", f"行政诉讼 {label}", _L,
              _results("litigation_direct", "litigation_after_review", column=column),
              term="litigation" if column == "total" else ("other_result" if column == "other" else column))
      for column, label in _RESULT_LABELS),
    Measure("licensing_decisions", "行政许可 处理决定数量", _P, _one("active_disclosure.administrative_licensing.decisions"),
            term="art20_5"),
    Measure("penalty_decisions", "行政处罚 处理决定数量", _P, _one("active_disclosure.administrative_penalty.decisions"),
            term="art20_6"),
    Measure("enforcement_decisions", "行政强制 处理决定数量", _P,
            _one("active_disclosure.administrative_enforcement.decisions"), term="art20_6"),
    *(Measure(f"{row}_{column}", f"{what} {label}（仅 {template} 版格式）", _P, _one(f"active_disclosure.{row}.{column}"),
              (template,), term="art20_1")
      for template, columns in (("2021", (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))),
                                ("2019", (("made", "本年新制作数量"), ("published", "本年新公开数量"),
                                          ("total_public", "对外公开总数量"))))
      for row, what in (("regulations", "规章"), ("normative_documents", "规范性文件"))
      for column, label in columns),
    Measure("denial_rate", "不予公开率（不予公开 ÷ 办理结果总计）", _RATES, unit="%",
            rate=("denied", "total_processed", ""), term="denial_rate"),
    Measure("review_correction_rate", "复议纠错率（结果纠正 ÷ 已审结的行政复议）", _RATES, unit="%",
            rate=("review_corrected", "review_total", "review_pending"), term="review_correction_rate"),
)
MEASURE = {m.key: m for m in MEASURES}
DEFAULT = "received"


# ---------------------------------------------------------------- one report's values

@dataclass(frozen=True)
class Value:
    """One measure of one report: its number (None: unknown), its status and the note of that status."""

    number: int | float | None
    kind: str  # "known", "unknown", "contradicted", "corrected", "undefined" (a rate over 0), "few" (a rate
    # over fewer than MIN_BASE cases: its note gives the counts) or "absent" (the report's format has no such measure)
    note: str = ""


ABSENT = Value(None, "absent")


def measure_value(report: Report, measure: Measure, figures: dict[str, Value] | None = None) -> Value:
    """The measure for ``report`` (``figures``: the report's values of the measures already worked out)."""
    template = report.template or ""
    if template not in measure.templates or template not in TEMPLATES:
        return ABSENT
    if measure.cells:
        return _figure(report, _paths(measure.key, template))
    known = figures or {}
    top, bottom, less = (known.get(k) or measure_value(report, MEASURE[k]) if k else None for k in measure.rate)
    return _rate(top, bottom, less)


@functools.cache
def _paths(measure: str, template: str) -> tuple[str, ...]:
    """The cells a measure sums in a format: one tuple for every report (each report's figures keep it)."""
    return MEASURE[measure].cells(template)


def _figure(report: Report, paths: tuple[str, ...]) -> Value:
    """The sum of ``paths`` with its status, as every page shows it (render/status.py)."""
    figure = status_of(report).figure(paths)
    return Value(figure.value, figure.kind, "；".join(figure.notes))


def _rate(top: Value, bottom: Value, less: Value | None) -> Value:
    """numerator ÷ (denominator − subtracted), in %, one decimal; unknown or contradicted as its inputs are."""
    parts = [v for v in (top, bottom, less) if v is not None]
    if any(v.kind == "absent" for v in parts):
        return ABSENT
    contradicted = "；".join(dict.fromkeys(v.note for v in parts if v.kind == "contradicted"))
    if any(v.number is None for v in parts):
        # a contradicted input says more than an unknown one: the report's own figures disagree
        return Value(None, "contradicted", contradicted) if contradicted else Value(None, "unknown", "所需的数字有未知")
    denominator = bottom.number - (less.number if less else 0)
    if contradicted:  # never 分母为 0: a printed 0 its own outcomes contradict is no denominator
        return Value(round(100 * top.number / denominator, 1) if denominator > 0 else None, "contradicted",
                     contradicted)
    if denominator <= 0:
        return Value(None, "undefined", "分母为 0，无法计算比例")
    if not enough(denominator):  # below MIN_BASE: counts, never a percentage (render/policy.py)
        return Value(None, "few", f"{counts_text(top.number, denominator)}（{FEW}）")
    number = round(100 * top.number / denominator, 1)
    return Value(number, "corrected" if any(v.kind == "corrected" for v in parts) else "known")


def report_values(report: Report) -> dict[str, Value]:
    """Every measure of a report, in the order of MEASURES (rates after the figures they divide)."""
    values: dict[str, Value] = {}
    for measure in MEASURES:
        values[measure.key] = measure_value(report, measure, values)
    return values


# ---------------------------------------------------------------- the data files

_KINDS = {"unknown": "u", "contradicted": "c", "corrected": "r", "undefined": "n", "few": "f"}


def agency_file(agency: Agency) -> str:
    """One agency's reports: for each, its year, format, page, every measure's value (null: unknown or
    absent from its format) and the statuses that are not simply known, with their notes."""
    notes: list[str] = []
    reports = []
    for year, report in agency.by_year().items():
        entry = next(e for e in agency.entries if e.report is report)
        values = report_values(report)
        marks = {}
        for i, value in enumerate(values.values()):
            if value.kind in _KINDS:
                note = value.note
                if note and note not in notes:
                    notes.append(note)
                marks[str(i)] = [_KINDS[value.kind], notes.index(note) if note else -1]
        reports.append({"year": year, "template": report.template, "page": page_url(entry.page),
                        "values": [v.number for v in values.values()], "marks": marks})
    return dumps({"name": agency.name, "region": list(agency.region), "page": page_url(agency.page),
                  "reports": reports, "notes": notes}, compact=True)


def kind_of(agency: Agency) -> str:
    """人民政府 (with the 管理委员会 that governs a zone, and an agency named as its region is, such as
    平潭综合实验区) or 部门 (a department of one)."""
    name = agency.name
    governs = name.endswith(("人民政府", "管理委员会", "管委会")) or bool(agency.region and name.endswith(agency.region[-1]))
    return "人民政府" if governs else "部门"


def index_file(agencies: list[Agency], years: list[int]) -> str:
    """Every agency once, for the search: [name, region (its place in ``regions``), years reported,
    data file name when it is not the name]. Its level shows from its region's depth (search_fields.level_of);
    kept this lean, the list of 3,000 agencies stays near 200 KB."""
    regions: dict[tuple[str, ...], int] = {}
    rows = []
    for agency in agencies:
        place = regions.setdefault(agency.region, len(regions))
        row = [agency.name, place, sorted(agency.by_year())]
        if agency.slug != agency.name:
            row.append(agency.slug)
        rows.append(row)
    return dumps({"years": sorted(years), "regions": ["/".join(r) for r in regions], "agencies": rows}, compact=True)


def compare_context(years: list[int]) -> dict:
    groups: dict[str, list[Measure]] = {}
    for measure in MEASURES:
        groups.setdefault(measure.group, []).append(measure)
    return {"groups": list(groups.items()), "years": sorted(years), "default": DEFAULT, "measures": MEASURES,
            "glossary_url": url_relative(PAGE, glossary.PAGE), "search_fields": site_fields("对比")}
