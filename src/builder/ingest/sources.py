"""Find report files, their content hashes, and what the folders and sidecar say about them.

Layout: ``reports/<省>/<市>/<区县>/<file>``: the folders under reports/ are the region, province
first. A sidecar ``<file>.meta.yml`` beside a report may give ``region`` (list), ``agency``, ``year``
and ``url``; it is loaded with ``yaml.safe_load`` and overrides what the file and folders say.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from builder.errors import BadSidecar
from builder.models import SourceFile

SIDECAR_SUFFIXES = (".meta.yml", ".meta.yaml", ".corrections.yml", ".corrections.yaml")
IGNORED_NAMES = {"readme.md", "readme.txt", ".gitkeep", ".gitignore", ".ds_store", "thumbs.db", "desktop.ini"}
SIDECAR_KEYS = {"region", "agency", "year", "url"}


def discover(reports_dir: Path) -> list[Path]:
    """Every report file under ``reports_dir``, sorted; sidecars and READMEs are not reports."""
    files = []
    for path in sorted(reports_dir.rglob("*")):
        name = path.name.lower()
        if not path.is_file() or name in IGNORED_NAMES:
            continue  # a file named "..年报.pdf" is still a report: nothing is skipped for its name
        if name.endswith(SIDECAR_SUFFIXES):
            continue
        files.append(path)
    return files


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


def safe_yaml(text: str):
    """``yaml.safe_load``, with libyaml's C parser where PyYAML has it (ten times faster; still only
    plain data, never Python objects)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def read_sidecar(path: Path) -> dict:
    sidecar = path.with_name(path.name + ".meta.yml")
    if not sidecar.exists():
        return {}
    try:
        data = safe_yaml(sidecar.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise BadSidecar(sidecar, f"not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict):
        raise BadSidecar(sidecar, "must be a mapping of keys to values")
    unknown = set(data) - SIDECAR_KEYS
    if unknown:
        raise BadSidecar(sidecar, f"unknown keys {sorted(unknown)}; allowed: {sorted(SIDECAR_KEYS)}")
    if "region" in data and not (isinstance(data["region"], list) and all(isinstance(x, str) for x in data["region"])):
        raise BadSidecar(sidecar, "region must be a list of names, province first")
    return data


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
