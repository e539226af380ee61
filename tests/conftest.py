from __future__ import annotations

import fcntl
import json
import os
import pickle
from pathlib import Path

import pytest
from variants import cells  # noqa: F401  (the tests import it from here)

FIXTURES = Path(__file__).parent / "fixtures"
REPORTS = FIXTURES / "reports"


def report_fixtures() -> list[Path]:
    return sorted(p for p in REPORTS.iterdir() if p.suffix in {".txt", ".md", ".pdf", ".docx", ".doc", ".wps", ".html"})


def slow_to_read(path: Path) -> bool:
    """A scan is read by OCR and an old Word file through LibreOffice: seconds to a minute each."""
    return "scanned" in path.stem or path.suffix in {".doc", ".wps"}


def report_fixture_params() -> list:
    """report_fixtures() as parameters, those slow to read marked slow (docs/testing.md: the fast set)."""
    return [pytest.param(p, marks=pytest.mark.slow) if slow_to_read(p) else p for p in report_fixtures()]


def expected_of(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def pytest_xdist_auto_num_workers(config):
    """`-n auto` (pyproject's addopts): a worker per core and one more. A third of the suite's time on two
    cores is spent waiting (builds killed at set points, a Dask cluster, pages loading in Chromium), which
    the extra worker fills (docs/testing.md, Timing)."""
    return (os.cpu_count() or 1) + 1


# ------------------------------------------------------------------ one session over several workers

def session_root(tmp_path_factory) -> Path:
    """The folder this test session owns: its base temp folder, or, when pytest-xdist runs the session in
    worker processes (`-n`), the folder above the workers' base temp folders, which they share."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(tmp_path_factory, name: str, build):
    """``build(folder)`` run once per session, whichever worker asks first (the others wait for it under a
    lock and take its result): the session's shared sites are built once, not once per worker."""
    root = session_root(tmp_path_factory)
    folder, done = root / name, root / f"{name}.done"
    with open(root / f"{name}.lock", "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.exists():
                folder.mkdir()
                done.write_bytes(pickle.dumps(build(folder)))
            return pickle.loads(done.read_bytes())
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session", autouse=True)
def _ocr_threads_per_worker():
    """Under pytest-xdist each worker runs tests beside the others: a page's OCR there takes the worker's
    share of the cores, not every core (onnxruntime's threads would contend across workers)."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 1)
    if workers <= 1:
        yield
        return
    from builder.extract.formats import ocr

    share = max(1, (os.cpu_count() or 1) // workers)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ocr, "threads", lambda: share)
        yield


@pytest.fixture(scope="session", autouse=True)
def ocr_cache(tmp_path_factory):
    """One OCR cache for the whole session (its workers and subprocesses too): each scanned page is
    recognised once."""
    from builder.extract.formats import ocr

    folder = session_root(tmp_path_factory) / "portal-cache"
    folder.mkdir(exist_ok=True)
    old = os.environ.get(ocr.CACHE_ENV)
    os.environ[ocr.CACHE_ENV] = str(folder)
    yield folder
    if old is None:
        os.environ.pop(ocr.CACHE_ENV, None)
    else:
        os.environ[ocr.CACHE_ENV] = old


@pytest.fixture(autouse=True)
def _session_ocr_cache_again(ocr_cache):
    """A build run in the test's own process points the OCR cache at its cache folder (pipeline.build sets
    the variable for its workers, often to a relative .cache/portal); the tests after it use the session's
    again, rather than a folder under whatever the working directory is."""
    from builder.extract.formats import ocr

    yield
    os.environ[ocr.CACHE_ENV] = str(ocr_cache)


# ------------------------------------------------------------------ shared per session (docs/testing.md)

@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The site of the sample reports in reports/, as the README's first command builds it (`portal build`,
    then `mkdocs build --strict`), built once for every module that reads it: never change it."""
    from site_helpers import copy_hand_written, mkdocs_build, portal_build

    def build(tmp: Path) -> Path:
        content = tmp / "content"
        copy_hand_written(content)
        portal_build(Path("reports"), content)
        return mkdocs_build(tmp, content, "site")

    return built_once(tmp_path_factory, "sample-site", build)


@pytest.fixture(scope="session")
def policy_content(tmp_path_factory) -> Path:
    """content/ of the sample reports and the two prose-scope variants (tests/variants.py), built once
    for test_policy and test_browser_policy: never change it."""
    import shutil

    from site_helpers import copy_hand_written, portal_build
    from variants import write_scope_variants

    def build(tmp: Path) -> Path:
        shutil.copytree(Path("reports"), tmp / "reports")
        write_scope_variants(tmp / "reports")
        content = tmp / "content"
        copy_hand_written(content)
        portal_build(tmp / "reports", content)
        return content

    return built_once(tmp_path_factory, "policy", build)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class Chromium:
    """One headless Chromium (Debian's, driven by playwright), started by the first test that asks for it and
    kept for the tests that follow and ask for it too, across modules. It is stopped before a test that does
    not: while playwright's sync API lives, it holds its asyncio loop as the thread's running one, which
    asyncio.run and dask's client would trip over."""

    def __init__(self) -> None:
        self.playwright = None
        self.browser = None

    def get(self):
        if self.browser is None:
            if not CHROMIUM.is_file():
                pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)")
            api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (pip install playwright)")
            self.playwright = api.sync_playwright().start()
            self.browser = self.playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        return self.browser

    def stop(self) -> None:
        if self.browser is not None:
            self.browser.close()
            self.playwright.stop()
            self.browser = self.playwright = None


CHROMIUM_SESSION = Chromium()


@pytest.fixture
def browser():
    """The shared Chromium; each test opens its own context in it, so no two tests share a page, cookies or
    storage."""
    return CHROMIUM_SESSION.get()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield  # the test's own fixtures (its browser contexts) are closed first
    if nextitem is None or "browser" not in nextitem.fixturenames:
        CHROMIUM_SESSION.stop()


def pytest_sessionfinish(session, exitstatus):
    CHROMIUM_SESSION.stop()
