"""The site built by Zensical instead of MkDocs, as the Zensical workflow builds it, timed.

    nice .venv/bin/python benchmarks/zensical.py --reports 1000   # needs `pip install zensical`

N reports (benchmarks/scale.py's generator), `portal build`, then `zensical build --strict` twice (from
nothing, and again with its cache), `portal index site` and `portal smoke site`; for comparison, a clean
`mkdocs build --strict` of the same content. Prints one table; figures depend on the machine.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # noqa: E402


def timed(cmd: list[str], cwd: Path) -> tuple[float, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    if result.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return time.perf_counter() - start, result.stdout + result.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--texts-only", action="store_true", help="generate text reports only (quicker to extract)")
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    portal, mkdocs = str(bin_dir / "portal"), str(bin_dir / "mkdocs")
    work = Path(tempfile.mkdtemp(prefix="zensical-"))
    rows = []
    try:
        scale.checkout(work)
        for i in range(args.reports):
            scale.make_report(work / "reports", i, texts_only=args.texts_only)
        rows.append(("`portal build`", timed([portal, "build"], work)[0]))
        first, log = timed([sys.executable, "-m", "zensical", "build", "--strict"], work)
        warnings = [line for line in log.splitlines() if "warn" in line.lower()]
        rows.append(("`zensical build --strict`, from nothing", first))
        rows.append(("`zensical build --strict`, again (its cache)", timed([sys.executable, "-m", "zensical", "build",
                                                                              "--strict"], work)[0]))
        index_s, index_log = timed([portal, "index", "site"], work)
        rows.append((f"`portal index site` ({index_log.strip()})", index_s))
        rows.append(("`portal smoke site`", timed([portal, "smoke", "site"], work)[0]))
        shutil.rmtree(work / "site")
        rows.append(("for comparison: `mkdocs build --strict` (with its search index)",
                     timed([mkdocs, "build", "--strict", "-q"], work)[0]))
        version = subprocess.run([sys.executable, "-m", "zensical", "--version"], capture_output=True,
                                 text=True).stdout.strip()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.reports:,} reports{' (text only)' if args.texts_only else ''}; {version}; "
          f"warnings: {len(warnings)}{' — ' + warnings[0] if warnings else ''}\n")
    print("| step | seconds |\n|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.1f} |")


if __name__ == "__main__":
    main()
