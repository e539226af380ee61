"""The 对比 page's data: one small file per agency, each measure compared only where both formats
mean the same, unknown cells marked, rates worked out per report."""
from __future__ import annotations

import json

from factories import make_report_2019, make_report_2021

from builder.render import compare
from builder.render.site import render_site


def agency_data(pages: dict[str, str], name: str) -> dict:
    return json.loads(pages[f"compare/a/{name}.json"])


def value(data: dict, key: str, year: int):
    report = next(r for r in data["reports"] if r["year"] == year)
    i = [m.key for m in compare.MEASURES].index(key)
    return report["values"][i], report["marks"].get(str(i))


def test_the_page_and_one_data_file_per_agency():
    pages = render_site([make_report_2019(), make_report_2021()], [])
    assert "compare/index.md" in pages
    index = json.loads(pages["compare/agencies.json"])
    assert index["years"] == [2020, 2023]
    rows = {row[0]: row for row in index["agencies"]}
    assert sorted(rows) == sorted(["平潭综合实验区", "淮安市洪泽区人民政府"])
    assert index["regions"][rows["淮安市洪泽区人民政府"][1]] == "江苏省/淮安市/洪泽区"
    assert rows["淮安市洪泽区人民政府"][2:] == [[2023]]
    hongze = agency_data(pages, "淮安市洪泽区人民政府")
    assert hongze["page"] == "agencies/淮安市洪泽区人民政府/"
    assert [r["page"] for r in hongze["reports"]] == ["reports/2023-淮安市洪泽区人民政府/"]
    # every measure of the page's list has its place in each report's values
    page = pages["compare/index.md"]
    for i, measure in enumerate(compare.MEASURES):
        assert f'value="{measure.key}" data-i="{i}"' in page


def test_values_are_the_cells_of_each_format_and_unknown_is_marked():
    old, new = make_report_2019(), make_report_2021()
    pages = render_site([old, new], [])
    hongze, pingtan = agency_data(pages, "淮安市洪泽区人民政府"), agency_data(pages, "平潭综合实验区")
    apps = new.tables["applications"]
    assert value(hongze, "received", 2023) == (apps["new_received"]["total"], None)
    assert value(hongze, "carried_forward", 2023) == (None, ["u", -1])  # unknown, never 0
    # 其他处理 as its total: three rows in 2021, one in 2019
    assert value(hongze, "other", 2023)[0] == sum(apps[k]["total"] for k in ("other_no_correction", "other_fee_unpaid",
                                                                             "other"))
    assert value(pingtan, "other", 2020)[0] == old.tables["applications"]["other"]["total"]
    # a measure the format does not have: null, and the page says 无此项 from the format
    assert value(pingtan, "regulations_issued", 2020) == (None, None)
    assert compare.MEASURE["regulations_issued"].templates == ("2021",)
    assert value(hongze, "regulations_made", 2023) == (None, None)
    assert value(pingtan, "regulations_made", 2020)[0] == old.tables["active_disclosure"]["regulations"]["made"]


def test_rates_are_worked_out_per_report():
    report = make_report_2021()
    values = compare.report_values(report)
    denied = sum(v["total"] for k, v in report.tables["applications"].items()
                 if k in {r.key for r in compare.TEMPLATES["2021"].table("applications").rows
                          if r.subgroup == "（三）不予公开"})
    assert values["denial_rate"].number == round(100 * denied / report.tables["applications"]["total_processed"]["total"], 1)
    review = report.tables["review_litigation"]["review"]
    decided = review["total"] - review["pending"]  # below MIN_BASE: counts, no percentage (render/policy.py)
    assert decided < 10 and values["review_correction_rate"].number is None
    assert values["review_correction_rate"].kind == "few"
    assert values["review_correction_rate"].note == f"{decided} 件中 {review['corrected']} 件（样本太少）"
    many = make_report_2021()
    many.tables["review_litigation"]["review"]["pending"] = 0
    assert compare.report_values(many)["review_correction_rate"].number == round(100 * review["corrected"] / review["total"], 1)
    zero = make_report_2021()
    zero.tables["applications"]["total_processed"]["total"] = 0
    assert compare.report_values(zero)["denial_rate"].kind == "undefined"  # 0 ÷ 0 is no rate


def contradicted(report, path: str, note: str):
    """``report`` with one failing check whose contradiction names ``path``."""
    from dataclasses import replace

    from builder.models import CheckResult, Contradiction
    failing = CheckResult("text.matches_table", "fail", note,
                          contradictions=(Contradiction("text.matches_table", "本年新收申请", (), (path,), note),))
    return replace(report, checks=report.checks + (failing,))


def test_a_contradicted_figure_is_shown_with_its_mark_and_note():
    note = "本年新收申请（正文：“共收到申请1件”）：正文为 1，表中为 1001"
    report = contradicted(make_report_2021(), "applications.new_received.total", note)
    data = agency_data(render_site([report], []), "淮安市洪泽区人民政府")
    number, mark = value(data, "received", 2023)
    assert number == report.tables["applications"]["new_received"]["total"]  # shown as printed…
    assert mark[0] == "c" and data["notes"][mark[1]] == note  # …with its mark and why
    assert value(data, "granted", 2023)[1] is None  # the report's other figures stay known
