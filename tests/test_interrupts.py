"""A build stopped by SIGTERM stops its workers; one killed at any point is finished by the next build;
extraction on a Dask cluster (a LocalCluster on loopback) survives a worker killed mid-run."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.config import BuildConfig
from builder.pipeline import build
from conftest import report_fixtures

REGIONS = (("黑龙江省", "牡丹江市", "爱民区"), ("江苏省", "淮安市", "洪泽区"))


def make_reports(root: Path) -> Path:
    """Every fixture report in each of two regions (so each is parsed once per region), and an empty PDF:
    enough files for the process pool, a few seconds of extraction. Each copy is its own agency (a
    sidecar names it for its fixture: several fixtures are one agency's report of one year), and the
    second region's copies end with a byte more (the same file twice stops a build)."""
    reports = root / "reports"
    for n, region in enumerate(REGIONS):
        folder = reports.joinpath(*region)
        folder.mkdir(parents=True)
        for fixture in report_fixtures():
            text_like = fixture.suffix in {".txt", ".md", ".html"}
            (folder / fixture.name).write_bytes(fixture.read_bytes() + (b"\n" if text_like else b"\n%%copy\n") * n)
            (folder / f"{fixture.name}.meta.yml").write_text(f"agency: {fixture.stem}\n", encoding="utf-8")
    (reports / REGIONS[0][0] / "空文件.pdf").write_bytes(b"")
    return reports


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """The reports, and content/ as one uninterrupted build on this machine's cores writes it."""
    root = tmp_path_factory.mktemp("interrupts")
    make_reports(root)
    _run(root, "build", "--rebuild", "--content", "reference", "--cache", ".cache/reference")
    return root, tree_bytes(root / "reference")


def _run(cwd: Path, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "builder", *args], capture_output=True, text=True, cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr


def _start(cwd: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "builder", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def children_of(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def cache_entries(cache: Path) -> int:
    return len(list(cache.glob("*.json"))) if cache.is_dir() else 0


def test_sigterm_stops_the_build_and_its_pool_workers(reference):
    root, _ = reference
    build_process = _start(root, "build", "--rebuild", "--content", "terminated", "--cache", ".cache/terminated")
    wait_for(lambda: cache_entries(root / ".cache/terminated") >= 2)  # the workers are extracting
    workers = children_of(build_process.pid)
    assert len(workers) >= 2, workers  # the pool (and perhaps its resource tracker)
    build_process.send_signal(signal.SIGTERM)
    assert build_process.wait(timeout=30) == 143, build_process.stderr.read().decode()
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10)


KILL_POINTS = {  # name: when to kill, given the build's cache and content folders
    "extracting, first files": lambda cache, content: cache_entries(cache) >= 1,
    "extracting, most files": lambda cache, content: cache_entries(cache) >= 20,
    "writing report pages": lambda cache, content: len(list((content / "reports").glob("**/index.md"))) >= 3
    if (content / "reports").is_dir() else False,
    "writing downloads": lambda cache, content: (content / "data").is_dir() and any((content / "data").iterdir()),
}


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_build_killed_at_any_point_is_finished_by_the_next_one(reference, point):
    root, expected = reference
    name = "killed-" + str(list(KILL_POINTS).index(point))
    cache, content = root / ".cache" / name, root / name
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(root / "reference", content)  # an earlier build's pages, without its cache:
    for page in (content / "reports").glob("**/index.md"):  # the build to kill parses and writes everything
        page.write_text("stale\n", encoding="utf-8")
    if (root / ".cache" / "reference" / "ocr").is_dir():  # its scans' recognised pages (cached by content, as
        shutil.copytree(root / ".cache" / "reference" / "ocr", cache / "ocr")  # a runner's cache keeps them): OCR once
    build_process = _start(root, "build", "--content", name, "--cache", str(cache.relative_to(root)))
    condition = KILL_POINTS[point]
    wait_for(lambda: condition(cache, content) or build_process.poll() is not None)
    workers = children_of(build_process.pid)
    build_process.send_signal(signal.SIGKILL)
    build_process.wait(timeout=10)
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10)  # killed with their parent
    _run(root, "build", "--content", name, "--cache", str(cache.relative_to(root)))
    assert tree_bytes(content) == expected


def test_extraction_on_a_dask_cluster_survives_a_worker_killed_mid_run(reference, tmp_path, monkeypatch):
    from distributed import Client, LocalCluster

    root, expected = reference
    shutil.copytree(root / "reports", tmp_path / "reports")
    monkeypatch.chdir(tmp_path)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        pids = client.run(os.getpid)
        victim = sorted(pids.values())[0]
        killed: list[int] = []

        def tick(done: int, total: int) -> None:
            if done >= 3 and not killed:  # results are coming back: the other tasks are out on the workers
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        address = "dask://" + cluster.scheduler_address.removeprefix("tcp://")
        config = BuildConfig(Path("reports"), Path("content"), Path(".cache/portal"), executor=address)
        result = build(config, tick=tick)
        assert killed and not alive(victim)
        assert result.parsed == len(report_fixtures()) * len(REGIONS) + 1 and result.cached == 0
        assert [f.reason for f in result.failures] == [
            f"reports/{REGIONS[0][0]}/空文件.pdf: the file is empty (0 bytes) — commit the complete report file; "
            f"an interrupted download leaves an empty one"]
    assert tree_bytes(tmp_path / "content") == expected  # as extracted on this machine's cores
    again = build(BuildConfig(Path("reports"), Path("content"), Path(".cache/portal")))  # the cache: filled as ever
    assert (again.parsed, tree_bytes(tmp_path / "content")) == (0, expected)


def test_an_executor_address_that_is_not_a_dask_scheduler_is_refused(tmp_path):
    (tmp_path / "reports").mkdir()
    result = subprocess.run([sys.executable, "-m", "builder", "build", "--executor", "ray://example:10001"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    assert "--executor ray://example:10001: give dask://HOST:PORT, the address of a Dask scheduler" in result.stderr
