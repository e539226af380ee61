"""Every reading of a row's (or interleaved rows') printed numbers as the values of its cells.

Numbers printed in order are read in order; a PDF text layer that interleaves rows is read every way
the layout allows (numbers on a label's own line stay in that row, in column order), and a reading is
kept only when what no real table can print (a negative count of items) does not happen in it.
"""
from __future__ import annotations

from builder.extract.numbers import Token, token_value
from builder.extract.templates import Table
from builder.models import Value

SEARCH_BUDGET = 200_000  # assignments tried per group before giving up (cells become unknown)
MAX_SOLUTIONS = 256


def solve(table: Table, cells, tokens: list[Token], rows_of):
    """Every reading of ``tokens`` as the values of ``cells`` (a list of value tuples), or ``None``.

    ``None`` means the text cannot be read as these cells at all (too few or too many numbers).
    """
    if len(tokens) != len(cells):
        return None
    in_order = read_in_order(cells, tokens)
    undisturbed = not any(t.lead for t in tokens) and (rows_of is None or len(set(rows_of)) == 1)
    if undisturbed and in_order is not None:
        return [in_order]  # as printed; whether its sums hold is for validation to say
    same = {(t.sign, t.digits, t.unit, t.blank) for t in tokens}
    if len(same) == 1:  # one value printed everywhere: its order cannot matter
        return [in_order] if in_order is not None else []
    if rows_of is None:
        return []
    return _permutations(table, cells, tokens, rows_of)


def read_in_order(cells, tokens):
    out = []
    for (row, col), tok in zip(cells, tokens):
        v = token_value(tok, col)
        if v is None and not (tok.blank or tok.huge):
            return None
        out.append(v)
    return tuple(out)


def _permutations(table: Table, cells, tokens: list[Token], rows_of: list[str]):
    solutions: set[tuple] = set()
    budget = [SEARCH_BUDGET]
    assigned: list[Value] = [None] * len(cells)
    used = [False] * len(cells)
    last_col: dict[str, int] = {}

    def walk(k: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0 or len(solutions) > MAX_SOLUTIONS:
            return False
        if k == len(tokens):
            sol = tuple(assigned)
            if fits(table, cells, sol, sums=False):
                solutions.add(sol)
            return True
        tok, home = tokens[k], rows_of[k]
        for i, (row, col) in enumerate(cells):
            if used[i]:
                continue
            bound = tok.on_label_line and not tok.lead
            col_index = row.columns.index(col)
            if bound and (row.key != home or col_index <= last_col.get(home, -1)):
                continue
            value = token_value(tok, col)
            if value is None and not (tok.blank or tok.huge):
                continue
            used[i], assigned[i] = True, value
            previous = last_col.get(home)
            if bound:
                last_col[home] = col_index
            ok = walk(k + 1)
            used[i], assigned[i] = False, None
            if bound:
                if previous is None:
                    last_col.pop(home, None)
                else:
                    last_col[home] = previous
            if not ok:
                return False
        return True

    if not walk(0):
        return []  # too many readings to be sure of any: every cell unknown
    return sorted(solutions, key=repr)


def fits(table: Table, cells, reading, sums: bool = True) -> bool:
    """The table's own constraints on one reading; unknown cells never violate anything.

    Row sums are used only to choose among splits of run-together digits (``sums``); the order of
    interleaved numbers is settled by what no real table can print (a negative count of items).
    """
    rows: dict[str, dict[str, Value]] = {}
    for (row, col), v in zip(cells, reading):
        rows.setdefault(row.key, {})[col.key] = v
    for key, cols in rows.items():
        if "previous_count" in cols and "change" in cols:
            p, c = cols["previous_count"], cols["change"]
            if isinstance(p, int) and isinstance(c, int) and p + c < 0:
                return False
        if sums and "total" in cols and len(cols) > 2:
            parts = [v for k, v in cols.items() if k != "total"]
            if cols["total"] is not None and all(isinstance(v, int) for v in parts) and len(parts) == len(cols) - 1:
                if sum(parts) != cols["total"]:
                    return False
    return True
