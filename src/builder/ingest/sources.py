"""Find report files, their content hashes, and what the folders and sidecar say about them.

Layout: ``reports/<省>/<市>/<区县>/<file>``: the folders under reports/ are the region, province
first. A sidecar ``<file>.meta.yml`` beside a report may give ``region`` (list), ``agency``, ``year``,
``url`` and ``published``; it is checked in ``sidecars.py`` and overrides what the file and folders say.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

from builder.ingest.sidecars import read_sidecar
from builder.models import SourceFile

SIDECAR_SUFFIXES = (".meta.yml", ".meta.yaml", ".corrections.yml", ".corrections.yaml")
REGIONS_FILE = "regions.yml"  # reports/regions.yml: regions the gazetteer lacks (ingest/regions.py)
IGNORED_NAMES = {"readme.md", "readme.txt", ".gitkeep", ".gitignore", ".ds_store", "thumbs.db", "desktop.ini"}


def discover(reports_dir: Path) -> list[Path]:
    """Every report file under ``reports_dir``, sorted; sidecars, READMEs, ``regions.yml`` and what
    ``refused`` lists are not reports."""
    return scan(reports_dir)[0]


def scan(reports_dir: Path) -> tuple[list[Path], list[str]]:
    """(every report file under ``reports_dir``, sorted; one line per entry that is refused): a symbolic
    link (to a file or a folder) is never followed, read or published, nor is a device, pipe or socket."""
    files, refused = [], []
    for folder, dirs, names in os.walk(reports_dir):  # a link to a folder is listed, never entered
        for name in sorted([*dirs, *names]):
            path = Path(folder, name)
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                refused.append(f"{path}: a symbolic link — commit the file itself in its place (links are never "
                               "followed or published)")
            elif not stat.S_ISDIR(mode) and not stat.S_ISREG(mode):
                refused.append(f"{path}: not a regular file (a device, pipe or socket) — remove it")
            elif stat.S_ISREG(mode) and _is_report(path, reports_dir):
                files.append(path)
        dirs[:] = [d for d in dirs if not Path(folder, d).is_symlink()]
    return sorted(files), refused


def refused_path(path: Path) -> str:
    """Why ``portal check`` does not read a file it is given ("" if it does): a link, or reached through one."""
    if path.is_symlink() or os.path.realpath(path) != os.path.abspath(path):
        return (f"{path}: a symbolic link, or inside a linked folder — commit the file itself in its place (links "
                "are never followed or published)")
    if not path.is_file():
        return f"{path}: not a regular file (a device, pipe or socket) — remove it"
    return ""


def _is_report(path: Path, reports_dir: Path) -> bool:
    name = path.name.lower()
    if name in IGNORED_NAMES or name.endswith(SIDECAR_SUFFIXES):
        return False  # a file named "..年报.pdf" is still a report: nothing else is skipped for its name
    return not (name == REGIONS_FILE and path.parent == reports_dir)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def region_from_folders(path: Path) -> tuple[str, ...]:
    """The folders between the nearest ``reports`` folder and the file; () outside reports/."""
    parts = path.resolve().parent.parts
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] == "reports":
            return tuple(parts[i + 1:])
    return ()


def shown_path(path: Path) -> Path:
    """The path as people see it: relative to the working folder (the repository root) when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()) if path.is_absolute() else path
    except ValueError:
        return path


def source_for(path: Path, format_name: str | None) -> SourceFile:
    path = shown_path(path)
    sidecar = read_sidecar(path)
    region = tuple(sidecar.get("region") or region_from_folders(path))
    return SourceFile(path=path, sha256=sha256_of(path), format=format_name or "", region=region,
                      sidecar=sidecar)


_HAN = "\u4e00-\u9fff"
_AGENCY = rf"[{_HAN}（）()·]{{2,40}}?(?:人民政府|政府|办公室|委员会|管委会|局|委|办|厅|院|中心|所|站|队|署|馆|区|县|市)"
_NAMED = (re.compile(rf"(?P<agency>{_AGENCY})(?P<year>(?:19|20)\d\d)\s*年"),
          re.compile(rf"(?P<year>(?:19|20)\d\d)\s*年度?(?P<agency>{_AGENCY})(?:政府|政务)?(?:信息公开|年度报告|年报|工作)"))


def name_metadata(source: SourceFile) -> tuple[str | None, int | None]:
    """(agency, year) of a file that could not be parsed, from its sidecar, else its name
    (清江浦区人民政府2023年年报.docx → 清江浦区人民政府, 2023), so that it is listed under them."""
    agency, year = source.sidecar.get("agency"), source.sidecar.get("year")
    for pattern in _NAMED:
        m = pattern.search(source.path.stem)
        if m:
            agency, year = agency or m.group("agency"), year or int(m.group("year"))
            break
    return (str(agency) if agency else None), (int(year) if year else None)
