"""Validate: the consistency rules (勾稽关系) of one report. Each rule returns a finding; none raises."""
from __future__ import annotations

import dataclasses

from builder.models import Report
from builder.validate.rules import applications, review_litigation

RULES = (
    applications.balance,
    applications.total_processed_is_sum_of_outcomes,
    applications.total_column_is_sum,
    review_litigation.group_total,
)


def check(report: Report) -> Report:
    """The report with one CheckResult per rule (none when its template is unknown)."""
    if report.template is None:
        return report
    return dataclasses.replace(report, checks=tuple(rule(report) for rule in RULES))
