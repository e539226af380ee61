"""Marks at the figures and the numbered notes under a table: how a page shows a number's status.

A figure the report's own rules contradict is shown as printed, with a mark (⚠ 注N) pointing to a
note under the table that says why in one line; a total that leaves reports out is shown as ``≥…``,
with a mark when a report was left out for a contradiction, naming it. ``Notes`` numbers the notes of
one table or list, in the order the marks are made (a jinja template renders the table first, then
``notes.items``), so that the same note is listed once however many figures point to it.
"""
from __future__ import annotations

from builder.models import Report
from builder.render.figures import Total, format_number
from builder.render.status import FigureStatus

UNKNOWN_TITLE = "报告未印出该数值，或未能可靠读取；未知不等于 0"
CONTRADICTED_TITLE = "该数字与报告自身的其他数字不一致（勾稽关系不成立），未计入合计"
LEFT_OUT_TITLE = "合计中未计入数字自相矛盾的年报，见注"
CORRECTED_TITLE = "维护者人工更正的数值，理由见表下说明"
DIFFERS_TITLE = "报告正文复述这一项时说的数与表中不同；表中数字照印，照常计入合计"
SETTLED_TITLE = "报告把这一行的数字连在一起印出，拆法按同一机关相邻年度的报告确定，见注"
KIND_WORDS = {"contradicted": "⚠不符", "unknown": "未知", "differs": "正文另述", "settled": "跨年核定"}  # a note's kind, in its list
NAMED = 5  # a total's note names up to this many reports left out for a contradiction
CORRECTED_MARK = f'<sup class="portal-mark portal-mark--corrected"><abbr title="{CORRECTED_TITLE}">更正</abbr></sup>'


def unknown_mark(number: int) -> str:
    return f'<abbr title="{UNKNOWN_TITLE}">未知</abbr><sup>注{number}</sup>'


def left_out_mark(number: int) -> str:
    return (f'<sup class="portal-mark portal-mark--contradicted"><abbr title="{LEFT_OUT_TITLE}">⚠</abbr>'
            f'注{number}</sup>')


def contradicted_mark(*numbers: int) -> str:
    return (f'<sup class="portal-mark portal-mark--contradicted"><abbr title="{CONTRADICTED_TITLE}">⚠不符</abbr>'
            f'注{"、".join(map(str, numbers))}</sup>')


def differs_mark(*numbers: int) -> str:
    return (f'<sup class="portal-mark portal-mark--differs"><abbr title="{DIFFERS_TITLE}">正文另述</abbr>'
            f'注{"、".join(map(str, numbers))}</sup>')


def settled_mark(*numbers: int) -> str:
    """A figure whose run-together digits the neighbouring years split (validate/across_years.py)."""
    return (f'<sup class="portal-mark portal-mark--settled"><abbr title="{SETTLED_TITLE}">跨年核定</abbr>'
            f'注{"、".join(map(str, numbers))}</sup>')


def report_name(report: Report) -> str:
    return f"{report.agency or report.source.name}{f' {report.year} 年' if report.year else ''}"


class Notes:
    """The notes under one table or list: (kind, text); a mark's number is its note's place + 1."""

    def __init__(self, first: int = 1):
        self.first = first
        self.items: list[tuple[str, str]] = []

    def number(self, kind: str, text: str) -> int:
        item = (kind, text)
        if item not in self.items:
            self.items.append(item)
        return self.items.index(item) + self.first

    def mark(self, kind: str, text: str) -> str:
        """A mark pointing to the note ``text`` (``kind``: "contradicted", "unknown" or "differs"); ``text``
        is Markdown-escaped where the note is listed (it may hold an agency's name)."""
        n = self.number(kind, text)
        return unknown_mark(n) if kind == "unknown" else differs_mark(n) if kind == "differs" else contradicted_mark(n)

    def figure(self, figure: FigureStatus, report: Report | None = None, label: str = "") -> str:
        """A report's figure as shown in a table: its value, ``未知``, or its value with a mark."""
        if figure.value is None:
            return "未知"
        text = format_number(figure.value)
        who = f"{report_name(report)} · " if report else ""
        if figure.kind == "contradicted":
            what = f"{label}：" if label and not all(n.startswith(label) for n in figure.notes) else ""
            text += self.mark("contradicted", who + what + "；".join(figure.notes) + "。")
        if figure.differences:  # beside the figure, which still counts: the prose says otherwise
            text += self.mark("differs", who + "；".join(figure.differences) + "。")
        return text

    def total(self, total: Total, label: str = "") -> str:
        """A total as shown: ``12``, ``≥12``, with a mark when reports were left out as contradicted."""
        text = total.text()
        if not total.contradicted:
            return text
        names = [f"{report_name(r)}（{'；'.join(notes)}）" for r, notes in total.contradicted[:NAMED]]
        more = len(total.contradicted) - NAMED
        what = f"{label}：" if label else ""
        note = (f"{what}未计入 {len(total.contradicted)} 份数字自相矛盾的年报：" + "、".join(names)
                + (f"等（另有 {more} 份，见数据质量）" if more > 0 else "") + "。")
        return text + left_out_mark(self.number("contradicted", note))

    def __bool__(self) -> bool:
        return bool(self.items)

    def listed(self) -> list[tuple[int, str, str]]:
        """(number, kind, text) of every note, for the list under the table."""
        return [(i + self.first, kind, text) for i, (kind, text) in enumerate(self.items)]
