"""A report's open data: the JSON our users download and ``portal extract`` prints.

This is the public data contract, documented in content/data-format.md. Key order is fixed here so
that the same report always gives byte-identical JSON.
"""
from __future__ import annotations

import json

from builder import PARSER_VERSION
from builder.extract.templates import SECTIONS
from builder.models import Failure, Report, SourceFile
from builder.render.markdown import prose
from builder.render.notices import failure_notice


def source_to_open_data(src: SourceFile) -> dict:
    """Where the report comes from: the file in reports/, and where and when the agency published it
    (the sidecar's ``url`` and ``published``; null when the maintainer did not say)."""
    return {"path": src.path.as_posix(), "sha256": src.sha256, "format": src.format,
            "url": src.sidecar.get("url"), "published": src.sidecar.get("published")}


def report_to_open_data(report: Report) -> dict:
    return {
        "agency": report.agency,
        "year": report.year,
        "template": report.template,
        "region": list(report.region),
        "title": report.title,
        "source": source_to_open_data(report.source),
        "parser_version": PARSER_VERSION,
        "sections": {key: prose(report.sections.get(key, ())) for key, _ in SECTIONS},
        "tables": report.tables,
        "checks": [c.to_json() for c in report.checks],
        "statements": [s.to_json() for s in report.statements],
        "prose_differences": [d.to_json() for d in report.differences],
        "warnings": [w.to_json() for w in report.warnings],
        "corrections": [c.to_json() for c in report.corrections],
        "origins": {path: origin.to_json() for path, origin in report.origins.items()},
    }


def failure_to_open_data(failure: Failure) -> dict:
    return {
        "source": source_to_open_data(failure.source),
        "region": list(failure.source.region),
        "error": failure.reason,
        "notice": failure_notice(failure),
    }


def dumps(data: object, compact: bool = False) -> str:
    """UTF-8 JSON, not ASCII-escaped, stable across runs; indented for people (``portal extract``),
    compact for the site's data files (a third smaller, and json's C encoder only runs without indent)."""
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
