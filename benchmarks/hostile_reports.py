"""Time and memory of hostile report files: each refused (or its cell unknown) in bounded time and memory.

    .venv/bin/python benchmarks/hostile_reports.py

Each case runs `portal extract FILE` (one file, in this process's child, no pool) or `portal build` in a
fresh process; the figures are its wall time and the peak resident memory of the largest process it ran
(RUSAGE_CHILDREN of a wrapper process, so the build's workers count too). tests/test_adversarial_reports.py
runs the same files under a 3 GB ceiling and asserts only the outcome.

Measured 2026-12-07 on the 2-core machine shared with seven other builds (load average 17):

    case                                                        seconds  peak MB  outcome
    portal extract reference.docx                                   3.2       77  read
    portal extract bomb-1GB.docx                                    3.0       71  refused
    portal extract bomb-1GB-declared-40KB.docx                      3.0       74  refused
    portal extract bomb-1GB.pdf                                     4.7      327  refused
    portal extract text-50MB.txt                                    4.8       72  refused
    portal extract text-4.9MB.txt                                   9.5      223  read
    portal extract huge-number.docx                                 6.0       77  read
    portal build, 3 text reports                                    7.0       81  exit 0
    the same, one report killing its worker every time              7.7       81  exit 0

Before the bounds: the 1 GB docx took 2.2 GB, the one declaring 40 KB 2.1 GB and 13 s, the PDF 2.1 GB and
77 s, a 50 MB text 2 GB; a killed worker ended the build with a BrokenProcessPool traceback.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from test_adversarial_reports import REPORTS, huge_docx, lying_sizes, pdf_bomb, placed_here, zip_bomb  # noqa: E402

# the wrapper runs the command and prints "<seconds> <peak KB of its largest process>"
WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
print(f"{time.perf_counter() - start:.1f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {code}")
"""


def measure(*command: str, cwd: Path) -> tuple[float, int, int]:
    out = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, cwd=cwd)
    seconds, kilobytes, code = out.stdout.split()
    return float(seconds), int(kilobytes), int(code)


def text_of(size: int, target: Path) -> None:
    text = (REPORTS / "web-text-cells-run-together-2019.txt").read_text(encoding="utf-8")
    data = (text * (size // len(text.encode()) + 1)).encode()[:size]
    target.write_bytes(data[:data.rfind(b"\n")])  # whole characters


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    portal = str(Path(sys.executable).parent / "portal")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        zip_bomb(work / "bomb-1GB.docx")
        lying_sizes(work / "bomb-1GB.docx", work / "bomb-1GB-declared-40KB.docx")
        pdf_bomb(work / "bomb-1GB.pdf")
        text_of(50 * 2**20, work / "text-50MB.txt")
        text_of(int(4.9 * 2**20), work / "text-4.9MB.txt")
        huge_docx(work / "huge-number.docx")
        shutil.copy(REPORTS / "word-2021-national-template-hongze.docx", work / "reference.docx")
        for name in ("reference.docx", "bomb-1GB.docx", "bomb-1GB-declared-40KB.docx", "bomb-1GB.pdf", "text-50MB.txt",
                     "text-4.9MB.txt", "huge-number.docx"):
            seconds, kilobytes, code = measure(portal, "extract", name, cwd=work)
            rows.append((f"portal extract {name}", seconds, kilobytes, "refused" if code else "read"))
        reports = work / "reports" / "江苏省" / "淮安市" / "洪泽区"
        reports.mkdir(parents=True)
        for source in ("web-text-cells-run-together-2021.txt", "text-layer-labels-broken-across-lines.txt",
                       "tab-separated-with-markdown-bold.txt"):
            shutil.copy(REPORTS / source, reports / source)
        placed_here(reports)  # reports of other regions, published here by their sidecars
        seconds, kilobytes, code = measure(portal, "build", "--rebuild", cwd=work)
        rows.append(("portal build, 3 text reports", seconds, kilobytes, f"exit {code}"))
        seconds, kilobytes, code = measure("env", "PORTAL_TEST_KILL_WORKER=tab-separated-with-markdown-bold.txt",
                                           portal, "build", "--rebuild", cwd=work)
        rows.append(("the same, one report killing its worker every time", seconds, kilobytes, f"exit {code}"))
    print(f"{'case':<58} {'seconds':>8} {'peak MB':>8}  outcome")
    for case, seconds, kilobytes, outcome in rows:
        print(f"{case:<58} {seconds:>8.1f} {kilobytes / 1024:>8.0f}  {outcome}")


if __name__ == "__main__":
    main()
