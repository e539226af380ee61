"""How one instance of a rule is judged (TEMPLATES.md): ``left == right``, each a sum of cells.

``pass`` when every cell is known and the sums are equal; ``fail`` when no non-negative values of
the unknown cells could make them equal; otherwise ``unverified``. A rule takes the worst status of
its instances (fail > unverified > pass).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from builder.models import CheckResult, Contradiction, Status, Value

_ORDER = {"pass": 0, "unverified": 1, "fail": 2}


@dataclass(frozen=True)
class Instance:
    name: str  # e.g. the column "natural_person", or the group "review"
    status: Status
    detail: str  # e.g. "3 + 0 ≠ 0 + ?"
    left: tuple[str, ...] = ()  # the cells of each side, as dotted paths (when the rule names them)
    right: tuple[str, ...] = ()
    sides: tuple[str, str] = ("", "")  # each side's known sum in brief, e.g. ("0", "11（另有 1 格未知）")


def _number(v: Value) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def judge_equation(name: str, left: Iterable[Value], right: Iterable[Value],
                   cells: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())) -> Instance:
    (left_sum, left_unknown), (right_sum, right_unknown) = _side(left), _side(right)
    diff = left_sum - right_sum
    sides = (_shown(left_sum, left_unknown), _shown(right_sum, right_unknown))
    shown = f"{sides[0]} 对 {sides[1]}"
    if not left_unknown and not right_unknown:
        status = "pass" if abs(diff) < 1e-9 else "fail"
    # unknowns are ≥ 0: they can only raise the side they are on
    elif left_unknown and right_unknown:
        status = "unverified"
    elif left_unknown:
        status = "unverified" if diff <= 0 else "fail"
    else:
        status = "unverified" if diff >= 0 else "fail"
    return Instance(name, status, shown, *cells, sides)


def _side(xs: Iterable[Value]) -> tuple[float, int]:
    """A side of an equation: the sum of its known cells, and how many are unknown."""
    numbers = [_number(x) for x in xs]
    return sum(n for n in numbers if n is not None), numbers.count(None)


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
