"""The maintainer's own files beside the reports (sidecars, corrections): wrong ones stop the build."""
from __future__ import annotations

from builder.models import Failure, Report


def input_problems(results: list[Report | Failure]) -> list[str]:
    """One message per invalid sidecar or correction entry, naming the file, the line and the fix."""
    problems = []
    for result in results:
        if isinstance(result, Failure):
            if result.kind == "input":
                problems.append(result.reason)
        else:
            problems += [w.message for w in result.warnings if w.code == "correction.invalid"]
    return problems
