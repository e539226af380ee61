"""A second look at a doubtful number (extract/formats/second_look.py) and how the cross-check takes two
reads of one cell (extract/scanned.py): a second read replaces the first only when it is one plain number,
surely read, and the same number; two reads that disagree leave the cell unknown with both as candidates,
even where an equation would vouch for either."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from test_scanned import _APPS, _document

from builder.extract.formats import second_look
from builder.extract.formats.ocr import Box
from builder.extract.report import document_to_report
from builder.models import Block, Grid


def _looked(monkeypatch, first: Box, second: tuple[str, float]):
    asked = []

    def reread(crop):
        asked.append(crop.shape)
        return second

    monkeypatch.setattr(second_look, "reread", reread)
    boxes, others = second_look.looked_again([first], np.full((200, 200), 255, np.uint8))
    return boxes[0], others, asked


@pytest.mark.parametrize("first", [Box("0.", 50, 50, 70, 75, 0.84), Box(".0", 50, 50, 70, 75, 0.99),
                                   Box("0", 50, 50, 70, 75, 0.93), Box("1O", 50, 50, 80, 75, 0.99)])
def test_a_doubtful_number_read_again_surely_and_alike_is_taken(monkeypatch, first):
    number = "10" if first.text == "1O" else "0"
    box, others, asked = _looked(monkeypatch, first, (number, 0.999))
    assert (box.text, box.score, others) == (number, 0.999, {})
    assert (box.x0, box.top, box.x1, box.bottom) == (first.x0, first.top, first.x1, first.bottom)
    assert asked and asked[0][0] > first.height  # the box with a margin around it


@pytest.mark.parametrize("second", [("8", 0.999), ("6", 0.7)])
def test_two_reads_that_disagree_keep_the_first_and_the_other_beside_it(monkeypatch, second):
    first = Box("0", 50, 50, 70, 75, 0.9)
    box, others, _ = _looked(monkeypatch, first, second)
    assert box == first and others == {first: (second[0],)}


@pytest.mark.parametrize("second", [("0", 0.9), ("0.", 0.999), ("", 0.0), ("O", 0.999), ("0件", 0.999)])
def test_a_second_read_neither_sure_nor_plain_changes_nothing(monkeypatch, second):
    first = Box("0.", 50, 50, 70, 75, 0.84)
    box, others, _ = _looked(monkeypatch, first, second)
    assert box == first and others == {}


@pytest.mark.parametrize("first", [Box("0", 50, 50, 70, 75, 0.999), Box("本年新收", 50, 50, 150, 75, 0.5),
                                   Box("信息1136条。", 50, 50, 190, 75, 0.9)])
def test_sure_numbers_and_words_are_not_read_again(monkeypatch, first):
    box, others, asked = _looked(monkeypatch, first, ("8", 0.999))
    assert box == first and not others and not asked


def test_a_cell_read_two_ways_is_unknown_with_both_candidates_though_its_sums_hold():
    truth = {r.key: ["0"] * 7 for r in _APPS.rows}
    document = _document(truth, confidence=0.999)
    table = next(b for b in document.blocks if b.kind == "table")
    where = (_APPS.rows.index(_APPS.row("granted")), 1)
    cells = tuple(dataclasses.replace(c, uncertain=True, also=("8",)) if (c.row, c.col) == where else c
                  for c in table.grid.cells)
    blocks = tuple(Block("table", grid=Grid(cells, table.grid.height, table.grid.width)) if b is table else b
                   for b in document.blocks)
    report = document_to_report(dataclasses.replace(document, blocks=blocks))
    assert report.tables["applications"]["granted"]["natural_person"] is None
    assert report.tables["applications"]["granted"]["total"] == 0  # the others as read, vouched by the sums
    warning = next(w for w in report.warnings if w.where == "applications.granted.natural_person")
    assert warning.code == "cell.ocr_uncertain" and "可能是 0 或 8" in warning.message and "两次识别不一致" in warning.message
