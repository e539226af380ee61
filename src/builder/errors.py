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


class BadInput(PortalError):
    """A maintainer's file beside a report (sidecar, corrections) that is wrong: it stops the build."""

    def __init__(self, path: Path | str, problem: str, fix: str, line: int = 0):
        self.path, self.problem, self.fix, self.line = Path(path), problem, fix, line
        super().__init__(f"{path}{f', line {line}' if line else ''}: {problem} — {fix}")


class BadSidecar(BadInput):
    """``<report>.meta.yml`` is not valid YAML, has an unknown key or a value of the wrong type."""


class BadCorrection(BadInput):
    """An entry of ``<report>.corrections.yml`` names no cell of the report's format, lacks its value or
    reason, or gives a value the cell cannot hold."""


class InvalidInputs(PortalError):
    """The maintainer's input is wrong (a sidecar, a correction, a folder that is no region, a link, a file
    twice…): ``portal build`` stops before writing anything, one line for each problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        if len(problems) == 1:
            super().__init__(f"{problems[0]} (nothing was written)")
        else:
            super().__init__(f"{len(problems)} problems in reports/ to fix; nothing was written:\n"
                             + "\n".join(f"  {p}" for p in problems))
