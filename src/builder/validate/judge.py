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


def _number(v: Value) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def judge_equation(name: str, left: Iterable[Value], right: Iterable[Value]) -> Instance:
    left, right = list(left), list(right)
    known = lambda xs: sum(n for x in xs if (n := _number(x)) is not None)  # noqa: E731
    unknown = lambda xs: sum(1 for x in xs if _number(x) is None)  # noqa: E731
    diff = known(left) - known(right)
    shown = f"{_side(left)} 对 {_side(right)}"
    if not unknown(left) and not unknown(right):
        return Instance(name, "pass" if abs(diff) < 1e-9 else "fail", shown)
    # unknowns are ≥ 0: they can only raise the side they are on
    if unknown(left) and unknown(right):
        return Instance(name, "unverified", shown)
    if unknown(left):
        return Instance(name, "unverified" if diff <= 0 else "fail", shown)
    return Instance(name, "unverified" if diff >= 0 else "fail", shown)


def _side(xs: list[Value]) -> str:
    """A side of an equation in brief: its known sum, and how many cells are unknown."""
    total = sum(n for x in xs if (n := _number(x)) is not None)
    missing = sum(1 for x in xs if _number(x) is None)
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
