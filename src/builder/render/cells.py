"""One cell as the open data gives it: its value, unit, printed text, status word and notes.

Shared by the CSVs (render/downloads.py), the databases (render/database.py) and the data package's
schemas (render/datapackage.py), so that they say the same of every cell:

- ``unit``: 件 for counts of documents, applications and cases, 项 for counts of items (the 2019
  format's 上一年项目数量 and 采购项目数量), 万元 for amounts;
- amounts are exact decimals in 万元 (the 2021 format's unit). The 2019 format's 采购总金额 is text as
  printed ("2623.7200 万元（计划）"): it is converted only where the text names 元, 万元 or 亿元, else
  the value is empty; the printed text stays in its own column, its qualifier (计划) goes to the note;
- ``status``: the word for the cell's kind (render/status.py), from ``STATUS_WORDS`` — the one place
  that maps a kind to the word the open data prints.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from builder.extract.chinese import fold
from builder.extract.templates import Column, Row, Table
from builder.models import Report, Value
from builder.render.inconsistencies import unknown_kind
from builder.render.status import CellStatus

# a cell's kind (render/status.py) → the word the open data prints. New kinds (正文另述, 原文问题,
# 本站未能读出) slot in here: every CSV, database and schema takes its words from this mapping.
# a cell's kind (render/status.py) as the open data prints it, the unknown split by whose it is and a
# known figure the prose restates otherwise apart (render/inconsistencies.py: the 数据质量 page's kinds)
STATUS_WORDS = {"known": "已知", "differs": "正文另述", "contradicted": "⚠不符", "corrected": "人工更正",
                "original": "原文问题", "unread": "本站未能读出"}
UNKNOWN_WORDS = (STATUS_WORDS["original"], STATUS_WORDS["unread"])
AMOUNT_UNIT = "万元"
_ITEM_COLUMNS = {"previous_count", "change", "projects"}  # counts of items (项), not of documents or cases
_AMOUNT_COLUMNS = {"amount", "amount_10k_yuan"}
_MONEY = re.compile(r"^([+-]?\d+(?:\.\d+)?)(亿元|万元|元)?")
_SCALE = {"亿元": Decimal(10_000), "万元": Decimal(1), "元": Decimal("0.0001")}
_QUALIFIER = re.compile(r"[（(]([^）)]*)[）)]")


def unit_of(row: Row, column: Column) -> str:
    """The unit of a cell of the templates: 件, 项 or 万元."""
    if column.key in _AMOUNT_COLUMNS:
        return AMOUNT_UNIT
    return "项" if column.key in _ITEM_COLUMNS else "件"


def printed_text(column: Column, value: Value) -> str:
    """The text as printed, for a cell the templates keep as text (采购总金额); "" for the others."""
    return text_cell(value) if column.kind == "text" and isinstance(value, str) else ""


@dataclass(frozen=True)
class Amount:
    value: Decimal | None  # in 万元, exact; None when the text names no unit
    qualifier: str  # 计划, as printed in brackets after the amount


def amount_of(value: Value) -> Amount:
    """An amount in 万元, exactly: a number is 万元 already (the 2021 format); a text counts only where it
    names 元, 万元 or 亿元 (or is 0, which is 0 in any unit)."""
    if value is None:
        return Amount(None, "")
    if not isinstance(value, str):
        return Amount(_decimal(repr(value) if isinstance(value, float) else str(value)), "")
    text = fold(value).replace(" ", "").replace(",", "").replace("，", "")
    qualifier = "；".join(q for q in _QUALIFIER.findall(text) if q)
    match = _MONEY.match(text)
    if not match:
        return Amount(None, qualifier)
    number = _decimal(match.group(1))
    if number is None:
        return Amount(None, qualifier)
    if match.group(2) is None:
        return Amount(Decimal(0) if number == 0 else None, qualifier)
    return Amount((number * _SCALE[match.group(2)]).normalize() if number else Decimal(0), qualifier)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def decimal_text(number: Decimal | None) -> str:
    """An exact decimal without exponent or trailing zeros: 2623.72, 0.0025, 12000."""
    if number is None:
        return ""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def value_text(value: Value) -> str:
    """A cell's value as the CSVs print it: a count as a whole number, an amount as an exact decimal in
    万元, a text as printed (never read as a formula); "" when unknown."""
    if value is None:
        return ""
    if isinstance(value, float):
        return decimal_text(_decimal(repr(value)))
    return text_cell(value) if isinstance(value, str) else str(value)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(text: str) -> str:
    """Text for a CSV cell that no spreadsheet reads as a formula: a leading ' where the text begins
    with = + - @ (or a tab, a carriage return), as Excel itself writes such text. Only for text: a
    number column (本年增/减 is signed) is never altered."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


@dataclass(frozen=True)
class OpenCell:
    """A cell of one report as every open-data file states it."""

    path: str
    value: str  # a whole number, or an exact decimal in 万元; "" when unknown or not convertible
    unit: str
    printed: str  # the text as printed, for text cells (采购总金额)
    status: str  # STATUS_WORDS
    notes: tuple[str, ...]  # the contradictions' notes, the correction and its reason, the qualifier
    warnings: tuple[str, ...]  # the parser's findings on this cell


def status_word(cell: CellStatus, differences: tuple[str, ...] = ()) -> str:
    """The open data's word for a cell: 原文问题 or 本站未能读出 for an unknown cell (whose it is), 正文另述
    for a known figure the prose restates otherwise (``differences``: those notes), else its kind's."""
    if cell.kind == "unknown":
        return STATUS_WORDS["unread" if unknown_kind(cell) == "unread" else "original"]
    if cell.kind == "known" and differences:
        return STATUS_WORDS["differs"]
    return STATUS_WORDS[cell.kind]


def differences_of(report: Report) -> dict[str, tuple[str, ...]]:
    """{cell path: the 正文另述 notes on it}: the prose restating the figure these cells make otherwise."""
    out: dict[str, tuple[str, ...]] = {}
    for difference in report.differences:
        for path in difference.cells:
            out[path] = (*out.get(path, ()), difference.note)
    return out


def open_cell(table: Table, row: Row, column: Column, cell: CellStatus, differences: tuple[str, ...] = ()) -> OpenCell:
    unit = unit_of(row, column)
    notes = [c.note for c in cell.contradictions] + [f"正文另述：{note}" for note in differences]
    if cell.correction:
        printed = cell.correction.printed
        notes.append(f"人工更正（原读出 {value_text(printed) if printed is not None else '未知'}）：{cell.correction.reason}")
    if column.kind == "text" or unit == AMOUNT_UNIT:
        amount = amount_of(cell.value)
        value = decimal_text(amount.value)
        if amount.qualifier:
            notes.append(amount.qualifier)
        if cell.value is not None and amount.value is None:
            notes.append("原文未写明单位（元、万元或亿元），未换算为万元")
    else:
        value = value_text(cell.value)
    return OpenCell(cell.path, value, unit, printed_text(column, cell.value), status_word(cell, differences),
                    tuple(notes), tuple(f.message for f in (*cell.notes, *cell.settled)))
