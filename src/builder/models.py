"""The typed records passed between the stages: ingest → extract → validate → render → publish.

No stage reads another stage's files; each hands the next one of these. A table cell that the report
did not print, or that could not be placed with certainty, is ``None`` — never 0.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Mapping, Union

Value = Union[int, float, str, None]
Status = Literal["pass", "fail", "unverified"]
BlockKind = Literal["heading", "line", "table", "note"]


@dataclass(frozen=True)
class SourceFile:
    """One report file as found in reports/ (or named on the command line)."""

    path: Path  # as shown to people: relative to the reports root's parent when known
    sha256: str
    format: str  # "text", "markdown", "pdf", "docx", "html"
    region: tuple[str, ...] = ()  # province first, from folders or the sidecar
    sidecar: Mapping[str, object] = field(default_factory=dict)  # <file>.meta.yml, loaded safely

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Block:
    """Neutral content every input format turns its file into.

    ``line``: one physical line of text as the file gives it; ``heading``: a heading the file marks
    as such (Markdown ``#``, HTML ``<h2>``); ``table``: a grid of cell texts; ``note``: something the
    reader wants said about the file (e.g. a guessed encoding), which becomes a warning.
    """

    kind: BlockKind
    text: str = ""
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Document:
    source: SourceFile
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Finding:
    """A warning about the extraction: ``where`` is the dotted path of the table, row or cell."""

    code: str
    where: str
    message: str
    severity: Literal["info", "warning", "error"] = "warning"

    def to_json(self) -> dict:
        return {"code": self.code, "where": self.where, "message": self.message}


@dataclass(frozen=True)
class CheckResult:
    """One consistency rule (勾稽关系) judged over all its instances."""

    rule: str
    status: Status
    message: str
    failures: tuple[str, ...] = ()  # the instances that fail, e.g. "total" (a column)
    unverified: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"rule": self.rule, "status": self.status, "message": self.message}


Tables = dict[str, dict[str, dict[str, Value]]]


@dataclass(frozen=True)
class Report:
    """A parsed report: metadata, the six sections as Markdown, the three tables, and findings."""

    source: SourceFile
    title: str
    agency: str | None
    year: int | None
    template: str | None  # "2019" or "2021"
    sections: Mapping[str, str]
    tables: Tables
    warnings: tuple[Finding, ...] = ()
    checks: tuple[CheckResult, ...] = ()

    @property
    def region(self) -> tuple[str, ...]:
        return self.source.region


@dataclass(frozen=True)
class Failure:
    """A file in reports/ that could not be parsed: it is still listed, with its reason."""

    source: SourceFile
    reason: str
