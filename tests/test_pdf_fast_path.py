"""formats/pdf_page.py reads PDF pages faster than pdfplumber, by mirroring pdfminer's and pdfplumber's
own code for the versions it names (CHECKED). It must give exactly what the libraries give: here every
fixture PDF is read both ways and the blocks compared. After upgrading pdfplumber or pdfminer.six,
compare the mirrored code with the new versions, update CHECKED, and these tests compare again."""
from __future__ import annotations

from pathlib import Path

import pytest

from builder.errors import UnreadableReport
from builder.extract.formats import pdf, pdf_page

FIXTURES = Path(__file__).parent / "fixtures"
PDFS = sorted([*FIXTURES.glob("reports/*.pdf"), *FIXTURES.glob("broken/*.pdf")])


def read_or_error(path: Path):
    try:
        return pdf.read(path)
    except UnreadableReport as exc:
        return exc.__class__, str(exc)


@pytest.mark.skipif(not pdf_page._checked(), reason=f"pdf_page.py mirrors {pdf_page.CHECKED}; other versions "
                    "are installed, so the libraries do all the work")
@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_fast_path_reads_exactly_what_the_libraries_read(path, monkeypatch):
    fast = read_or_error(path)
    monkeypatch.setattr(pdf_page, "_checked", lambda: False)
    assert read_or_error(path) == fast
