"""Chinese text handling, in one place: width variants, label matching, spaces between Han characters.

Matching runs on ``fold(text)``, a copy of the text of the same length in which full-width ASCII
forms and quote/bracket variants are folded to one form, so that positions found in the copy are
positions in the original.
"""
from __future__ import annotations

import re
from functools import lru_cache

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{HAN}]")

# One character in, one character out: positions stay valid.
_FOLD = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}  # full-width ASCII → ASCII
_FOLD.update({
    "\u3000": " ", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200b": " ",
    "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "「": '"', "」": '"',
    "〔": "[", "〕": "]", "【": "[", "】": "]",
    "−": "-", "–": "-", "—": "-", "‐": "-", "﹣": "-", "－": "-", "﹢": "+",
    "､": "、",
})
_FOLD_TABLE = str.maketrans(_FOLD)


def fold(text: str) -> str:
    """Fold width and punctuation variants without changing the length of the text."""
    return text.translate(_FOLD_TABLE)


def is_han(ch: str) -> bool:
    return bool(_HAN_RE.fullmatch(ch))


@lru_cache(maxsize=None)
def fuzzy_pattern(label: str) -> re.Pattern[str]:
    """A regex for ``label`` that allows white space (line breaks too) between any two characters.

    The label is folded first, so （ and (, “ and ", 1、 and 1. all match; a digit followed by a
    list mark matches any of . 、 and ．.
    """
    parts = []
    for ch in fold(label):
        if ch.isspace():
            continue
        if ch in ".、":
            parts.append(r"[.、]")
        else:
            parts.append(re.escape(ch))
    return re.compile(r"\s*".join(parts))


_SPACE_BETWEEN_HAN = re.compile(f"(?<=[{HAN}，。、；：！？（）《》“”])[ \t\u3000]+(?=[{HAN}，。、；：！？（）《》“”])")


def drop_spaces_between_han(text: str) -> str:
    """Remove the spaces a PDF text layer inserts between Han characters (政 府 信 息 → 政府信息)."""
    return _SPACE_BETWEEN_HAN.sub("", text)


def squeeze(text: str) -> str:
    """All white space removed: for comparing labels and titles."""
    return re.sub(r"\s+", "", text)


_RUN = re.compile(r"\S+")
_NARROW = re.compile("[\x00-\u2e7f]")


def squeeze_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` without white space, and for each kept character its position in ``text``."""
    runs = [(m.start(), m.end()) for m in _RUN.finditer(text)]
    where: list[int] = []
    for a, b in runs:
        where.extend(range(a, b))
    return "".join(text[a:b] for a, b in runs), where


def display_width(text: str) -> float:
    """Han and full-width characters count 1, ASCII ½: how long a line looks on the page."""
    kept = squeeze(text)
    return len(kept) - 0.5 * len(_NARROW.findall(kept))
