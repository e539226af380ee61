from __future__ import annotations

import json
from pathlib import Path

import pytest
from variants import cells  # noqa: F401  (the tests import it from here)

FIXTURES = Path(__file__).parent / "fixtures"
REPORTS = FIXTURES / "reports"


def report_fixtures() -> list[Path]:
    return sorted(p for p in REPORTS.iterdir() if p.suffix in {".txt", ".md", ".pdf", ".docx", ".doc", ".wps", ".html"})


def expected_of(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def ocr_cache(tmp_path_factory):
    """One OCR cache for the whole session (subprocesses too): each scanned page is recognised once."""
    import os

    from builder.extract.formats import ocr

    folder = tmp_path_factory.mktemp("portal-cache")
    old = os.environ.get(ocr.CACHE_ENV)
    os.environ[ocr.CACHE_ENV] = str(folder)
    yield folder
    if old is None:
        os.environ.pop(ocr.CACHE_ENV, None)
    else:
        os.environ[ocr.CACHE_ENV] = old
