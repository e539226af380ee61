"""The variant harness (tests/variants.py): every real report fixture changed in each of the ways
agencies publish (a preamble naming the sections, blank 法人 columns, reworded or split headings, no
section 六, table 四 apart, an HTML fragment, Word-pasted markup, label typos, tables broken by the
page), in every format the change applies to. Every cell must be right, or null with a warning naming
it; never wrong; and each class must read at least 99% of its cells right (benchmarks/variants.py
prints the figures). A table broken by the page (issue #34: tests/table_breaks.py) must be read
completely: every cell right.
"""
from __future__ import annotations

from collections import defaultdict

import pytest

import variants

ALL = [v for v in variants.all_variants() if v.fmt != "pdf" or variants.pdf_of(v).exists()]
SCORES: dict[str, variants.Score] = {}


@pytest.mark.parametrize("variant", ALL, ids=lambda v: v.name)
def test_every_cell_right_or_unknown_with_a_warning(variant, tmp_path):
    s = variants.score(variant, tmp_path)
    SCORES[variant.name] = s
    assert not s.wrong, s.wrong[:5]
    if variant.exact:
        assert s.unknown <= 0.01 * s.total, f"{s.unknown} of {s.total} cells unknown"


def test_every_class_reads_99_percent_of_its_cells(tmp_path):
    by_class = defaultdict(lambda: [0, 0])
    for v in ALL:
        s = SCORES.get(v.name)
        if s is None:  # run on its own (-k): score the variant here
            folder = tmp_path / v.name
            folder.mkdir()
            s = variants.score(v, folder)
        by_class[v.cls][0] += s.right
        by_class[v.cls][1] += s.total
    assert set(by_class) == set(variants.CLASSES)
    for cls, (right, total) in by_class.items():
        assert right >= 0.99 * total, f"{cls}: {right} of {total} cells right"


def test_every_class_has_a_variant_in_each_format_it_applies_to():
    made = {(v.cls, v.fmt) for v in ALL}
    for cls, formats in variants.FORMATS.items():
        for fmt in formats:
            if fmt != "pdf":
                assert (cls, fmt) in made, (cls, fmt)


BROKEN = [v for v in ALL if v.cls == "table4_break" or v.cls in variants.BREAKS]


@pytest.mark.parametrize("variant", BROKEN, ids=lambda v: v.name)
def test_a_table_broken_by_the_page_is_read_completely(variant, tmp_path):
    """Issue #34: table 四 (or 三, 二) broken at any row boundary Word gives, its header repeated or its
    continuation without a rule on top: every cell right, none unknown (the 行政复议 row was lost)."""
    s = SCORES.get(variant.name) or variants.score(variant, tmp_path)
    assert s.right == s.total, (s.unknown, s.wrong[:5])


def test_every_break_class_has_its_pdfs():
    """The PDFs of tests/make_variant_pdfs.py are committed for every source: none is skipped unseen."""
    for cls in ("table4_break", *variants.BREAKS):
        for short, _ in variants.SOURCES:
            assert (variants.VARIANT_PDFS / f"{short}-{cls}.pdf").exists(), (short, cls)
