"""Parsed reports cached by content: a build re-parses only new or changed files.

The key is the file's sha256, its sidecar, its region, the parser version and the entries' form, so
editing a report, its ``.meta.yml`` or the parser, or changing what an entry holds, all invalidate it.
Entries are JSON files (one per key) in ``.cache/portal/`` by default; CI restores and saves that
folder with actions/cache.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from builder import PARSER_VERSION
from builder.files import write_whole
from builder.models import Failure, Finding, Origin, Passage, Report, SourceFile, Statement, Undecided

DEFAULT_DIR = Path(".cache/portal")
FORM = 4  # what an entry holds and how; 4: with the undecided rows; 3: with each value's origin; 2: sections
# as passages of plain text (1: as Markdown)


def key_of(source: SourceFile) -> str:
    material = json.dumps([source.sha256, PARSER_VERSION, FORM, dict(source.sidecar), list(source.region)],
                          ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _to_json(result: Report | Failure) -> dict:
    if isinstance(result, Failure):
        return {"kind": "failure", "reason": result.reason}
    return {
        "kind": "report", "title": result.title, "agency": result.agency, "year": result.year,
        "template": result.template, "tables": result.tables,
        "sections": {key: [[p.heading, [list(piece) for piece in p.pieces]] for p in prose]
                     for key, prose in result.sections.items()},
        "named_region": list(result.named_region),
        "statements": [{"figure": s.figure, "cells": list(s.cells), "value": s.value, "quote": s.quote, "use": s.use}
                       for s in result.statements],
        "warnings": [{"code": w.code, "where": w.where, "message": w.message, "severity": w.severity}
                     for w in result.warnings],
        "origins": {path: origin.to_json() for path, origin in result.origins.items()},
        "undecided": [{"cells": list(u.cells), "readings": [list(r) for r in u.readings]} for u in result.undecided],
    }


def _from_json(data: dict, source: SourceFile) -> Report | Failure:
    if data["kind"] == "failure":
        return Failure(source, data["reason"])
    sections = {key: tuple(Passage(tuple((text, bold) for text, bold in pieces), heading)
                           for heading, pieces in prose) for key, prose in data["sections"].items()}
    return Report(source, data["title"], data["agency"], data["year"], data["template"], sections,
                  data["tables"], tuple(Finding(**w) for w in data["warnings"]), (), tuple(data["named_region"]),
                  statements=tuple(Statement(s["figure"], tuple(s["cells"]), s["value"], s["quote"], s["use"])
                                   for s in data["statements"]),
                  origins={path: Origin.from_json(o) for path, o in data["origins"].items()},
                  undecided=tuple(Undecided(tuple(u["cells"]), tuple(tuple(r) for r in u["readings"]))
                                  for u in data["undecided"]))


class ParseCache:
    """Extraction results (before corrections and checks) by ``key_of(source)``."""

    def __init__(self, folder: Path = DEFAULT_DIR, enabled: bool = True):
        self.folder, self.enabled = folder, enabled

    def get(self, source: SourceFile) -> Report | Failure | None:
        if not self.enabled:
            return None
        path = self.folder / f"{key_of(source)}.json"
        try:
            return _from_json(json.loads(path.read_text(encoding="utf-8")), source)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or unreadable: parse again

    def put(self, source: SourceFile, result: Report | Failure) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{key_of(source)}.json"
        write_whole(path, json.dumps(_to_json(result), ensure_ascii=False).encode("utf-8"))
