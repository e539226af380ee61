"""Numbers as text recognition reads them from a scan, digit look-alikes included.

OCR confuses digits with letters and Han characters of the same shape: 0 with O/o/〇/Ｏ, 1 with
l/I/|/丨, 5 with S/s, 8 with B. A cell (or box) whose whole text is a number written with such
look-alikes is read as that number, and the reading says which characters it took for digits, so
the number is never taken silently: extract/scanned.py publishes it only when the table's own
sums confirm it. Anything else (a unit, a word, two numbers) is not a number here, and a text where
a look-alike touches a digit without being one number (``1O件``) is no number at all: ``touches_digits``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from builder.extract.chinese import fold

LOOKALIKES = {"O": "0", "o": "0", "〇": "0", "Ｏ": "0",
              "l": "1", "I": "1", "|": "1", "丨": "1", "ǀ": "1",
              "S": "5", "s": "5",
              "B": "8"}
_SHAPE = "0-9" + re.escape("".join(LOOKALIKES))
_NUMBER = re.compile(rf"([+-]?)([{_SHAPE}]+(?:[.][{_SHAPE}]+)?)")
_LOOKS = "[" + re.escape("".join(LOOKALIKES)) + "]"
_TOUCHING = re.compile(rf"\d{_LOOKS}|{_LOOKS}\d")


@dataclass(frozen=True)
class OcrNumber:
    text: str  # the number in digits, sign kept: "10", "-3", "7730.28"
    raw: str  # as recognised: "1O"
    confusions: tuple[str, ...] = ()  # each look-alike taken for a digit, e.g. ("O→0",)


def read_number(text: str) -> OcrNumber | None:
    """``text`` as one number, reading digit look-alikes as digits; None if it is not one number."""
    raw = text.strip()
    m = _NUMBER.fullmatch(fold(raw))  # "1 0" is two numbers, never 10
    if not m or not (any(ch.isdigit() for ch in m.group(2)) or len(m.group(2)) == 1):
        return None
    sign, body = m.groups()
    digits = "".join(LOOKALIKES.get(ch, ch) for ch in body)
    confusions = tuple(f"{ch}→{LOOKALIKES[ch]}" for ch in body if ch in LOOKALIKES)
    return OcrNumber(sign + digits, raw, confusions)


def touches_digits(text: str) -> bool:
    """A digit look-alike stands next to a digit (``1O``, ``2l件``): the digits may be misread."""
    return bool(_TOUCHING.search(fold(text)))
