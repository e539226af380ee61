"""Time and peak memory of `portal check` and `portal build` on each hostile maintainer input.

    .venv/bin/python benchmarks/hostile_maintainer.py
    .venv/bin/python benchmarks/hostile_maintainer.py --case "YAML aliases in sidecar year"

The cases are tests/maintainer_cases.py's (tests/test_adversarial_maintainer.py asserts what happens:
exit 1, one line, nothing written); each run is a fresh `portal` process under the same ceiling (3 GB
of address space, 120 s), its peak resident memory taken from the kernel (wait4). A billion-laughs
sidecar of a few hundred bytes must fail in about the time and memory of the base tree, not in
gigabytes. Figures depend on the machine.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from maintainer_cases import CASES, Case, build_args, check_args, laughs, make_base, portal  # noqa: E402


def measure(case: Case | None) -> tuple[str, list[str]]:
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        root = Path(tmp)
        reports = make_base(root)
        if case is None:
            runs = [("check", ["check", "reports"]), ("build", build_args(root))]
        else:
            named = case.setup(reports)
            runs = [("check", check_args(case, named, reports)), ("build", build_args(root))]
        cells = []
        for label, args in runs:
            result, seconds, peak = portal(root, *args)
            cells.append(f"{label} exit {result.returncode} {seconds:5.1f} s {peak / 2 ** 20:6.0f} MB")
        return case.name if case else "(the base tree, valid)", cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", help="only the case of this name")
    args = parser.parse_args()
    cases = [c for c in CASES if args.case in (None, c.name)]
    print(f"billion laughs: {len(laughs())} bytes, {9 ** 9:,} strings if expanded")
    for case in [None, *cases] if args.case is None else cases:
        name, cells = measure(case)
        print(f"{name:42} " + " | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
