"""The prose's restatements of figures (statements.py), choosing among the readings of a table's digits.

A statement only ever chooses among the readings the digits allow (it never fills a cell the table
left blank or unreadable); one that fits no reading is reported (``text.fits_no_reading``) and not
used, and statements that disagree with each other settle nothing.
"""
from __future__ import annotations

from builder.extract.templates import Column, Row, Table
from builder.models import Finding, Statement, Value


def agreeing(statements: tuple[Statement, ...], table_key: str) -> list[Statement]:
    """The statements about cells of one table that no other statement of the same cells contradicts."""
    mine = [s for s in statements if all(c.split(".", 1)[0] == table_key for c in s.cells)]
    values: dict[tuple[str, ...], set[int]] = {}
    for s in mine:
        values.setdefault(s.cells, set()).add(s.value)
    return [s for s in mine if len(values[s.cells]) == 1]


def _is_number(v: Value) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class Settling:
    """The prose's statements about one table, choosing among the readings of its digits."""

    def __init__(self, table: Table, statements: list[Statement]):
        self.table = table
        self.statements = statements
        self.by_path: dict[str, list[Statement]] = {}  # cell → the statements that narrowed its readings
        self.unfit: list[Statement] = []
        self.settling: list[Statement] = []  # the statements that settled a cell
        self._reported = 0

    def paths(self, cells) -> list[str]:
        return [f"{self.table.key}.{row.key}.{col.key}" for row, col in cells]

    def narrow(self, readings: list[tuple], paths: list[str], known: dict[str, Value]) -> list[tuple]:
        """The readings (values of ``paths``) that every statement about them allows. A statement that
        allows none is set aside as unfit; when the fitting ones together allow none, none is used."""
        index = {p: i for i, p in enumerate(paths)}
        about = [st for st in self.statements if any(c in index for c in st.cells)
                 and all(c in index or _is_number(known.get(c)) for c in st.cells)]
        fitting = []
        for st in about:
            if any(self._holds(st, r, index, known) is not False for r in readings):
                fitting.append(st)
            elif st not in self.unfit:
                self.unfit.append(st)
        kept = [r for r in readings if all(self._holds(st, r, index, known) is not False for st in fitting)]
        if not kept or len(kept) == len(readings):
            return readings
        used = [st for st in fitting if any(self._holds(st, r, index, known) is False for r in readings)]
        for path in paths:
            self.by_path.setdefault(path, []).extend(st for st in used if st not in self.by_path.get(path, []))
        return kept

    @staticmethod
    def _holds(st: Statement, reading: tuple, index: dict[str, int], known: dict[str, Value]) -> bool | None:
        """Whether the reading's cells sum to the statement's value (None: a cell of it is blank)."""
        values = [reading[index[c]] if c in index else known.get(c) for c in st.cells]
        if not all(_is_number(v) for v in values):
            return None
        return sum(values) == st.value

    def settled(self, row: Row, col: Column, earlier: set, value: Value) -> Finding:
        path = f"{self.table.key}.{row.key}.{col.key}"
        used = self.by_path.get(path, [])
        self.settling += [st for st in used if st not in self.settling]
        quotes = "”“".join(st.quote for st in used)
        shown = "、".join(sorted(str(o) for o in earlier if o is not None))
        return Finding("cell.settled_by_text", path,
                       f"「{row.label}」的「{col.label}」一格，表中的数字可能是 {shown} 中的任一个；正文写明“{quotes}”，"
                       f"据此定为 {value}（按报告正文所述确定，请对照原文核实）。")

    def unfit_findings(self) -> list[Finding]:
        """The statements no reading of the digits fits, each reported once."""
        new, self._reported = self.unfit[self._reported:], len(self.unfit)
        return [Finding("text.fits_no_reading", _where(st.cells),
                        f"正文写明“{st.quote}”，但表中这些数字的任何一种读法都不是 {st.value}：正文与表格不一致，"
                        f"该数未被采用。") for st in new]


def _where(cells: tuple[str, ...]) -> str:
    """The dotted path the cells share: the cell itself, their row, or their table."""
    parts = [c.split(".") for c in cells]
    common = []
    for level in zip(*parts):
        if len(set(level)) > 1:
            break
        common.append(level[0])
    return ".".join(common)
