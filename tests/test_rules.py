"""Each consistency rule on small hand-made tables: pass, fail, and unverified (unknown cells)."""
from __future__ import annotations

from pathlib import Path

import pytest

from builder.extract.templates import RULES, TEMPLATES, equations
from builder.models import Report, SourceFile
from builder.validate import check
from builder.validate.judge import judge_equation


def _tables(template: str, fill=0) -> dict:
    return {t.key: {r.key: {c.key: fill for c in r.columns} for r in t.rows} for t in TEMPLATES[template].tables}


def _report(tables: dict, template: str = "2019") -> Report:
    src = SourceFile(Path("hand-made.txt"), "0" * 64, "text")
    return check(Report(src, "", "某机关", 2020, template, {}, tables))


def _status(report: Report, rule: str) -> str:
    return next(c.status for c in report.checks if c.rule == rule)


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_all_zero_tables_pass_every_rule(template):
    report = _report(_tables(template), template)
    assert {c.status for c in report.checks} == {"pass"}
    assert [c.rule for c in report.checks] == ["applications.balance",
                                               "applications.total_processed_is_sum_of_outcomes",
                                               "applications.total_column_is_sum", "review_litigation.group_total"]


def _consistent_applications(t: dict, n: int = 3) -> None:
    apps = t["applications"]
    for row in ("new_received", "granted", "total_processed"):
        apps[row]["natural_person"] = n
        apps[row]["total"] = n


def test_balance_fails_when_received_and_processed_differ():
    t = _tables("2019")
    _consistent_applications(t)
    t["applications"]["carried_forward"]["natural_person"] = 1
    t["applications"]["carried_forward"]["total"] = 1
    report = _report(t)
    assert _status(report, "applications.balance") == "fail"
    assert _status(report, "applications.total_processed_is_sum_of_outcomes") == "pass"


def test_outcomes_rule_fails_when_total_is_not_the_sum():
    t = _tables("2019")
    _consistent_applications(t)
    t["applications"]["total_processed"]["natural_person"] = 0
    t["applications"]["total_processed"]["total"] = 0
    assert _status(_report(t), "applications.total_processed_is_sum_of_outcomes") == "fail"


def test_2021_outcomes_include_the_three_other_rows():
    t = _tables("2021")
    _consistent_applications(t)
    t["applications"]["other_fee_unpaid"]["natural_person"] = 1
    t["applications"]["other_fee_unpaid"]["total"] = 1
    assert _status(_report(t, "2021"), "applications.total_processed_is_sum_of_outcomes") == "fail"


def test_total_column_rule():
    t = _tables("2019")
    t["applications"]["granted"]["commercial_enterprise"] = 2
    assert _status(_report(t), "applications.total_column_is_sum") == "fail"


def test_group_total_rule():
    t = _tables("2021")
    t["review_litigation"]["review"]["upheld"] = 10
    t["review_litigation"]["review"]["corrected"] = 1
    assert _status(_report(t, "2021"), "review_litigation.group_total") == "fail"


def test_unknown_cells_make_a_rule_unverified_not_failed():
    t = _tables("2019")
    _consistent_applications(t)
    for col in t["applications"]["carried_forward"]:
        t["applications"]["carried_forward"][col] = None
    assert _status(_report(t), "applications.balance") == "unverified"


def test_unknown_cells_cannot_rescue_an_impossible_sum():
    # 总计 printed as 0 while a known outcome is 3: no value ≥ 0 of the unknown cells can fix it
    assert judge_equation("x", [0], [3, None]).status == "fail"
    assert judge_equation("x", [5], [3, None]).status == "unverified"
    assert judge_equation("x", [None], [3, 2]).status == "unverified"
    assert judge_equation("x", [None, 1], [None]).status == "unverified"
    assert judge_equation("x", [2], [2]).status == "pass"


def test_a_rule_takes_the_worst_status_of_its_instances():
    t = _tables("2019")
    t["review_litigation"]["review"]["total"] = None  # unverified
    t["review_litigation"]["litigation_direct"]["upheld"] = 4  # fail
    assert _status(_report(t), "review_litigation.group_total") == "fail"


def test_no_checks_without_a_template():
    src = SourceFile(Path("x.txt"), "0" * 64, "text")
    assert check(Report(src, "", None, None, None, {}, {})).checks == ()


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_the_rules_are_stated_once_as_the_templates_equations(template):
    # validation judges exactly templates.equations(), the equations the extractor cross-checks OCR'd
    # numbers with (extract/scanned.py): a rule changed there changes both
    stated = equations(TEMPLATES[template])
    tables = _tables(template)
    tables["applications"]["granted"]["total"] = 7  # breaks one instance of two rules
    report = _report(tables, template)
    for check_result in report.checks:
        mine = [e for e in stated if e.rule == check_result.rule]
        assert mine and RULES[check_result.rule] in check_result.message
        broken = {e.instance for e in mine if "applications.granted.total" in e.cells}
        assert set(check_result.failures) == broken
