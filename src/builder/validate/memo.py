"""The checks of a report that has not changed since the last build are not worked out again.

A report's checks depend only on what its file and sidecar gave (the parse cache's key), its
``.corrections.yml`` and the rules' own code. At 10,000 reports the rules took 15 of an incremental
build's 52 seconds, for the same results as the build before. ``CheckMemo`` keeps, beside the parse
cache, the checks of every report of the last build by a key of those inputs; a report whose key is
there takes them as they were, any other is checked (and remembered for the next build).
"""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from builder.files import code_digest, read_record, write_record
from builder.ingest.cache import key_of
from builder.ingest.corrections import corrections_file
from builder.ingest.sources import sha256_of
from builder.models import CheckResult, Contradiction, Report
from builder.validate.rules.text import prose_differences

# The rules, the equations and wording of the formats they judge, and the models they make.
VALIDATE_CODE = ("validate", "extract/templates.py", "extract/statements.py", "models.py", "__init__.py")
CODE_VERSION = code_digest(VALIDATE_CODE)


def _to_json(check: CheckResult) -> dict:
    return dataclasses.asdict(check)


def _from_json(data: dict) -> CheckResult:
    return CheckResult(data["rule"], data["status"], data["message"], tuple(data["failures"]),
                       tuple(data["unverified"]), tuple(
                           Contradiction(c["rule"], c["instance"], tuple(c["left"]), tuple(c["right"]), c["note"])
                           for c in data["contradictions"]))


class CheckMemo:
    """{key of a report's inputs: its checks} of the last build's reports, in ``cache_dir``."""

    def __init__(self, cache_dir: Path, enabled: bool = True):
        self.path = cache_dir / "checks.json"
        self.previous: dict[str, list[dict]] = read_record(self.path) if enabled else {}  # {}: check every report
        self.current: dict[str, list[dict]] = {}

    @staticmethod
    def key(report: Report) -> str:
        """The parse's key (the file, its sidecar and region, the parser), the corrections file's digest
        and the rules' code."""
        corrections = corrections_file(report.source.path)
        regular = corrections.is_file() and not corrections.is_symlink()  # a link is refused, never read
        material = "\0".join((key_of(report.source), sha256_of(corrections) if regular else "",
                              CODE_VERSION))
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def checked(self, report: Report, check) -> Report:
        """``check(report)``, or the report with the checks remembered for its key. ``report`` has its
        corrections applied (the key names the file they came from)."""
        key = self.key(report)
        remembered = self.previous.get(key)
        if remembered is not None:
            try:
                checks = tuple(_from_json(c) for c in remembered)
            except (KeyError, TypeError):
                pass  # an unreadable entry: check the report again
            else:
                self.current[key] = remembered
                return dataclasses.replace(report, checks=checks, differences=prose_differences(report))
        report = check(report)
        self.current[key] = [_to_json(c) for c in report.checks]
        return report

    def save(self) -> None:
        """Called once every report is checked: the memo then holds this build's reports only."""
        write_record(self.path, self.current)
