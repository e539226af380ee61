"""How one instance of a rule is judged (TEMPLATES.md): ``left == right``, each a sum of cells.

``pass`` when every cell is known and the sums are equal; ``fail`` when no non-negative values of
the unknown cells could make them equal; otherwise ``unverified``. A rule takes the worst status of
its instances (fail > unverified > pass).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from builder.models import CheckResult, Status, Value

_ORDER = {"pass": 0, "unverified": 1, "fail": 2}


@dataclass(frozen=True)
class Instance:
    name: str  # e.g. the column "natural_person", or the group "review"
    status: Status
    detail: str  # e.g. "3 + 0 ≠ 0 + ?"


@dataclass(frozen=True)
class Equation:
    """One instance of a rule over cells: the sum of ``left`` equals the sum of ``right`` (dotted paths)."""

    name: str  # e.g. the column's label 自然人, or the row's 行政复议
    left: tuple[str, ...]
    right: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return self.left + self.right


def value_at(tables, path: str) -> Value:
    table, row, column = path.split(".")
    return tables[table][row][column]


def judge(equation: Equation, tables) -> Instance:
    return judge_equation(equation.name, [value_at(tables, p) for p in equation.left],
                          [value_at(tables, p) for p in equation.right])


def _number(v: Value) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def judge_equation(name: str, left: Iterable[Value], right: Iterable[Value]) -> Instance:
    (left_sum, left_unknown), (right_sum, right_unknown) = _side(left), _side(right)
    diff = left_sum - right_sum
    shown = f"{_shown(left_sum, left_unknown)} 对 {_shown(right_sum, right_unknown)}"
    if not left_unknown and not right_unknown:
        return Instance(name, "pass" if abs(diff) < 1e-9 else "fail", shown)
    # unknowns are ≥ 0: they can only raise the side they are on
    if left_unknown and right_unknown:
        return Instance(name, "unverified", shown)
    if left_unknown:
        return Instance(name, "unverified" if diff <= 0 else "fail", shown)
    return Instance(name, "unverified" if diff >= 0 else "fail", shown)


def _side(xs: Iterable[Value]) -> tuple[float, int]:
    """A side of an equation: the sum of its known cells, and how many are unknown."""
    numbers = [_number(x) for x in xs]
    return sum(n for n in numbers if n is not None), numbers.count(None)


def _shown(total: float, missing: int) -> str:
    """A side in brief: its known sum, and how many cells are unknown."""
    return _fmt(total) + (f"（另有 {missing} 格未知）" if missing else "")


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def combine(rule: str, title: str, instances: list[Instance]) -> CheckResult:
    if not instances:
        return CheckResult(rule, "unverified", f"{title}：表格缺失，无法核对。")
    status = max((i.status for i in instances), key=_ORDER.__getitem__)
    failures = tuple(i.name for i in instances if i.status == "fail")
    unverified = tuple(i.name for i in instances if i.status == "unverified")
    if status == "pass":
        message = f"{title}：全部成立。"
    elif status == "fail":
        message = f"{title}：不成立（" + "；".join(f"{i.name}: {i.detail}" for i in instances
                                               if i.status == "fail") + "）。"
    else:
        message = f"{title}：有未知的格，无法核对（" + "、".join(unverified) + "）。"
    return CheckResult(rule, status, message, failures, unverified)
