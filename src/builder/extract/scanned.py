"""Numbers read from a scan are cross-checked before they are published, never trusted blindly.

A table cell printed on a scanned page (recognised by OCR, formats/scan.py) is kept only when

- its recognition confidence is high (``CONFIDENT``), and
- no consistency rule (勾稽关系) over its row or column fails with the numbers as read, and
- a rule over its row or column holds — or, where no rule can check it (table 二, or every rule
  over it has another unknown cell), it was read very surely (``SURE``) with no digit look-alike.

Every other such cell is unknown, with a warning ``cell.ocr_uncertain`` naming the cell and saying
what was read and why it was not kept. A cell read through a digit look-alike (1O → 10) and
confirmed by a rule carries the info finding ``cell.ocr_lookalike``.

Template cells are tied to the recognised grid here, by the rows' labels (templates.py anchors) and
the cells after the label in order. This is an adapter until the shared grid reader hands on, for
each table cell, the grid cell it came from (then only ``cross_check`` remains).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from builder.extract.chinese import fold, fuzzy_pattern
from builder.extract.ocr_numbers import read_number
from builder.extract.templates import Column, Row, Table, Template
from builder.models import Block, CellRead, Finding, Value
from builder.validate import EQUATIONS
from builder.validate.judge import judge

CONFIDENT = 0.95  # the least recognition confidence for a number that a rule confirms
SURE = 0.98  # the least for a number no rule can check
_BLANK_MARKS = {"/", "-", "--", "—", "\\", "×", "无"}


@dataclass(frozen=True)
class ScannedCell:
    read: CellRead  # as recognised
    value: Value  # the read as this column's value; None when it is not one (blank, a word)
    confusions: tuple[str, ...] = ()  # digit look-alikes taken for digits, e.g. ("O→0",)


@dataclass(frozen=True)
class _OcrRow:
    label: str  # folded text of the row's leading, non-number cells
    cells: tuple[CellRead, ...]  # the cells after the label, in order


def is_scanned(blocks: tuple[Block, ...]) -> bool:
    return any(b.reads for b in blocks)


def _ocr_rows(blocks: tuple[Block, ...]) -> list[_OcrRow]:
    """Every row of recognised text in reading order: a table's grid rows, and lines of boxes."""
    rows = []
    for block in blocks:
        for reads in block.reads:
            cells = [r for r in reads if r is not None]
            first_value = next((i for i, r in enumerate(cells) if _value_like(r)), None)
            if first_value is None:  # a row of blank cells: they follow its last text
                first_value = 1 + max((i for i, r in enumerate(cells) if r.text.strip()), default=-1)
            label = "".join(r.text for r in cells[:first_value])
            rows.append(_OcrRow(fold(label), tuple(cells[first_value:])))
    return rows


def _value_like(read: CellRead) -> bool:
    return read_number(read.text) is not None or read.text.strip() in _BLANK_MARKS


def _cell(read: CellRead, column: Column) -> ScannedCell:
    number = read_number(read.text)
    if column.kind == "text":
        return ScannedCell(read, read.text.strip() or None)
    if number is None:
        return ScannedCell(read, None)
    text = number.text
    value: Value
    if column.kind == "decimal":
        value = None if text.startswith("-") else (float(text) if "." in text else int(text))
    elif "." in text or (text.startswith("-") and column.kind != "signed"):
        value = None
    else:
        value = int(text)
    whole = text.lstrip("+-").split(".")[0]
    if len(whole) > 1 and whole.startswith("0"):
        value = None  # "00": two cells' digits in one box, or a misread
    return ScannedCell(read, value, number.confusions)


def _matches(row: Row, label: str) -> bool:
    return any(fuzzy_pattern(a).search(label) for a in row.anchors)


def _fit(cells: tuple[CellRead, ...], n: int) -> tuple[CellRead, ...] | None:
    """The ``n`` value cells of a row: all of them, or the last n when the others before are empty."""
    if len(cells) == n:
        return cells
    if len(cells) > n and all(not c.text.strip() for c in cells[: len(cells) - n]):
        return cells[len(cells) - n:]
    return None


def _text(blocks) -> str:
    return fold("\n".join(b.text or "\n".join("\t".join(r) for r in b.rows) for b in blocks))


def scanned_rows(blocks: tuple[Block, ...], template: Template) -> set[str]:
    """The rows ("table.row") that may have been read from a scan: their label is in recognised text
    (even across lines, as the table reader matches it), or nowhere in the file's own text."""
    ocr = _text([b for b in blocks if b.reads])
    layer = _text([b for b in blocks if not b.reads and b.kind != "note"])
    out = set()
    for table in template.tables:
        for row in table.rows:
            anchors = row.anchors or ("结果维持", "行政复议")  # table 四: its header
            if any(fuzzy_pattern(a).search(ocr) for a in anchors) or \
                    not any(fuzzy_pattern(a).search(layer) for a in anchors):
                out.add(f"{table.key}.{row.key}")
    return out


def tie_cells(blocks: tuple[Block, ...], template: Template) -> dict[str, ScannedCell]:
    """Template cells found in the recognised rows (by their labels, cells in order)."""
    rows = _ocr_rows(blocks)
    tied: dict[str, ScannedCell] = {}
    pos = 0
    for table in template.tables:
        if table.flat:
            pos = _tie_flat(table, rows, pos, tied)
            continue
        for row in table.rows:
            for i in range(pos, len(rows)):
                if not _matches(row, rows[i].label):
                    continue
                cells = _fit(rows[i].cells, len(row.columns))
                if cells is None:
                    continue
                for column, read in zip(row.columns, cells):
                    tied[f"{table.key}.{row.key}.{column.key}"] = _cell(read, column)
                pos = i + 1
                break
    return tied


def _tie_flat(table: Table, rows: list[_OcrRow], pos: int, tied: dict) -> int:
    """Table 四: the one row of 15 numbers under the header 结果维持 …, groups in the template's order."""
    header = next((i for i in range(len(rows)) if any(k in rows[i].label + "".join(c.text for c in rows[i].cells)
                                                      for k in ("结果维持", "行政复议"))), None)
    if header is None:
        return pos
    columns = [(r, c) for r in table.rows for c in r.columns]
    for i in range(header, len(rows)):
        values = [c for c in rows[i].cells if _value_like(c) or not c.text.strip()]
        if len(values) == len(rows[i].cells) and (cells := _fit(rows[i].cells, len(columns))) is not None:
            for (row, column), read in zip(columns, cells):
                tied[f"{table.key}.{row.key}.{column.key}"] = _cell(read, column)
            return max(pos, i + 1)
    return pos


def _set(values: dict, path: str, value: Value) -> None:
    table, row, column = path.split(".")
    values[table][row][column] = value


def cross_check(blocks: tuple[Block, ...], template: Template, values: dict[str, dict[str, dict[str, Value]]],
                found: list[Finding]) -> tuple[dict, list[Finding]]:
    """The tables with every scanned cell kept, or unknown under ``cell.ocr_uncertain``, as the module says.
    ``found``: the table reader's findings (a cell it already warns of as unread needs no second warning)."""
    tied = tie_cells(blocks, template)
    scanned = scanned_rows(blocks, template)
    out = copy.deepcopy(values)
    findings = [Finding("source.scanned", "source", "本报告（或其中几页）是扫描图像，文字由文字识别（OCR）读出，可能有个别错字；"
                                                   "表格中识别出的数字只在识别置信度高、且所在行列的勾稽关系成立时采用，"
                                                   "其余记为未知。", "info")]
    scanned_paths = [f"{t.key}.{r.key}.{c.key}" for t in template.tables for r in t.rows for c in r.columns
                     if f"{t.key}.{r.key}" in scanned]
    reasons: dict[str, str] = {}
    for path in scanned_paths:
        cell = tied.get(path)
        if cell is None:
            table, row, column = path.split(".")
            warned = any(f.where in (path, f"{table}.{row}", table) for f in found)
            if values[table][row][column] is not None or not warned:  # a number read is withheld: say so
                reasons[path] = "扫描件中没能把这一格对应到表格的行和列"
        elif cell.value is None:
            reasons[path] = ("扫描件中这一格是空白或没能识别（可能被印章、污迹遮住）" if not cell.read.text.strip()
                             else f"扫描件识别为「{cell.read.text}」，不是这一栏的数")
        _set(out, path, None if cell is None else cell.value)
    equations = [e for make in EQUATIONS for e in make(template)]
    judged = [(e, judge(e, out)) for e in equations]
    for path in scanned_paths:
        cell = tied.get(path)
        if path in reasons or cell is None:
            continue
        covering = [(e, j) for e, j in judged if path in e.cells]
        failed = next(((e, j) for e, j in covering if j.status == "fail"), None)
        read = f"扫描件识别为「{cell.read.text}」"
        if cell.read.confidence < CONFIDENT:
            reasons[path] = f"{read}，识别置信度 {cell.read.confidence:.2f}，低于 {CONFIDENT}"
        elif failed:
            reasons[path] = f"{read}，但所在行或列的勾稽关系不成立（{failed[0].name}：{failed[1].detail}）"
        elif any(j.status == "pass" for _, j in covering):
            if cell.confusions:
                findings.append(Finding("cell.ocr_lookalike", path, f"{read}，其中 {'、'.join(cell.confusions)} "
                                                                    f"按形近的数字读取，读作 {cell.value}（勾稽关系成立）。", "info"))
        elif cell.confusions:
            reasons[path] = f"{read}，其中 {'、'.join(cell.confusions)} 是形近的字母或汉字，没有勾稽关系能核实"
        elif cell.read.confidence < SURE:
            reasons[path] = f"{read}，识别置信度 {cell.read.confidence:.2f}，没有勾稽关系能核实"
    for path in scanned_paths:
        if path in reasons:
            _set(out, path, None)
            findings.append(Finding("cell.ocr_uncertain", path, f"{reasons[path]}：按未知处理。"))
    return out, findings
