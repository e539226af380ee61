"""The site from content/: `mkdocs build --strict`, re-rendering only what changed since the last build.

A page of the site is made from its Markdown, mkdocs.yml (the nav among it), the theme and the code:
nothing of the other pages (no cross-page anchors, titles or listings are read from them). So once a
complete build into site/ is recorded here (every source file of content/ with its digest, and a key
of the configuration, theme and code), the next build only needs to write the pages and files whose
source changed or is new: MkDocs' own dirty build does that, told exactly which by removing their
output first (rather than by modification times, which a checkout or a cache restore resets).
Everything else makes the build clean, as `mkdocs build --strict` is: no record, a different key, a
source file removed (its page and links must go), a build stopped half-way (the record is removed
when a build starts and written when it succeeds), or ``clean=True``. The search index is written by
the portal-search plugin either way, from its own cache of unchanged parts.

The key holds mkdocs.yml resolved, not only its bytes: the same file gives other pages when
PORTAL_SITE_URL (site_url: canonical links) or PORTAL_REPOSITORY_URL (extra: the footer's links)
differ. What changes with every commit must reach no page, or every build would be clean: the
footer's 数据更新于 date (SOURCE_DATE_EPOCH) is read only by an extra template, updated.js, which MkDocs
writes on every build, as it does sitemap.xml; the key leaves that one setting out (EVERY_BUILD_ONLY).

``site_differences`` proves the result: an incremental site/ and a clean one hold the same files with
the same bytes (`portal site --verify` builds both and compares them).
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from builder.errors import PortalError
from builder.files import folder_key, noted, read_record, under, write_record
from builder.ingest.sources import sha256_of
from builder.publish.memo import CODE_VERSION

log = logging.getLogger("mkdocs")
PACKAGES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jinja2", "pygments", "pagefind")
# MkDocs' messages on a dirty build, which is for development there (strict mode would count the warning);
# here it is told exactly what to write
DIRTY_MESSAGES = ("A 'dirty' build is being performed", "The directory contains stale files")
# Settings of extra that reach only files every build writes again, never a page: the 数据更新于 date
# (the commit's SOURCE_DATE_EPOCH) is read by content/updated.js, one of mkdocs.yml's
# extra_templates. In the key, a new commit's date would make every build clean.
EVERY_BUILD_ONLY = (("portal", "updated"),)
# Settings that say where the files are, or serve `mkdocs serve` only: no page holds them (the record is
# per site_dir; the source files are compared one by one)
NOT_OUTPUT = ("config_file_path", "docs_dir", "site_dir", "dev_addr", "watch")


@dataclass(frozen=True)
class SiteResult:
    site: Path
    files: int  # source files of the site (pages and others)
    written: int  # of them, those rendered or copied by this build (all of them when clean)
    clean: str | None  # why the build was clean, or None when incremental

    def __str__(self) -> str:
        how = f"clean build ({self.clean})" if self.clean else "incremental build"
        return f"{self.site}/: {how}, {self.written} of {self.files} source files rendered or copied"


def build_site(config_file: Path = Path("mkdocs.yml"), cache_dir: Path = Path(".cache/portal"),
               clean: bool = False) -> SiteResult:
    """Build the site of ``config_file`` (strict), incrementally when a complete earlier build allows."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    config = load_config(config_file=str(config_file), strict=True)
    site = Path(config.site_dir)
    record = cache_dir / f"site-{folder_key(site)}.json"
    previous = _read(record) if not clean else None
    record.unlink(missing_ok=True)  # a build stopped half-way leaves none: the next one is clean
    files = {f.src_uri: f for f in get_files(config)}
    sources = {uri: noted(Path(f.abs_src_path), (previous or {}).get("files", {}).get(uri), sha256_of)
               for uri, f in sorted(files.items())}
    key = site_key(config_file, config)
    reason = ("asked for" if clean else "no complete earlier build of this site recorded" if previous is None
              else "the configuration, theme or code changed" if previous.get("key") != key
              else "no built site in site_dir" if not (site / "index.html").is_file()
              else "a source file was removed" if set(previous["files"]) - set(sources) else None)
    written = len(sources)
    if reason is None:
        written = 0
        for uri, source in sources.items():
            output = Path(files[uri].abs_dest_path)
            if previous["files"].get(uri, [None])[-1] != source[-1] or not output.is_file():
                output.unlink(missing_ok=True)  # MkDocs' dirty build writes what has no output
                written += 1
            else:
                os.utime(output)  # newer than its source: kept
    with _without_dirty_warning():
        build(config, dirty=reason is None)
    write_record(record, {"key": key, "files": sources})
    return SiteResult(site, len(sources), written, reason)


def show_mkdocs_log() -> None:
    """MkDocs' messages on stderr, as `mkdocs build` prints them (its CLI sets this up, its API does not)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def site_key(config_file: Path, config) -> str:
    """What every page is made with: mkdocs.yml as written and as resolved (what !ENV, INHERIT and the
    defaults make of it: site_url, extra, the plugins' settings…), the theme (and its overrides), the
    packages that render pages, the builder's rendering code."""
    digest = hashlib.sha256(config_file.read_bytes() + CODE_VERSION.encode())
    digest.update(resolved_settings(config).encode())
    for package in PACKAGES:
        try:
            digest.update(f"{package}={version(package)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{package}=\0".encode())
    custom = config.theme.custom_dir
    for path in sorted(Path(custom).rglob("*")) if custom else []:
        if path.is_file():
            digest.update(path.relative_to(custom).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def resolved_settings(config) -> str:
    """The configuration as MkDocs resolved it, as JSON that is the same in every run (no object
    addresses), without the settings that reach no page (EVERY_BUILD_ONLY, NOT_OUTPUT)."""
    settings = {key: value for key, value in config.items() if key not in NOT_OUTPUT}
    settings["extra"] = extra = json.loads(json.dumps(settings.get("extra") or {}, default=_plain))
    for section, name in EVERY_BUILD_ONLY:
        if isinstance(extra.get(section), dict):
            extra[section].pop(name, None)
    return json.dumps(settings, default=_plain, sort_keys=True, ensure_ascii=False)


def _plain(value):
    """A resolved setting as JSON holds it: a theme, plugin or config section as its settings, a
    function by its name (and a partial's arguments), anything else as its text."""
    from mkdocs.plugins import BasePlugin
    from mkdocs.theme import Theme

    if isinstance(value, BasePlugin):
        return {"plugin": f"{type(value).__module__}.{type(value).__qualname__}", "config": dict(value.config)}
    if isinstance(value, Theme):
        return {"custom_dir": value.custom_dir, "static_templates": sorted(value.static_templates), **dict(value)}
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, functools.partial):
        return {"partial": _plain(value.func), "args": list(value.args), "keywords": value.keywords}
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{value.__module__}.{value.__qualname__}"
    if hasattr(value, "patterns"):  # not_in_nav, exclude_docs: a GitIgnoreSpec
        return [getattr(pattern, "pattern", str(pattern)) for pattern in value.patterns]
    return str(value)


def _read(record: Path) -> dict | None:
    data = read_record(record)
    return data if isinstance(data.get("files"), dict) else None


class _without_dirty_warning:
    def __enter__(self) -> None:
        self.logger = logging.getLogger("mkdocs.commands.build")
        self.filter = lambda record: not record.getMessage().startswith(DIRTY_MESSAGES)
        self.logger.addFilter(self.filter)

    def __exit__(self, *exc) -> None:
        self.logger.removeFilter(self.filter)


def site_differences(a: Path, b: Path) -> list[str]:
    """How two built sites differ: files only in one, files whose bytes differ (empty: the same site)."""
    files_a, files_b = set(under(a)), set(under(b))
    problems = [f"only in {a}/: {path}" for path in sorted(files_a - files_b)]
    problems += [f"only in {b}/: {path}" for path in sorted(files_b - files_a)]
    problems += [f"differs: {path}" for path in sorted(files_a & files_b) if not _same(a / path, b / path)]
    return problems


def _same(x: Path, y: Path) -> bool:
    return x.stat().st_size == y.stat().st_size and x.read_bytes() == y.read_bytes()


def verify_site(config_file: Path, cache_dir: Path) -> list[str]:
    """Build the site of ``config_file`` again, clean, into a temporary folder, and compare it with
    site/ as built: the differences (none when the incremental build is right)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file), strict=True)
    site = Path(config.site_dir)
    if not (site / "index.html").is_file():
        raise PortalError(f"{site}/index.html is missing: build the site first (`portal site`)")
    with tempfile.TemporaryDirectory(dir=site.parent, prefix=".portal-clean-") as tmp:
        config = load_config(config_file=str(config_file), strict=True, site_dir=tmp)
        build(config)
        return site_differences(site, Path(tmp))

