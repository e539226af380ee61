"""The files of a folder as the builds see them: listed quickly, and noted by size and modification time.

A note is ``[size, mtime_ns, digest]``. A file whose size and time are the noted ones is taken to hold
what it held then, as make and git take it (a checkout or a restored actions/cache keeps the times; a
POSIX tar to the nanosecond), so a build reads again only the files that changed: `portal site` its
sources in content/, the search index the built pages.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.errors import PortalError


def folder_key(folder: Path) -> str:
    """A short name for ``folder`` (its absolute path, hashed): a cache keeps one record per folder."""
    return hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]


def under(folder: Path) -> Iterator[str]:
    """Every file under ``folder``, as a path relative to it ("a/b.html"), in no set order. os.walk:
    a tenth of rglob's time over a site's 40,000 files."""
    for here, _, names in os.walk(folder):
        relative = Path(here).relative_to(folder).as_posix()
        yield from (names if relative == "." else (f"{relative}/{name}" for name in names))


def noted(path: Path, previous: object, digest: Callable[[Path], str]) -> list:
    """The note of ``path``: ``previous`` when it notes the same size and time, else a new one, for which
    ``digest(path)`` reads the file."""
    stat = path.stat()
    stamp = [stat.st_size, stat.st_mtime_ns]
    if isinstance(previous, list) and len(previous) == 3 and previous[:2] == stamp:
        return previous
    return [*stamp, digest(path)]


def read_record(path: Path) -> dict:
    """A record a build left in its cache (JSON); {} when it is missing, unreadable or not ours: then
    nothing is taken from it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_record(path: Path, data: dict) -> None:
    """``data`` as the record at ``path``, whole or not at all (a build stopped mid-write leaves the old
    record or none, never half of one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_whole(path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def temporary_name(path: Path) -> Path:
    """Where ``path`` is written before it is moved into place: beside it (the same file system), named
    for this process, so that two processes writing one file never take each other's."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_whole(path: Path, data: bytes | None = None, copy_of: Path | None = None) -> None:
    """``data`` (or a copy of the file ``copy_of``, with its times) at ``path``, whole or not at all: readers
    never see half a file, and a write that fails (a full disk) leaves no temporary file behind."""
    temporary = temporary_name(path)
    try:
        if copy_of is not None:
            shutil.copy2(copy_of, temporary)
        else:
            temporary.write_bytes(data or b"")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        if exc.filename is None:  # a write that fails (ENOSPC) names no file: say which one
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_temporaries(folder: Path) -> None:
    """The temporary files a killed process left in ``folder`` (only while no other build can be writing
    there: under ``build_lock``)."""
    for stray in folder.glob(".*.tmp") if folder.is_dir() else ():
        stray.unlink(missing_ok=True)


@contextmanager
def build_lock(cache_dir: Path) -> Iterator[None]:
    """Held while a build runs: a second build over the same cache folder stops at once, with a line that
    says so. An flock, which the system releases when its process ends, however it ends (a killed build
    never blocks the next one)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with open(cache_dir / "build.lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PortalError(f"{cache_dir}: another build (portal build or portal site) is running over this "
                              f"folder (it holds {cache_dir / 'build.lock'}) — wait for it to finish, or stop "
                              f"it") from None
        yield


def code_digest(parts: tuple[str, ...]) -> str:
    """A hash of the builder's own code under ``parts`` (folders and files of the package, e.g. "render",
    "models.py"; its .py and .j2 files): a cache of what that code made is void once the hash differs."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    files = [p for part in parts for p in ((package / part).rglob("*") if (package / part).is_dir()
                                           else [package / part])]
    for path in sorted(p for p in files if p.suffix in {".py", ".j2"}):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
