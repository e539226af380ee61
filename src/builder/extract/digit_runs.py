"""Runs of digits printed without separators (a web page's cells run together: ``0000000``,
``801000081``) split into as many numbers as the row has cells; a split is kept when it fits the row's
own sums.
"""
from __future__ import annotations

from builder.extract.numbers import Token, splits
from builder.extract.readings import MAX_SOLUTIONS, SEARCH_BUDGET, fits, read_in_order
from builder.extract.templates import Table


def split_runs(table: Table, cells, tokens: list[Token]):
    """Split runs of digits printed without separators into exactly ``len(cells)`` numbers.

    Only splits that give as many numbers as cells are tried; when there are more of them than the
    search budget, no reading is trusted (every cell unknown)."""
    if not tokens:
        return None
    n = len(cells)
    options = []
    for i, t in enumerate(tokens):
        by_count: dict[int, list[tuple[Token, ...]]] = {}
        for piece in splits(t, max_parts=n - (len(tokens) - 1)):
            by_count.setdefault(len(piece), []).append(piece)
        options.append(by_count)
    solutions: set[tuple] = set()
    counted = [False]
    budget = [SEARCH_BUDGET]

    def walk(i: int, room: int, parts: list[Token]) -> bool:
        if i == len(tokens):
            if room:
                return True
            counted[0] = True
            budget[0] -= 1
            if budget[0] < 0:
                return False
            reading = read_in_order(cells, parts)
            if reading is not None and fits(table, cells, reading):
                solutions.add(reading)
            return len(solutions) <= MAX_SOLUTIONS
        rest = len(tokens) - i - 1  # each later token gives one number at least
        for count, pieces in options[i].items():
            if count > room - rest:
                continue
            for piece in pieces:
                if not walk(i + 1, room - count, parts + list(piece)):
                    return False
        return True

    if not walk(0, n, []):
        return []  # too many readings to be sure of any: every cell unknown
    if not counted[0]:
        return None
    return sorted(solutions, key=repr)
