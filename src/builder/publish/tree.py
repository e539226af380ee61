"""Write the generated part of content/: only changed files are rewritten, stale ones removed.

Generated areas are content/index.md and the folders reports/, data/, files/, agencies/, regions/,
years/, stats/, quality/, compare/, rankings/, downloads/, glossary/; every other file in content/ is
written by hand and never touched. Every page is the index.md of a folder of its own (entries.page_file).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from builder.errors import PortalError
from builder.files import write_whole
from builder.publish.memo import UNCHANGED

GENERATED_DIRS = ("reports", "data", "files", "agencies", "regions", "years", "stats", "quality", "compare",
                  "rankings", "downloads", "glossary")
GENERATED_FILES = ("index.md",)
# where earlier versions wrote pages that are now folders of their own: removed when a build finds them
FORMER_FILES = ("stats.md", "quality.md", "downloads.md", "glossary.md")


def is_generated(relative: str) -> bool:
    parts = PurePosixPath(relative).parts
    if not parts or any(p in ("", ".", "..") for p in parts) or PurePosixPath(relative).is_absolute():
        return False
    return relative in GENERATED_FILES + FORMER_FILES or (len(parts) > 1 and parts[0] in GENERATED_DIRS)


def hand_written_files(content_dir: Path) -> list[Path]:
    """The files of content/ written by hand (pages, assets, templates): all those outside the generated areas."""
    return sorted(path for path in content_dir.rglob("*")
                  if path.is_file() and not is_generated(path.relative_to(content_dir).as_posix()))


def write_tree(content_dir: Path, pages: dict[str, str | bytes | object], files: dict[str, Path]) -> None:
    """Make content/'s generated areas hold exactly ``pages`` (text, bytes written as they are, or
    ``UNCHANGED``: the file there is kept) and ``files`` (copied originals)."""
    outside = sorted(p for p in [*pages, *files] if not is_generated(p))
    if outside:
        raise PortalError(_outside(outside, content_dir))
    tree = TreeWriter(content_dir)
    for relative, text in pages.items():
        tree.put(relative, text)
    tree.finish(files)


class TreeWriter:
    """content/'s generated areas written a page at a time, as pages are made (``put``), then the
    originals copied and what no page or original of this build is removed (``finish``)."""

    def __init__(self, content_dir: Path):
        self.content_dir = content_dir
        self.wanted: set[str] = set()

    def put(self, relative: str, text: str | bytes | object) -> None:
        """Write one page (text, bytes as they are, or ``UNCHANGED``: the file there is kept)."""
        if not is_generated(relative):
            raise PortalError(_outside([relative], self.content_dir))
        self.wanted.add(relative)
        if text is UNCHANGED:
            return
        data = text if isinstance(text, bytes) else text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
        write_bytes(self.content_dir, self.content_dir / relative, data)

    def finish(self, files: dict[str, Path]) -> None:
        outside = sorted(p for p in files if not is_generated(p))
        if outside:
            raise PortalError(_outside(outside, self.content_dir))
        for relative, source in files.items():
            copy_file(self.content_dir, source, self.content_dir / relative)
        remove_stale(self.content_dir, self.wanted | set(files))


def _outside(paths: list[str], content_dir: Path) -> str:
    return (f"refusing to write {', '.join(paths)} in {content_dir}: generated pages may only go to "
            f"{', '.join(GENERATED_FILES + GENERATED_DIRS)}")


def write_bytes(content_dir: Path, target: Path, data: bytes) -> None:
    if target.is_file() and target.read_bytes() == data:
        return
    prepare(content_dir, target)
    write_whole(target, data)


def copy_file(content_dir: Path, source: Path, target: Path) -> None:
    if not source.is_file():
        raise PortalError(f"{source}: the original report file is missing — was it moved while building?")
    if target.is_file() and same_file(source, target):
        return
    prepare(content_dir, target)
    write_whole(target, copy_of=source)  # with the original's modification time: see same_file


def same_file(source: Path, copy: Path) -> bool:
    """Whether ``copy`` is still a copy of ``source``: same size and modification time (copies are made
    with the original's). Comparing the bytes would read every original twice on every build."""
    a, b = source.stat(), copy.stat()
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


def prepare(content_dir: Path, target: Path) -> None:
    """Make way for a file at ``target``: parent folders exist, no file or folder stands in the way."""
    inside = target.relative_to(content_dir).parents
    for parent in reversed([content_dir / p for p in inside if p != Path(".")]):
        if parent.is_file() or parent.is_symlink():
            parent.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)


def remove_stale(content_dir: Path, wanted: set[str]) -> None:
    for name in GENERATED_FILES + FORMER_FILES:
        if name not in wanted and (content_dir / name).is_file():
            (content_dir / name).unlink()
    for area in GENERATED_DIRS:
        root = content_dir / area
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root, topdown=False):
            folder = Path(dirpath)
            for filename in filenames:
                path = folder / filename
                if path.relative_to(content_dir).as_posix() not in wanted:
                    path.unlink()
            if folder != root and not any(folder.iterdir()):
                folder.rmdir()
