"""The maintainer's own input (sidecars, corrections, where the files are put): wrong, it stops the build."""
from __future__ import annotations

from builder.models import Failure, Report

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
