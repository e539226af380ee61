"""A smoke check of the built site before it is deployed: it exists, it is whole, it is self-contained."""
from __future__ import annotations

import re
from pathlib import Path

from builder.ingest.sources import discover

# a URL to another host in an attribute or CSS url(); localhost is allowed (local previews)
_OUTSIDE = re.compile(r"""(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?//(?!localhost|127\.0\.0\.1)[^"'\s>]+"""
                      r"""|url\(\s*["']?(?:https?:)?//(?!localhost|127\.0\.0\.1)[^)"']+""", re.I)


def smoke_check(site_dir: Path, reports_dir: Path) -> list[str]:
    """Problems found in the built site (empty when it may be deployed)."""
    problems = []
    if not (site_dir / "index.html").is_file():
        problems.append(f"{site_dir}/index.html is missing: run `mkdocs build --strict` first")
    pages = [p for p in (site_dir / "reports").glob("*/index.html")] if (site_dir / "reports").is_dir() else []
    expected = len(discover(reports_dir))
    if len(pages) != expected:
        problems.append(f"{len(pages)} report pages in {site_dir}/reports/ but {expected} files in {reports_dir}/")
    for path in sorted(site_dir.rglob("*")):
        if path.suffix in {".html", ".css", ".js"} and path.is_file():
            m = _OUTSIDE.search(path.read_text(encoding="utf-8", errors="replace"))
            if m:
                problems.append(f"{path}: requests another host ({m.group()[:80]})")
    return problems
