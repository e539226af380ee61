from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPORTS = FIXTURES / "reports"


def report_fixtures() -> list[Path]:
    return sorted(p for p in REPORTS.iterdir() if p.suffix in {".txt", ".md", ".pdf", ".docx", ".doc", ".wps", ".html"})


def expected_of(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def cells(tables: dict, prefix: str = ""):
    for key, value in tables.items():
        if isinstance(value, dict):
            yield from cells(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
