"""A second look at a doubtful number on a page image: its box cropped and recognised alone.

The recogniser reads a page line by line after finding the lines; a number it was unsure of (a score
below ``ocr.SURE``, a look-alike for a digit, a toner speck read as a point: 「0.」「.0」) is cropped from
the same page image with a margin and recognised again, without detection (ocr.reread). That read is
a read like any other: when it is one plain number, surely read, and the same number as the first read,
it replaces the first; when the two reads give different numbers, the first stays, doubtful, and the
other is kept beside it (``others``): two reads that disagree leave the cell unknown with both as
candidates (extract/scanned.py), whatever the rules would say. Nothing is read where nothing was found.
"""
from __future__ import annotations

import numpy as np

from builder.extract.formats.ocr import SURE, Box, reread
from builder.extract.ocr_numbers import read_number, touches_digits

MARGIN = 0.35  # of the box's height, around it: the whole of the digits, not the neighbours' rules
MAX_LENGTH = 12  # characters: a number cell, not a line of prose


def number_of(text: str) -> str | None:
    """The number a box's text gives, a stray point at either end dropped (a speck beside a digit); None
    if it is not one number."""
    n = read_number(text.strip().strip("."))
    return n.text if n is not None else None


def doubtful(b: Box) -> bool:
    """A box that is one number, not read surely: a low score, look-alikes, or a stray point."""
    if len(b.text.strip()) > MAX_LENGTH or number_of(b.text) is None:
        return False
    n = read_number(b.text)
    return b.score < SURE or touches_digits(b.text) or n is None or bool(n.confusions)


def looked_again(boxes: list[Box], image: np.ndarray) -> tuple[list[Box], dict[Box, tuple[str, ...]]]:
    """``boxes`` with each doubtful number read again from ``image`` (the grey page they were read on):
    replaced where the second read is sure and agrees; and the other reads of those where the two disagree."""
    out, others = [], {}
    h, w = image.shape[:2]
    for b in boxes:
        if not doubtful(b):
            out.append(b)
            continue
        pad = MARGIN * b.height
        crop = image[max(0, int(b.top - pad)):min(h, int(b.bottom + pad) + 1),
                     max(0, int(b.x0 - pad)):min(w, int(b.x1 + pad) + 1)]
        text, score = reread(crop)
        second = read_number(text)
        if second is not None and second.text != number_of(b.text):
            others[b] = (text.strip(),)
            out.append(b)
        elif second is not None and not second.confusions and score >= SURE and not touches_digits(text):
            out.append(Box(text.strip(), b.x0, b.top, b.x1, b.bottom, score))
        else:
            out.append(b)
    return out, others
