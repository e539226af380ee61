"""Numbers read from a scan are cross-checked before they are published, never trusted blindly.

This is the one place that decides which recognised (OCR) numbers are kept, whichever reader placed
them: the grid reader (a scanned table with ruling lines, or one whose columns come from where its
numbers stand, extract/grids.py) or the text reader (recognised lines that make no grid,
extract/placement.py). A recognised number is kept only when

- its recognition confidence is at least ``MIN_VOUCHED``, whatever the rules say;
- no rule (勾稽关系, ``templates.equations``) it takes part in fails with the numbers as read, whatever
  its confidence; and
- if it is doubtful (its confidence is below ``MIN_CONFIDENCE``, the recogniser was unsure, or digit
  look-alikes were taken for digits: 1O → 10), a rule holds with it as the only doubtful cell in it,
  so the table's own sums vouch for it: a doubtful number in no rule (table 二) stays unknown; and
- a second look at it (formats/second_look.py) did not read another number: two reads that disagree
  leave it unknown, with both as candidates, whatever the rules say.

A number withheld is unknown under ``cell.ocr_uncertain``, naming the cell, what was read, the number
it may be (its candidate) and why;
a look-alike reading kept carries ``cell.ocr_lookalike``. Withholding a number can leave another
without the rule that vouched for it, so the checks run until nothing more is withheld.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from builder.extract.templates import RULES, Equation, Template, equations, side_sum, verdict
from builder.models import Finding, Value

MIN_CONFIDENCE = 0.95  # below this a recognised number is doubtful: kept only where a rule vouches for it
MIN_VOUCHED = 0.5  # below this not even a rule vouches for it

SOURCE = Finding("source.scanned", "source",
                 "本报告（或其中几页）是扫描图像，文字由文字识别（OCR）读出，可能有个别错字；表格中识别出的数字只在"
                 "识别置信度高、所在行列的勾稽关系没有不成立、且没有把握的数有勾稽关系印证时采用，其余记为未知。", "info")


@dataclass(frozen=True)
class Recognised:
    """How a table cell's number was read from a page image."""

    text: str  # what was recognised, e.g. "1O"
    confidence: float  # the recogniser's score (the least, where the number was read more than once)
    uncertain: bool = False  # the recogniser was unsure (the reader marks it)
    lookalikes: tuple[str, ...] = ()  # look-alikes taken for digits, e.g. ("O→0",)
    others: tuple[str, ...] = ()  # another read of the cell that gives another number (a second look)

    @property
    def unsure(self) -> bool:
        return self.uncertain or bool(self.lookalikes)


def cross_check(template: Template, tables: dict[str, dict[str, dict[str, Value]]],
                recognised: dict[str, Recognised]) -> tuple[dict, list[Finding]]:
    """``tables`` with every recognised number (``recognised``: by dotted cell path) kept or withheld,
    as the module says, and the findings that say so."""
    out = copy.deepcopy(tables)
    read = {p: r for p, r in recognised.items() if _at(out, p) is not None}
    withheld: dict[str, str] = {p: f"识别置信度 {r.confidence:.2f}，低于 {MIN_VOUCHED}"
                                for p, r in read.items() if r.confidence < MIN_VOUCHED}
    for p, r in read.items():  # two reads of one cell that disagree: neither is taken
        if r.others:
            withheld.setdefault(p, f"再次识别读作「{'」「'.join(r.others)}」，两次识别不一致")

    def doubtful(path: str) -> bool:
        return path in read and (read[path].unsure or read[path].confidence < MIN_CONFIDENCE)

    rules = [e for e in equations(template) if any(p in read for p in e.cells)]

    def as_read(path: str) -> Value:
        return _at(out, path)

    def kept(path: str) -> Value:
        return None if path in withheld else _at(out, path)

    for e in rules:  # a rule that fails as read: any of its recognised numbers may be the misread one
        if _verdict(e, as_read) == "fail":
            why = f"所在的勾稽关系不成立（{RULES[e.rule]}，{e.instance}：{_shown(e.left, as_read)} 对 {_shown(e.right, as_read)}）"
            for path in e.cells:
                if path in read:
                    withheld.setdefault(path, why)
    while True:  # a doubtful number needs a rule that holds with it as its only doubtful cell
        holding = [e for e in rules if _verdict(e, kept) == "pass"]
        more = {}
        for path, r in sorted(read.items()):
            if path in withheld or not doubtful(path):
                continue
            if not any(path in e.cells and not any(doubtful(q) for q in e.cells if q != path) for e in holding):
                why = f"其中 {'、'.join(r.lookalikes)} 是形近的字母或汉字" if r.lookalikes else \
                    f"识别置信度 {r.confidence:.2f}，低于 {MIN_CONFIDENCE}" if r.confidence < MIN_CONFIDENCE else \
                    f"识别置信度 {r.confidence:.2f}，没有把握"
                more[path] = f"{why}，且没有勾稽关系能单独印证它"
        if not more:
            break
        withheld.update(more)
    findings = []
    for path, r in sorted(read.items()):
        if path in withheld:
            table, row, column = path.split(".")
            candidate = out[table][row][column]  # a doubtful digit stays unknown with the number it may be
            out[table][row][column] = None
            candidates = [str(candidate), *(o for o in r.others if o != str(candidate))]
            maybe = f"（可能是 {' 或 '.join(candidates)}）" if r.others or str(candidate) != r.text.strip() else ""
            findings.append(Finding("cell.ocr_uncertain", path, f"扫描件中这一格识别为「{r.text}」{maybe}，{withheld[path]}："
                                                                f"记为未知，请核对原件。"))
        elif r.lookalikes:
            findings.append(Finding("cell.ocr_lookalike", path,
                                    f"扫描件中这一格识别为「{r.text}」，其中 {'、'.join(r.lookalikes)} 按形近的数字读取，"
                                    f"读作 {_at(out, path)}（勾稽关系印证）。", "info"))
    return out, findings


def _verdict(e: Equation, value) -> str:
    return verdict([value(p) for p in e.left], [value(p) for p in e.right])


def _at(tables, path: str) -> Value:
    table, row, column = path.split(".")
    return tables.get(table, {}).get(row, {}).get(column)


def _shown(side: tuple[str, ...], value) -> str:
    total, unknown = side_sum([value(p) for p in side])
    text = str(int(total)) if float(total).is_integer() else str(total)
    return text + (f"（另有 {unknown} 格未知）" if unknown else "")
