"""When each report last changed: the time of the last commit of the file, its sidecar or its corrections.

One ``git log`` pass over the reports folder gives every file's last commit; a file with no history
(not committed yet, or no repository at all) has none, and the feeds then use ``SOURCE_DATE_EPOCH``
(render/feeds.py). Never the clock: the same repository gives the same times.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from builder.ingest.sources import SIDECAR_SUFFIXES, shown_path


def last_commits(folder: Path) -> dict[Path, int]:
    """{absolute path: commit time (seconds since 1970) of the newest commit touching it} for every
    file under ``folder`` that git knows; {} outside a repository or without git."""
    folder = folder.resolve()
    try:
        top = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, check=True).stdout.strip()
        log = subprocess.run(["git", "-c", "core.quotePath=false", "-C", top, "log", "--no-renames",
                              "--format=%x01%ct", "--name-only", "--", str(folder)],
                             capture_output=True, text=True, check=True, encoding="utf-8").stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    times: dict[Path, int] = {}
    current = 0
    for line in log.splitlines():
        if line.startswith("\x01"):
            current = int(line[1:])
        elif line:
            times.setdefault(Path(top, line), current)  # the log is newest first
    return times


def changed_at(files: list[Path], folder: Path) -> dict[Path, int]:
    """{a report's shown path (SourceFile.path): when it, its sidecar or its corrections last changed},
    for the files that have history."""
    commits = last_commits(folder)
    if not commits:
        return {}
    out = {}
    for path in files:
        full = path.resolve()
        found = [commits[p] for p in (full, *(full.with_name(full.name + s) for s in SIDECAR_SUFFIXES)) if p in commits]
        if found:
            out[shown_path(path)] = max(found)
    return out
