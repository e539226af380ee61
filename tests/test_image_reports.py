"""A report published as an image file (.jpg, .png) is read as a scan of one page (extract/formats/image.py).

The image is made from a real fixture (pdf-from-word-libreoffice-2021-hongze.pdf): the top of its first
page (title and opening) over the top of its third (table 三), rendered and scanned as tests/scans.py
scans pages (turned, paper tone, blur, noise), one A4 page high. OCR is CPU-heavy: marked slow.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from PIL import Image

import scans
from builder.models import Failure, Report
from builder.pipeline import parse
from builder.render.entries import published_name
from conftest import cells

FIXTURE = Path(__file__).parent / "fixtures" / "reports" / "pdf-from-word-libreoffice-2021-hongze.pdf"


def _page_image() -> Image.Image:
    page = scans.report_page(FIXTURE, 150)
    return scans.scan_page(page, 0, False, scans.ScanSettings(angle=0.5, seam_seal=False), random.Random(34))


@pytest.fixture(scope="module")
def image_reports(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("images")
    page = _page_image()
    page.save(folder / "hongze_2023.png")
    page.save(folder / "hongze_2023.jpg", quality=70)
    return {"png": folder / "hongze_2023.png", "jpg": folder / "hongze_2023.jpg"}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["png", "jpg"])
def test_an_image_file_is_read_as_a_scan_of_one_page(image_reports, kind):
    report = parse(image_reports[kind])
    assert isinstance(report, Report), getattr(report, "reason", "")
    assert report.source.format == "image"
    assert (report.agency, report.year, report.template) == ("淮安市洪泽区人民政府", 2023, "2021")
    assert any(w.code == "source.note" and "图片" in w.message for w in report.warnings)
    truth = json.loads(FIXTURE.with_suffix(".expected.json").read_text(encoding="utf-8"))["tables"]
    warned = {w.where for w in report.warnings}
    wrong, right = [], 0
    for path, value in cells(truth):
        table, row, column = path.split(".")
        got = report.tables[table][row][column]
        if got is None:
            assert any(path == w or path.startswith(w + ".") for w in warned), path
        elif got == value:
            right += 1
        else:
            wrong.append((path, got, value))
    assert not wrong  # never a wrong number
    assert report.tables["applications"]["new_received"] == {
        "natural_person": 21, "commercial_enterprise": 0, "research_institution": 0, "social_organization": 0,
        "legal_service_agency": 0, "other_organization": 0, "total": 21}
    assert published_name(report.source).endswith(f".{kind}")  # the original is linked as it is


def test_a_file_that_is_no_image_fails_naming_it(tmp_path):
    path = tmp_path / "年报.jpg"
    path.write_bytes(b"not a JPEG at all")
    result = parse(path)
    assert isinstance(result, Failure) and "not a readable image" in result.reason and "年报.jpg" in result.reason
