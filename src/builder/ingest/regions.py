"""Which folders under reports/ are regions: each must be one, or the build stops naming it.

A folder is a region when it is
- a division of the gazetteer (extract/gazetteer.py) directly below its parent folder, in any year
  it existed (江苏省/淮安市/洪泽县 and 江苏省/淮安市/洪泽区 both are);
- a zone or township below a region (a name ending in 实验区, 开发区, 高新区, 新区, 度假区, 园区, 管理区,
  街道, 乡 or 镇: 福建省/平潭综合实验区);
- or listed by a maintainer in ``reports/regions.yml``, a list of folder paths under reports/:

      - 山东省/淄博市/文昌湖区      # 淄博文昌湖省级旅游度假区: not in the gazetteer

A folder named for a year (2020, 2020年) or like an agency (…局, …委, …办, …厅, …中心) is never a region:
the year and the agency come from the report's title or its sidecar, not from folders. Where a
report's sidecar gives its region, its folders are not its region (and only such a folder is wrong).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import yaml

from builder.extract.gazetteer import is_division, placed
from builder.ingest.sources import REGIONS_FILE, region_from_folders, shown_path
from builder.ingest.sidecars import NAME, NAME_RULE, Refused, TooLarge, item_lines, read_text, safe_yaml

ZONES = ("实验区", "开发区", "高新区", "新区", "度假区", "园区", "管理区", "街道", "乡", "镇")
AGENCY_ENDINGS = ("局", "委", "办", "厅", "中心", "院", "所", "站", "队", "署", "馆", "会", "政府", "办公室", "处",
                  "公司", "集团")
_YEAR = re.compile(r"(?:19|20)\d\d\s*年?度?")
EXAMPLE = "山东省/淄博市/文昌湖区"


def reports_root(path: Path) -> Path | None:
    """The nearest folder named ``reports`` at or above ``path``, where regions.yml is read."""
    path = Path(path).resolve()
    for folder in (path, *path.parents):
        if folder.name == "reports":
            return folder
    return None


def listed_regions(root: Path) -> tuple[set[tuple[str, ...]], list[str]]:
    """(the regions reports/regions.yml lists, one line per problem in it)."""
    file = shown_path(root / REGIONS_FILE)
    if file.is_symlink():
        return set(), [f"{file}: a symbolic link — commit the file itself in its place (links are never followed)"]
    if not file.is_file():
        return set(), []
    fix = f"write one folder path under reports/ a line, e.g. `- {EXAMPLE}`"
    try:
        text = read_text(file)
        entries = safe_yaml(text)
    except UnicodeDecodeError:
        return set(), [f"{file}: not UTF-8 — save it as UTF-8"]
    except TooLarge:
        return set(), [f"{file}: over 1 MB, not a list of regions — {fix}"]
    except Refused as exc:
        return set(), [f"{file}, line {exc.line}: {exc.problem} — {fix}"]
    except (yaml.YAMLError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        return set(), [f"{file}{f', line {mark.line + 1}' if mark else ''}: not valid YAML — {fix}"]
    if entries is None:
        return set(), []
    if not isinstance(entries, list):
        return set(), [f"{file}, line 1: must be a list of folder paths — {fix}"]
    lines = item_lines(text)
    listed, problems = set(), []
    for n, entry in enumerate(entries):
        names = tuple(entry.split("/")) if isinstance(entry, str) else ()
        if not names or not all(NAME.fullmatch(name) for name in names):
            line = lines[n] if n < len(lines) else 0
            problems.append(f"{file}{f', line {line}' if line else ''}: not a folder path of names ({NAME_RULE} "
                            f"each, separated by /) — {fix}")
            continue
        listed.add(names)
    return listed, problems


def folder_problems(files: Iterable[Path], root: Path | None = None, located: Iterable[Path] = ()) -> list[str]:
    """One line per folder under reports/ that is not a region (the first such in each path), naming it
    and the fix; and the problems of reports/regions.yml. ``located``: the files whose sidecar gives
    their region (their folders are then no region of theirs: only a year or agency folder is wrong)."""
    return list(misplaced(files, root, located).values())


def misplaced(files: Iterable[Path], root: Path | None = None,
              located: Iterable[Path] = ()) -> dict[tuple[str, ...], str]:
    """{folder that is not a region (or (regions.yml, n) for its problems): the line naming it and the fix}."""
    files = list(files)
    by_sidecar = {Path(f).resolve() for f in located}
    needed: dict[tuple[str, ...], bool] = {}  # chain → some file there takes its region from the folders
    for f in files:
        chain = region_from_folders(f)
        needed[chain] = needed.get(chain, False) or Path(f).resolve() not in by_sidecar
    chains = sorted(set(needed) - {()})
    if not chains:
        return {}
    base = root or reports_root(files[0].parent) or Path("reports")
    listed, listing = listed_regions(base)
    problems = {(REGIONS_FILE, str(n)): line for n, line in enumerate(listing)}
    verdicts: dict[tuple[str, ...], tuple[str, str]] = {}
    for chain in chains:
        for depth in range(1, len(chain) + 1):
            folder = chain[:depth]
            if folder not in verdicts:
                verdicts[folder] = _problem(folder, listed)
            kind, problem = verdicts[folder]
            if problem and (kind != "unknown" or any(needed[c] for c in chains if c[:depth] == folder)):
                problems[folder] = f"{Path('reports', *folder).as_posix()}/: {problem}"
                break
    return problems


def under(path: Path, folders: dict[tuple, str]) -> bool:
    """Whether the file is in (or below) one of ``misplaced``'s folders."""
    chain = region_from_folders(path)
    return any(chain[:len(folder)] == folder for folder in folders if folder and folder[0] != REGIONS_FILE)


def _problem(folder: tuple[str, ...], listed: set[tuple[str, ...]]) -> tuple[str, str]:
    """(year | agency | unknown, what is wrong with the last folder of ``folder`` and the fix), or ("", "")."""
    *parent, name = folder
    parent = tuple(parent)
    if _YEAR.fullmatch(name):
        return "year", (f"'{name}' is a year, not a region — move its files up into the region's folder; a report's "
                        f"year comes from its title, or `year:` in its .meta.yml")
    if is_division(parent, name) or folder in listed:
        return "", ""
    if name.endswith(AGENCY_ENDINGS):
        return "agency", (f"'{name}' is an agency's name, not a region — move its files up into the folder of the "
                          f"agency's region; the agency comes from the report's title, or `agency:` in its .meta.yml")
    if parent and any(name.endswith(zone) and len(name) > len(zone) for zone in ZONES):
        return "", ""
    elsewhere = [r for r in placed(name) if r != folder]
    hint = f" (the gazetteer has {' and '.join('/'.join(r) for r in elsewhere[:4])})" if elsewhere else ""
    under = "/".join(parent) if parent else "reports/"
    return "unknown", (f"'{name}' is not a region under {under}{hint} — put the files in their region's folder "
                       f"(reports/<省>/<市>/<区县>/), or give the region in their .meta.yml (`region:`); if it is a "
                       f"region the gazetteer lacks, add `- {'/'.join(folder)}` to reports/{REGIONS_FILE}")
