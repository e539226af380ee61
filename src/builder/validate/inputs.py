"""The maintainer's own input (sidecars, corrections, where files are put, what is committed twice):
wrong, it stops the build before anything is written, and fails `portal check`."""
from __future__ import annotations

from pathlib import Path

from builder.ingest.regions import misplaced, under
from builder.models import Failure, Report
from builder.validate.collection import collection_problems, known_of

# Findings the maintainer settles, never the report's own: a sidecar's year the title contradicts, a file
# put in another region's folder, or at a level above the county its agency names.
PLACEMENT = ("metadata.year_conflict", "metadata.region_conflict", "metadata.region_level")


def input_problems(results: list[Report | Failure], placed: bool = True) -> list[str]:
    """One message per invalid sidecar, correction entry or misplaced report, naming the file, the line
    (where there is one) and the fix; without ``placed``, a misplaced report is left to the line that
    names its folder (ingest/regions.py)."""
    problems = []
    for result in results:
        if isinstance(result, Failure):
            if result.kind == "input":
                problems.append(result.reason)
        else:
            problems += [w.message for w in result.warnings if w.code == "correction.invalid"]
            problems += [f"{result.source.path}: {w.message}" for w in result.warnings
                         if w.code in PLACEMENT and w.severity == "error" and (placed or w.code == PLACEMENT[0])]
    return problems


def located(paths: list[Path], results: list[Report | Failure]) -> list[Path]:
    """The files whose sidecar gives their region (``results`` in the order of ``paths``)."""
    return [path for path, result in zip(paths, results) if result.source.sidecar.get("region")]


def build_problems(paths: list[Path], results: list[Report | Failure], root: Path | None) -> list[str]:
    """What stops `portal build`, one line each: folders that are no region, invalid sidecars and
    corrections, misplaced reports (but under a folder already named), a file twice, one agency and
    year twice."""
    folders = misplaced(paths, root, located(paths, results))
    problems = list(folders.values())
    problems += [p for r in results for p in input_problems([r], placed=not under(r.source.path, folders))]
    return problems + collection_problems(known_of(r) for r in results)
