"""Scans as agencies make them (issue #34): one page of a real report (its title over table 三,
tests/scans.report_page) scanned in each kind of tests/scan_kinds.KIND (a clean page, the reference;
grey 200 dpi JPEG with skew, one-bit 300 dpi with speckles, a mailed 100 dpi JPEG, a phone photo with
keystone, gradient and blur, a red seal over a number and a signature, a table without ruling lines)
and read as an image file. Every cell must be right or unknown with a warning: never wrong. The per-kind share of cells read right is printed by
``benchmarks/variants.py --scans``. OCR is CPU-heavy: one page per kind, marked slow.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import scan_kinds
import variants

FIXTURE = Path(__file__).parent / "fixtures" / "reports" / "pdf-from-word-libreoffice-2021-hongze.pdf"


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(scan_kinds.KIND))
def test_every_cell_of_a_scan_kind_is_right_or_unknown(kind, tmp_path):
    variant = variants.scan_variant(kind)
    s = variants.score(variant, tmp_path)
    assert not s.wrong, s.wrong[:5]
    assert s.right > 0 or kind in ("photo", "lineless"), f"{kind}: nothing read"
