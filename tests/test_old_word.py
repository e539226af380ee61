"""Word 97–2003 .doc and Kingsoft .wps reports, read through LibreOffice's conversion to .docx
(fixtures made by tests/make_scan_and_doc_fixtures.py): the grid survives, and without LibreOffice
the message says what to install."""
from __future__ import annotations

import pytest

from builder.extract.formats import doc, docx
from builder.models import Failure
from builder.pipeline import parse
from conftest import REPORTS

DOC = REPORTS / "word97-doc-2019-merged-cells-aimin.doc"
WPS = REPORTS / "wps-word97-binary-2021-national-template-hongze.wps"
SOURCES = {DOC: REPORTS / "word-2019-merged-cells-aimin.docx",
           WPS: REPORTS / "word-2021-national-template-hongze.docx"}
needs_libreoffice = pytest.mark.skipif(doc.converter() is None, reason="LibreOffice (soffice) is not installed")


def _grids(blocks):
    return [b.rows for b in blocks if b.kind == "table"]


@pytest.mark.slow  # LibreOffice
@needs_libreoffice
@pytest.mark.parametrize("path", [DOC, WPS], ids=["doc", "wps"])
def test_tables_keep_their_grid_and_merged_cells_through_the_conversion(path):
    # the same cells, row by row, as the .docx the file was saved from: merged cells read once
    assert _grids(doc.read(path)) == _grids(docx.read(SOURCES[path]))


def test_without_libreoffice_the_message_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(doc, "converter", lambda: None)
    result = parse(DOC)
    assert isinstance(result, Failure)
    assert DOC.name in result.reason and "apt-get install libreoffice-writer-nogui" in result.reason
    assert "save the file as .docx" in result.reason


@pytest.mark.slow  # LibreOffice
@needs_libreoffice
def test_a_damaged_doc_names_the_file_and_the_fix(tmp_path):
    bad = tmp_path / "损坏的年报.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0 not really a Word file" * 50)
    result = parse(bad)
    assert isinstance(result, Failure)
    assert bad.name in result.reason and "—" in result.reason
