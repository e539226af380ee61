"""One small exception tree. Every message names the file, what is wrong and what to do."""
from __future__ import annotations

from pathlib import Path

import click


class PortalError(click.ClickException):
    """An error the CLI prints as one clean line."""


class UnreadableReport(PortalError):
    """A report file that cannot be turned into text at all."""

    def __init__(self, path: Path | str, reason: str, fix: str = ""):
        self.path, self.reason, self.fix = Path(path), reason, fix
        super().__init__(f"{path}: {reason}" + (f" — {fix}" if fix else ""))


class BadSidecar(PortalError):
    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason} — fix the YAML (see README, 'Adding a report')")
