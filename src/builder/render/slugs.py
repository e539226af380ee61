"""Page names for reports: readable, deterministic, unique, safe in URLs and file names."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath

from builder.models import SourceFile

# Characters with a meaning in URLs, Markdown links, shells or some file system, and control characters.
_UNSAFE = re.compile(r"[\x00-\x20\x7f/\\?#%&:*\"'<>|\[\](){}+!@$^=;,`~\u3000]+")
_RESERVED = {"index"}  # reports/index.md is the list of all reports
_MAX_LENGTH = 80


def clean_slug(text: str) -> str:
    slug = _UNSAFE.sub("-", text).strip("-.")
    return slug[:_MAX_LENGTH].rstrip("-.") or "report"


def base_slug(source: SourceFile, agency: str | None, year: int | None) -> str:
    if agency and year:
        return clean_slug(f"{year}-{agency}")
    return clean_slug(PurePosixPath(source.path.as_posix()).stem)


def source_key(source: SourceFile) -> str:
    return source.path.as_posix()


def assign_slugs(entries: list[tuple[SourceFile, str]]) -> dict[str, str]:
    """Map each source (by ``source_key``) to a unique slug, given each one's base slug.

    Entries must come in a deterministic order. A short sha256 prefix is appended only to the slugs
    that collide; comparison ignores case, as some file systems do.
    """
    by_base: dict[str, list[SourceFile]] = defaultdict(list)
    for source, base in entries:
        by_base[base.casefold()].append(source)
    bases = {source_key(source): base for source, base in entries}

    slugs: dict[str, str] = {}
    taken: set[str] = set(_RESERVED)
    for source, base in entries:
        key = source_key(source)
        slug = bases[key]
        if len(by_base[base.casefold()]) > 1 or slug.casefold() in _RESERVED:
            slug = f"{slug}-{source.sha256[:8]}"
        candidate, n = slug, 2
        while candidate.casefold() in taken:  # same content in two places
            candidate, n = f"{slug}-{n}", n + 1
        taken.add(candidate.casefold())
        slugs[key] = candidate
    return slugs
