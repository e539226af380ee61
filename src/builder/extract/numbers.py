"""Numbers as reports print them: tokens in table text, their values, and the ways a run can split.

A token keeps the text as printed (``2623.7200 万元（计划）``, ``+123``, ``2笔``); list marks such as the
``2.`` of ``2.其他法律行政法规禁止公开`` are not numbers. Matching runs on folded text
(``chinese.fold``), so full-width digits and signs are already ASCII.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from builder.extract.chinese import HAN
from builder.extract.templates import Column

_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_UNIT_AFTER = re.compile(r"\s*(万\s*元|亿\s*元|元|笔|件|个|项|次|条|宗|人次)(\s*[(（]\s*(?:[" + HAN + r"]\s*){1,6}[)）])?")
_LIST_MARK_AFTER = re.compile(r"[.、]\s*[" + HAN + r"(（]")
_PLACEHOLDER = re.compile(r"(?<!\S)(?:/|-{1,3}|\\|×)(?!\S)")
_CANONICAL = re.compile(r"0|[1-9]\d*")
MAX_EXACT = 2**53 - 1  # the largest count a JSON reader (JavaScript, a double) holds exactly


@dataclass(frozen=True)
class Token:
    text: str  # as printed, with sign and unit
    digits: str  # the number without sign or unit, e.g. "2623.7200"
    sign: str  # "", "+" or "-"
    unit: str  # "", "万元", "万元（计划）", ...
    start: int
    end: int
    on_label_line: bool = False  # printed on the same line as its row's label
    lead: bool = False  # printed before the first row label of its (sub-)table
    blank: bool = False  # an explicit empty-cell mark: / — ×

    @property
    def huge(self) -> bool:
        """More than MAX_EXACT: no count or amount is that large, and no reader of the open data would
        hold it exactly; the cell is unknown, never a rounded number."""
        whole = self.digits.split(".")[0].lstrip("0")
        return len(whole) > 16 or (bool(whole) and int(whole) > MAX_EXACT)

    @property
    def canonical(self) -> bool:
        """True unless the digits could not be one printed number (a leading zero: 007, 00)."""
        whole = self.digits.split(".")[0]
        return self.blank or bool(_CANONICAL.fullmatch(whole))


def tokenize(text: str, start: int = 0, end: int | None = None, label_line_end: int = -1,
             original: str | None = None) -> list[Token]:
    """Number tokens of ``text[start:end]`` (folded text), in order.

    Tokens before ``label_line_end`` are marked as printed on the label's line; a token's ``text``
    is taken from ``original`` (the unfolded text) when given, so it reads as printed.
    """
    printed = original if original is not None else text
    end = len(text) if end is None else end
    found: list[Token] = []
    for m in _NUMBER.finditer(text, start, end):
        raw = m.group()
        sign = raw[0] if raw[0] in "+-" else ""
        digits = raw[len(sign):]
        t_end = m.end()
        if _LIST_MARK_AFTER.match(text, t_end, end + 2) and "." not in digits:
            # "2.其他…": the last digit is a list mark; digits before it belong to a cell ("05.要求…")
            digits = digits[:-1]
            t_end -= 1
            if not digits:
                continue
        unit = ""
        u = _UNIT_AFTER.match(text, t_end, end)
        if u:
            unit = re.sub(r"\s+", "", u.group())
            t_end = u.end()
        found.append(Token(re.sub(r"\s+", " ", printed[m.start():t_end]), digits, sign, unit, m.start(), t_end,
                           on_label_line=m.start() < label_line_end))
    for m in _PLACEHOLDER.finditer(text, start, end):
        found.append(Token(m.group(), "", "", "", m.start(), m.end(),
                           on_label_line=m.start() < label_line_end, blank=True))
    found.sort(key=lambda t: t.start)
    return found


def token_value(token: Token, column: Column) -> int | float | str | None:
    """The cell value of ``token`` in ``column``, or ``None`` if it cannot be that column's value."""
    if token.blank or token.huge:
        return None
    if column.kind == "text":
        return token.text.strip()
    if token.unit and column.kind != "decimal" and token.unit.startswith(("万元", "亿元", "元")):
        return None  # a money amount is not a count
    if column.kind == "decimal":
        if token.sign == "-":
            return None
        number = float(token.digits)
        return int(number) if "." not in token.digits else number
    if "." in token.digits:
        return None
    number = int(token.digits)
    if column.kind == "signed":
        return -number if token.sign == "-" else number
    return None if token.sign == "-" else number


def splits(token: Token, max_parts: int | None = None) -> Iterator[tuple[Token, ...]]:
    """Every way to read a run of digits printed without separators as one or more numbers
    (at most ``max_parts`` of them).

    ``000121`` → (0, 0, 0, 121), (0, 0, 0, 1, 21), ...; each part is a canonical number (no leading
    zero), a decimal part and a unit stay with the last part, the sign with the first.
    """
    whole, _, frac = token.digits.partition(".")
    tail = ("." + frac if frac else "")
    limit = max_parts if max_parts is not None else len(whole) or 1

    def cut(rest: str, room: int) -> Iterator[tuple[str, ...]]:
        for i in range(1, len(rest) + 1):
            head = rest[:i]
            if not _CANONICAL.fullmatch(head):
                continue
            if i == len(rest):
                yield (head,)
            elif room > 1:
                for more in cut(rest[i:], room - 1):
                    yield (head, *more)

    if token.blank:
        yield (token,)
        return
    for parts in cut(whole, limit):
        out = []
        pos = token.start
        for i, p in enumerate(parts):
            last = i == len(parts) - 1
            sign = token.sign if i == 0 else ""
            digits = p + (tail if last else "")
            unit = token.unit if last else ""
            text = sign + digits + (unit if last else "")
            out.append(Token(text, digits, sign, unit, pos, pos + len(p), token.on_label_line, token.lead))
            pos += len(p)
        yield tuple(out)


_HAN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_HAN_UNITS = {"十": 10, "百": 100, "千": 1000}
HAN_NUMERAL = "[零〇一二两三四五六七八九十百千万]+"


def han_numeral_value(text: str) -> int | None:
    """A count written in Chinese numerals (二十六, 一百零五, 两千三百, 十二) as an int; ``None`` when
    ``text`` is not one well-formed numeral (e.g. 十十, 五五 as two digits)."""
    if not text or any(ch not in _HAN_DIGITS and ch not in _HAN_UNITS and ch != "万" for ch in text):
        return None
    if text.count("万") > 1:
        return None
    high, _, low = text.partition("万") if "万" in text else ("", "", text)
    if "万" in text:
        high_value = _below_ten_thousand(high)
        low_value = _below_ten_thousand(low, after_wan=True) if low else 0
        return None if high_value in (None, 0) or low_value is None else high_value * 10_000 + low_value
    return _below_ten_thousand(low)


def _below_ten_thousand(text: str, after_wan: bool = False) -> int | None:
    if text in ("零", "〇"):
        return 0
    total, digit, last_unit, zero = 0, None, 10_000, False
    if after_wan and text[0] in "零〇":  # 两万零三: the zero says the thousands are empty
        rest = _below_ten_thousand(text[1:])
        return rest if rest is not None and 0 < rest < 1000 else None
    if after_wan and not any(ch in _HAN_UNITS for ch in text):
        return None  # 两万三 is 23000 in speech, 20003 by the digits: no guess
    for ch in text:
        if ch in _HAN_DIGITS and _HAN_DIGITS[ch] == 0:
            if digit is not None or zero or last_unit == 10_000:
                return None  # a zero stands only between a unit and a lower digit: 一百零五
            zero = True
        elif ch in _HAN_DIGITS:
            if digit is not None:
                return None  # two digits in a row: 五五 is no numeral
            digit = _HAN_DIGITS[ch]
        else:
            unit = _HAN_UNITS[ch]
            if unit >= last_unit or (zero and unit * 10 >= last_unit):
                return None  # 十百, 十十, 一百零十: units must fall
            total += (1 if digit is None else digit) * unit
            digit, last_unit, zero = None, unit, False
    if digit is None:
        return None if zero else total
    if 100 <= last_unit < 10_000 and not zero:
        return None  # 一百五 is 150 in speech, 105 by the digits: no guess
    return total + digit
