"""How one instance of a rule is judged (TEMPLATES.md): ``left == right``, each a sum of cells.

The rules are stated once, as equations over cells, in ``templates.equations``, and their
arithmetic is ``templates.verdict``: ``pass`` when every cell is known and the sums are equal;
``fail`` when no non-negative values of the unknown cells could make them equal; otherwise
``unverified``. Here each instance gets its wording, and a rule takes the worst status of its
instances (fail > unverified > pass).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterable

from builder.extract.templates import RULES, TEMPLATES, Equation, equations, side_sum, verdict_of_sums
from builder.models import CheckResult, Contradiction, Report, Status, Value

_ORDER = {"pass": 0, "unverified": 1, "fail": 2}


@dataclass(frozen=True)
class Instance:
    name: str  # e.g. the column "natural_person", or the group "review"
    status: Status
    detail: str  # e.g. "3 + 0 ≠ 0 + ?"
    left: tuple[str, ...] = ()  # the cells of each side, as dotted paths (when the rule names them)
    right: tuple[str, ...] = ()
    sides: tuple[str, str] = ("", "")  # each side's known sum in brief, e.g. ("0", "11（另有 1 格未知）")


def judge(equation: Equation, tables) -> Instance:
    """One equation of the template (``templates.equations``) on a report's tables."""
    def values(side):
        return [_at(tables, path) for path in side]

    return judge_equation(equation.instance, values(equation.left), values(equation.right),
                          (equation.left, equation.right))


def judge_rule(report: Report, rule: str, phrase: str) -> CheckResult:
    """Every instance of ``rule`` (its equations in templates.py) on the report; unverified when the
    rule's table is missing. ``phrase`` words a failing instance (see ``combine``)."""
    table, title = rule.split(".")[0], RULES[rule]
    if not report.tables.get(table):
        return combine(rule, title, [], phrase)
    return combine(rule, title, [judge(e, report.tables) for e in equations(TEMPLATES[report.template])
                                 if e.rule == rule], phrase)


def _at(tables, path: str) -> Value:
    table, row, column = _parts(path)
    return tables[table][row][column]


@functools.cache
def _parts(path: str) -> tuple[str, str, str]:
    """A cell's dotted path as (table, row, column): the same few hundred paths, for every report."""
    table, row, column = path.split(".")
    return table, row, column


def judge_equation(name: str, left: Iterable[Value], right: Iterable[Value],
                   cells: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())) -> Instance:
    left, right = list(left), list(right)
    (left_sum, left_unknown), (right_sum, right_unknown) = side_sum(left), side_sum(right)
    sides = (_shown(left_sum, left_unknown), _shown(right_sum, right_unknown))
    return Instance(name, verdict_of_sums(left_sum, left_unknown, right_sum, right_unknown),
                    f"{sides[0]} 对 {sides[1]}", *cells, sides)


def _shown(total: float, missing: int) -> str:
    """A side in brief: its known sum, and how many cells are unknown."""
    return _fmt(total) + (f"（另有 {missing} 格未知）" if missing else "")


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def combine(rule: str, title: str, instances: list[Instance], phrase: str = "{name}：{left} 对 {right}") -> CheckResult:
    """The rule's result over its instances; ``phrase`` words a failing instance for its contradiction's
    note, e.g. "{name}：报告所印总计为 {left}，各项结果之和为 {right}"."""
    if not instances:
        return CheckResult(rule, "unverified", f"{title}：表格缺失，无法核对。")
    status = max((i.status for i in instances), key=_ORDER.__getitem__)
    failures = tuple(i.name for i in instances if i.status == "fail")
    unverified = tuple(i.name for i in instances if i.status == "unverified")
    contradictions = tuple(
        Contradiction(rule, i.name, i.left, i.right, phrase.format(name=i.name, left=i.sides[0], right=i.sides[1]))
        for i in instances if i.status == "fail")
    if status == "pass":
        message = f"{title}：全部成立。"
    elif status == "fail":
        message = f"{title}：不成立（" + "；".join(f"{i.name}: {i.detail}" for i in instances
                                               if i.status == "fail") + "）。"
    else:
        message = f"{title}：有未知的格，无法核对（" + "、".join(unverified) + "）。"
    return CheckResult(rule, status, message, failures, unverified, contradictions)
