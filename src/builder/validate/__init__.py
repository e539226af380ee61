"""Validate: the consistency rules (勾稽关系) of one report, and its prose against its tables. Each rule
returns a finding (or nothing, where it does not apply); none raises. What the prose restates otherwise
(正文另述) is not a rule: it is kept apart, in ``Report.differences``."""
from __future__ import annotations

import dataclasses

from builder.models import Report
from builder.validate.rules import applications, review_litigation, text

RULES = (
    applications.balance,
    applications.total_processed_is_sum_of_outcomes,
    applications.total_column_is_sum,
    review_litigation.group_total,
)


def check(report: Report) -> Report:
    """The report with one CheckResult per rule (none when its template is unknown) and its 正文另述."""
    if report.template is None:
        return report
    return dataclasses.replace(report, checks=tuple(c for rule in RULES if (c := rule(report)) is not None),
                               differences=text.prose_differences(report))
