"""Rules over the whole collection, not one report: a file committed twice, or two files of one agency
and year. Either stops the build (and fails ``portal check``) with one line naming both files and the
fix, since publishing both would count the report twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from builder.errors import PortalError
from builder.extract import format_of
from builder.ingest.cache import ParseCache
from builder.ingest.sources import discover, name_metadata, sha256_of, shown_path, source_for
from builder.models import Failure, Report, SourceFile


@dataclass(frozen=True)
class Known:
    """What the collection rules need of one file: its content hash, and its (region, agency, year) where
    known (a file that could not be parsed only where its sidecar gives agency and year)."""

    path: Path
    sha256: str
    key: tuple | None


def known_of(result: Report | Failure) -> Known:
    source = result.source
    if isinstance(result, Report):
        key = (result.region, result.agency, result.year) if result.agency and result.year else None
    else:
        agency, year = source.sidecar.get("agency"), source.sidecar.get("year")
        key = (source.region, str(agency), int(year)) if agency and year else None
    return Known(source.path, source.sha256, key)


def collection_problems(mine: Iterable[Known], others: Iterable[Known] = (), across: bool = False) -> list[str]:
    """One line per file committed twice (the same bytes) and per agency and year given by two different
    files, among ``mine`` and between ``mine`` and ``others`` (the rest of reports/, for `portal check FILE`);
    with ``across``, only between them (keys read from file names, which match only their like)."""
    mine, others = list(mine), list(others)
    problems = []
    for sha, group in _groups(mine, others, lambda k: k.sha256 or None, across):
        problems.append(f"{_names(group)}: the same file {_times(group)} (byte for byte) — keep one of them")
    for key, group in _groups(mine, others, lambda k: k.key, across):
        if len({k.sha256 for k in group}) == 1:
            continue  # said above
        region, agency, year = key
        where = "/".join(region) or "地区未知"
        problems.append(f"{_names(group)}: {_times(group, 'reports')} of {agency} ({where}) for {year} — keep one of "
                        "them; if they are different agencies, give each its full name in a sidecar (`agency:` in "
                        "<file>.meta.yml)")
    return problems


def _names(group: list[Known], shown: int = 4) -> str:
    """The files, sorted; past ``shown``, how many more (one line stays readable)."""
    names = sorted(str(k.path) for k in group)
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return " and ".join(names[:shown]) + more


def _times(group: list[Known], what: str = "") -> str:
    count = {2: "two", 3: "three"}.get(len(group), str(len(group)))
    return f"{count} {what}" if what else ("twice" if len(group) == 2 else f"{count} times")


def _groups(mine: list[Known], others: list[Known], key_of, across: bool) -> list[tuple]:
    """(key, files) for each key two or more files share, at least one of them in ``mine`` (and, with
    ``across``, one not)."""
    groups: dict = {}
    for known in [*mine, *others]:
        key = key_of(known)
        if key is not None:
            groups.setdefault(key, []).append(known)
    mine_paths = {k.path for k in mine}
    out = []
    for key, group in groups.items():
        unique = list({k.path: k for k in group}.values())  # a file given twice is one file
        if len(unique) > 1 and any(k.path in mine_paths for k in unique) and \
                (not across or any(k.path not in mine_paths for k in unique)):
            out.append((key, unique))
    return sorted(out, key=lambda kv: sorted(str(k.path) for k in kv[1]))


def named_key(source: SourceFile) -> tuple | None:
    """(region, agency, year) as the sidecar and the file's name give them, or None."""
    agency, year = name_metadata(source)
    return (source.region, agency, year) if agency and year else None


def known_elsewhere(root: Path, mine: set[Path], cache: ParseCache | None) -> list[Known]:
    """What `portal check FILE` knows of every other report file under ``root`` (but ``mine``, as shown),
    without parsing it: its sha256, and its region, agency and year as the build's parse cache has them
    (read only), else as its sidecar and file name say."""
    out = []
    for path in discover(root):
        shown = shown_path(path)
        if shown in mine:
            continue
        try:
            source = source_for(path, format_of(path.suffix))
        except PortalError:  # its own sidecar is wrong: its own check says so
            source = SourceFile(shown, sha256_of(path), format_of(path.suffix) or "")
        cached = cache.get(source) if cache else None
        out.append(known_of(cached) if cached else Known(source.path, source.sha256, named_key(source)))
    return out
