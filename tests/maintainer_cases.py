"""Hostile or careless maintainer input, built from the real fixtures: each case a reports/ tree that
`portal check` and `portal build` must refuse with one line naming the file and the fix.

Shared by tests/test_adversarial_maintainer.py (what happens) and benchmarks/hostile_maintainer.py (how
long it takes and how much memory).
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
ROOT = Path(__file__).resolve().parent.parent
CEILING = 3 << 30  # address space of each `portal` run: a runaway expansion fails here, not the machine
TIMEOUT = 120

# The base tree: real reports in their regions' folders (a zone the gazetteer lacks listed in regions.yml).
SUIHUA = "黑龙江省/绥化市/绥棱县/绥棱县工业信息科技局2020年政府信息公开工作年度报告.txt"
LINGDONG = "黑龙江省/双鸭山市/岭东区/岭东区2020年政府信息公开工作年度报告.txt"
PINGTAN = "福建省/平潭综合实验区/平潭综合实验区2023年度政府信息公开工作年度报告.txt"
WENCHANGHU = "山东省/淄博市/文昌湖区/文昌湖区招商局2020年度政府信息公开工作报告.txt"
BASE = {
    SUIHUA: "text-layer-columns-interleaved.txt",
    LINGDONG: "tab-separated-with-markdown-bold.txt",
    PINGTAN: "web-text-cells-run-together-2021.txt",
    WENCHANGHU: "markdown-headings-agency-in-subheading.txt",
}
REGIONS_YML = "- 山东省/淄博市/文昌湖区  # 淄博文昌湖省级旅游度假区\n"
MARKUP = '清江浦区</title><script>alert(1)</script>人民政府'


def make_base(root: Path) -> Path:
    """``root``/reports with the base tree, and an empty content/ beside it; returns reports/."""
    reports = root / "reports"
    for path, fixture in BASE.items():
        (reports / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / fixture, reports / path)
    (reports / "regions.yml").write_text(REGIONS_YML, encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    (root / "content" / "add-report.md").write_text("# 如何添加年报\n", encoding="utf-8")
    return reports


def laughs(depth: int = 9, width: int = 9) -> str:
    """A billion laughs: ``width ** depth`` strings from a few hundred bytes, if aliases were expanded."""
    lines = [f'l0: &l0 ["{"ha" * 4}"]']
    for level in range(1, depth + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[[Path], str]  # makes the case in reports/; returns the file the line must name
    check_file: bool = False  # run `portal check` on that file only (it must look beyond it)


def _sidecar(text: str, path: str = SUIHUA) -> Callable[[Path], str]:
    def setup(reports: Path) -> str:
        sidecar = reports / f"{path}.meta.yml"
        sidecar.write_text(text, encoding="utf-8")
        return sidecar.name
    return setup


def _corrections(text: str) -> Callable[[Path], str]:
    def setup(reports: Path) -> str:
        file = reports / f"{SUIHUA}.corrections.yml"
        file.write_text(text, encoding="utf-8")
        return file.name
    return setup


def _symlinked_file(reports: Path) -> str:
    link = reports / "黑龙江省/绥化市/绥棱县/passwd.txt"
    link.symlink_to("/etc/passwd")
    return link.name


def _symlinked_folder(reports: Path) -> str:
    outside = reports.parent / "elsewhere" / "岭东区"
    outside.mkdir(parents=True)
    shutil.copy(FIXTURES / "text-layer-labels-broken-across-lines.txt", outside / "岭东区经济合作促进局2020年.txt")
    link = reports / "黑龙江省/双鸭山市/linked"
    link.symlink_to(outside, target_is_directory=True)
    return "linked"


def _byte_duplicate(reports: Path) -> str:
    copy = reports / "黑龙江省/绥化市/绥棱县/绥棱县工信局2020年报（副本）.txt"
    shutil.copy(reports / SUIHUA, copy)
    return copy.name


def _same_agency_and_year(reports: Path) -> str:
    """The same report, saved again with another line: different bytes, one agency and year."""
    other = reports / "黑龙江省/绥化市/绥棱县/绥棱县工信局2020年报（修订）.txt"
    other.write_text((reports / SUIHUA).read_text(encoding="utf-8") + "\n（修订稿）\n", encoding="utf-8")
    return other.name


def _moved(to: str) -> Callable[[Path], str]:
    def setup(reports: Path) -> str:
        target = reports / to / Path(SUIHUA).name
        target.parent.mkdir(parents=True, exist_ok=True)
        (reports / SUIHUA).rename(target)
        return target.name
    return setup


def _wrong_depth(reports: Path) -> str:
    _moved("黑龙江省/绥化市/绥棱县/工信局/2020")(reports)
    return "工信局"


def _year_folder(reports: Path) -> str:
    _moved("黑龙江省/绥化市/2020年")(reports)
    return "2020年"


CASES = [
    *(Case(f"markup in sidecar {key}", _sidecar(text)) for key, text in {
        "agency": f"agency: {MARKUP}\n",
        "region": f"region: [黑龙江省, 绥化市, '{MARKUP}']\n",
        "url": 'url: https://www.suileng.gov.cn/"><script>alert(1)</script>\n',
        "published": "published: '2021-01-05<script>'\n",
        "year": "year: '<script>alert(1)</script>'\n",
    }.items()),
    Case("YAML aliases in sidecar year", _sidecar(laughs() + "year: *l9\n")),
    Case("YAML aliases in a correction's value", _corrections(
        laughs() + "entries:\n  - cell: applications.new_received.total\n    value: *l9\n    reason: x\n")),
    Case("a correction beyond 2^53", _corrections(
        f"- cell: applications.new_received.total\n  value: {10 ** 309}\n  reason: 原件第 2 页\n")),
    Case("a symlinked file", _symlinked_file),
    Case("a symlinked folder", _symlinked_folder),
    Case("byte duplicates", _byte_duplicate, check_file=True),
    Case("the same region, agency and year twice", _same_agency_and_year, check_file=True),
    Case("wrong depth", _wrong_depth),
    Case("a year folder", _year_folder),
    Case("wrong province", _moved("江苏省/淮安市/洪泽区")),
    Case("a county's report at province level", _moved("黑龙江省")),
    Case("a year conflict", _sidecar("year: 2021\n")),
]


def limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CEILING, CEILING))


def portal(root: Path, *args: str) -> tuple[subprocess.CompletedProcess, float, int]:
    """Run ``portal ARGS`` in ``root`` under the ceiling (killed after TIMEOUT s); (its result, seconds,
    peak resident memory in bytes)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "builder", *args], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=limit, env=env)
    streams: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda n=n, s=s: streams.__setitem__(n, s.read()))
               for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for reader in readers:
        reader.start()
    timer = threading.Timer(TIMEOUT, proc.kill)
    timer.start()
    _, status, usage = os.wait4(proc.pid, 0)  # the child's own peak memory, not the largest so far
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    seconds = time.perf_counter() - start
    result = subprocess.CompletedProcess(proc.args, proc.returncode, streams["out"].decode("utf-8", "replace"),
                                         streams["err"].decode("utf-8", "replace"))
    return result, seconds, usage.ru_maxrss * 1024


def check_args(case: Case, named: str, reports: Path) -> list[str]:
    if case.check_file:
        return ["check", str(next(reports.rglob(named)).relative_to(reports.parent))]
    return ["check", "reports"]


def build_args(root: Path) -> list[str]:
    return ["build", "--reports", "reports", "--content", "content", "--cache", str(root / "cache")]
