"""One small exception tree. Every message names the file, what is wrong and what to do."""
from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
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


class CannotWrite(PortalError):
    """The build could not write (or read) a file for a reason of the machine's, not of the reports: a
    full disk, a read-only folder. One line: the file, what happened and what to do."""

    FIXES = {
        errno.ENOSPC: "could not write: no space left on the device — free some space (the build needs room for content/, the "
                      "cache and the site) or give --content/--cache on another disk, then build again",
        errno.EDQUOT: "could not write: the disk quota is used up — free some space or give --content/--cache elsewhere, then "
                      "build again",
        errno.EROFS: "could not write: the file system is read-only — build in a writable checkout, or give --content/--cache "
                     "on a writable disk",
        errno.EACCES: "could not write: permission denied — make the folder writable for this user, or give --content/--cache "
                      "elsewhere",
        errno.EPERM: "could not write: not permitted — make the folder writable for this user, or give --content/--cache elsewhere",
    }

    def __init__(self, error: OSError):
        where = error.filename or "a file"
        fix = self.FIXES.get(error.errno or 0, f"{error.strerror or error} — check it and build again")
        super().__init__(f"{where}: {fix}")


@contextmanager
def os_errors_as_one_line() -> Iterator[None]:
    """A full disk or a read-only folder met inside the block ends it as CannotWrite: one line, no traceback."""
    try:
        yield
    except OSError as exc:
        raise CannotWrite(exc) from exc
