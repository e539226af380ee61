"""The build, stage by stage: ingest → extract → validate → render → publish."""
from __future__ import annotations

import dataclasses
import os
import signal
import tempfile
from concurrent.futures import Executor
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from builder.config import BuildConfig
from builder.errors import BadInput, InvalidInputs, PortalError, os_errors_as_one_line
from builder.executors import cluster_executor, map_in_order, map_surviving
from builder.extract import extract, format_of
from builder.extract.formats import ocr
from builder.files import build_lock, remove_temporaries
from builder.ingest.cache import ParseCache
from builder.ingest.corrections import apply_corrections
from builder.ingest.history import changed_at
from builder.ingest.regions import folder_problems, reports_root
from builder.ingest.sources import REGIONS_FILE, discover, refused_path, scan, sha256_of, shown_path, source_for
from builder.models import Failure, Report, SourceFile
from builder.publish.memo import PageMemo
from builder.publish.tree import TreeWriter
from builder.render.catalog import address_problems
from builder.render.site import original_files, render_into
from builder.validate import check
from builder.validate.across_years import settle_across_years
from builder.validate.collection import Known, collection_problems, known_elsewhere, known_of, named_key
from builder.validate.inputs import build_problems, located
from builder.validate.memo import CheckMemo

Result = Report | Failure
POOL_THRESHOLD = 16  # below this many files a process pool costs more than it saves
CLUSTER_WINDOW = 256  # files sent to a cluster ahead of the results read back (each goes with its bytes)


@dataclass(frozen=True)
class BuildResult:
    reports: list[Report]
    failures: list[Failure]
    parsed: int  # files parsed in this build
    cached: int  # files whose parse came from the cache


def _extract(source: SourceFile) -> Result:
    """Never raises for bad input: a file that cannot be parsed becomes a Failure that says why."""
    path = source.path
    if not source.format:
        return Failure(source, f"{path}: unknown file type '{path.suffix or '(none)'}' — commit the report as "
                               f".pdf, .docx, .doc, .wps, .html, .txt, .md, .jpg or .png")
    try:
        return extract(source)
    except PortalError as exc:
        return Failure(source, exc.message)
    except MemoryError:
        return Failure(source, f"{path}: ran out of memory while reading it (处理该文件时内存不足) — check that the "
                               f"file is the report; commit a smaller PDF or the report's Word file")
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the build
        return Failure(source, f"{path}: could not be parsed ({exc.__class__.__name__}: {exc}) — "
                               f"please open an issue with this file attached")


def parse(path: Path, cache: ParseCache | None = None) -> Result:
    """One file → a checked Report, or a Failure that says why."""
    return parse_all([path], cache)[0][0]


def _source(path: Path) -> SourceFile | Failure:
    try:
        return source_for(path, format_of(path.suffix))
    except PortalError as exc:  # e.g. a bad sidecar
        return Failure(SourceFile(shown_path(path), sha256_of(path), format_of(path.suffix) or ""), exc.message,
                       "input" if isinstance(exc, BadInput) else "unreadable")


def _died(source: SourceFile) -> Failure:
    return Failure(source, f"{source.path}: the process reading it ended abruptly, twice (处理该文件时进程中止: killed, "
                           f"e.g. for want of memory) — check that the file opens and is the report; commit a smaller "
                           f"PDF or the report's Word file")


TEST_KILL = "PORTAL_TEST_KILL_WORKER"  # tests only: "NAME" kills the worker reading a file so named, every
# time; "NAME:MARKER" only while MARKER does not exist (it is made first): a worker killed once


def _test_kill(source: SourceFile) -> None:
    name, _, marker = os.environ.get(TEST_KILL, "").partition(":")
    if name and source.path.name == name and not (marker and os.path.exists(marker)):
        if marker:
            Path(marker).touch()
        os.kill(os.getpid(), signal.SIGKILL)


def _extract_into(source: SourceFile, cache: ParseCache | None) -> Result:
    _test_kill(source)
    result = _extract(source)
    if cache:
        cache.put(source, result)
    return result


def _extract_shipped(item: tuple[SourceFile, bytes]) -> Result:
    """On a cluster's worker, which need not see reports/: the file's bytes come with the task, and are
    read from a copy at the same relative path (the year may come from its folders)."""
    source, data = item
    with tempfile.TemporaryDirectory(prefix="portal-") as tmp:
        local = Path(tmp, *[p for p in source.path.parts if p not in ("/", "..")])
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_bytes(data)
        result = _extract(dataclasses.replace(source, path=local))
    if isinstance(result, Failure):
        return Failure(source, result.reason.replace(str(local), str(source.path)))
    return dataclasses.replace(result, source=source)


def _checked(result: Result, memo: CheckMemo | None) -> Result:
    if isinstance(result, Failure):
        return result
    corrected = apply_corrections(result)
    return memo.checked(corrected, check) if memo else check(corrected)


Tick = Callable[[int, int], None]  # (files done, files in all): for a progress display


def parse_all(paths: Iterable[Path], cache: ParseCache | None = None, tick: Tick | None = None,
              workers: int | None = None, executor: Executor | None = None,
              isolate: bool = False) -> tuple[list[Result], int]:
    """Parse every file, results in the order of ``paths``, and say how many came from the cache.

    Cached results are read here; the files to extract go to ``executor`` (a cluster's, with their bytes;
    the results are cached here) or else, when there are many or ``isolate`` (a build: a file that kills
    the process reading it must not end the build), to worker processes on every core (sending a cached
    result back from a worker would cost more than reading it)."""
    paths = list(paths)
    workers = workers or os.cpu_count() or 1
    results: list[Result | None] = []
    todo: list[tuple[int, SourceFile]] = []
    hits = 0
    for path in paths:
        source = _source(path)
        cached = cache.get(source) if cache and isinstance(source, SourceFile) else None
        if isinstance(source, SourceFile) and cached is None:
            todo.append((len(results), source))
        results.append(source if isinstance(source, Failure) else cached)
        hits += cached is not None
    done = len(paths) - len(todo)
    tick and tick(done, len(paths))
    sources = [source for _, source in todo]
    pooled = todo and (isolate or (workers > 1 and len(todo) >= POOL_THRESHOLD))
    if executor is not None:
        shipped = map_in_order(executor, _extract_shipped, ((s, s.path.read_bytes()) for s in sources),
                               CLUSTER_WINDOW)
        extracted: Iterable[tuple[int, Result]] = enumerate(_cached(cache, s, r) for s, r in zip(sources, shipped))
    elif pooled:
        extracted = map_surviving(partial(_extract_into, cache=cache), sources, min(workers, len(sources)), _died)
    else:
        extracted = enumerate(_extract_into(source, cache) for source in sources)
    for k, result in extracted:
        results[todo[k][0]] = result
        done += 1
        tick and tick(done, len(paths))
    # run-together digits the neighbouring years settle: only now, with every report parsed
    results = settle_across_years(results)
    # validate: each report's checks, taken from the last build where its inputs are the same
    memo = CheckMemo(cache.folder, cache.enabled) if cache else None
    checked = [_checked(r, memo) for r in results]
    if memo:
        memo.save()
    return checked, hits


def _cached(cache: ParseCache | None, source: SourceFile, result: Result) -> Result:
    if cache:
        cache.put(source, result)
    return result


@dataclass(frozen=True)
class Checked:
    results: list[Result]
    problems: list[str]  # what stops a build beyond single files: links, folders, duplicates, addresses


def check_paths(paths: list[Path], cache: ParseCache | None = None) -> Checked:
    """Parse the given files, and every report under the given folders (for `portal check`), and look
    beyond them: their folders must be regions, and no file elsewhere under reports/ may be the same
    file or the same agency and year (known from ``cache``, read only, else from sidecars and names)."""
    files: list[Path] = []
    problems: list[str] = []
    listing: list[Path] = []  # reports/regions.yml given: the folders it may settle are checked
    for p in paths:
        if p.is_dir():
            found, refused = scan(p)
            files, problems = files + found, problems + refused
        elif reason := refused_path(p):
            problems.append(reason)
        elif p.name == REGIONS_FILE and (root := reports_root(p.parent)) and root == p.parent.resolve():
            listing += discover(root)
        else:
            files.append(p)
    if problems:  # a link or special file: nothing is read before it is gone
        return Checked([], problems)
    given = set(folder_problems(files))  # a folder the given files name is told once, below
    problems += [line for line in folder_problems(listing) if line not in given]
    results = settle_across_years([parse(f) for f in files])
    # a wrong sidecar, correction or placement is on its file's own lines of the summary
    problems += folder_problems(files, located=located(files, results))
    mine = [known_of(r) for r in results]
    root = reports_root(files[0].parent) if files else None
    others = known_elsewhere(root, {k.path for k in mine}, cache) if root else []
    problems += collection_problems(mine, others)
    # and as their names say, to match the others' names (a file already named above is not named twice)
    named = [Known(r.source.path, "", named_key(r.source)) for r in results
             if not any(str(r.source.path) in p for p in problems)]
    problems += collection_problems(named, [Known(k.path, "", k.key) for k in others], across=True)
    return Checked(results, problems + address_problems([r for r in results if isinstance(r, Report)],
                                                        [r for r in results if isinstance(r, Failure)]))


def build(config: BuildConfig, tick: Tick | None = None) -> BuildResult:
    """The build, holding the cache folder's lock (a second build there stops at once); a full disk or a
    read-only folder is one line (CannotWrite), never a traceback."""
    with os_errors_as_one_line(), build_lock(config.cache_dir):
        for folder in (config.cache_dir, config.cache_dir / "ocr"):
            remove_temporaries(folder)  # a killed build's; none can be being written now
        return _build(config, tick)


def _build(config: BuildConfig, tick: Tick | None = None) -> BuildResult:
    # ingest: every regular file under reports/, in a stable order; a link or special file stops the build
    paths, refused = scan(config.reports_dir)
    if refused:  # before any file is read: a link may point anywhere (a device, the runner's secrets)
        raise InvalidInputs(refused)
    os.environ[ocr.CACHE_ENV] = str(config.cache_dir)  # recognised scan pages are cached beside the parses
    # extract + validate: one result per file, from the cache where the file has not changed, the others
    # on every core or a cluster's workers
    with cluster_executor(config.executor) if config.executor else nullcontext() as executor:
        results, hits = parse_all(paths, ParseCache(config.cache_dir, enabled=not config.rebuild), tick,
                                  executor=executor, isolate=True)
    # a wrong sidecar, correction or folder, a file twice or two pages at one address are the maintainer's
    # to fix: nothing is published until they are
    reports = [r for r in results if isinstance(r, Report)]
    failures = [r for r in results if isinstance(r, Failure)]
    if problems := build_problems(paths, results, reports_root(config.reports_dir)) or \
            address_problems(reports, failures):
        raise InvalidInputs(problems)
    # render: Markdown pages and open data from the models (a report page unchanged since the last
    # build is kept as it is)
    # publish: each page written to content/ as it is made, then the originals copied (to files/, unless
    # they are published at files_url) and what this build did not make removed
    memo = PageMemo(config.cache_dir, config.content_dir, enabled=not config.rebuild)
    tree = TreeWriter(config.content_dir)
    render_into(tree.put, reports, failures, memo, config.files_url, shown_path(config.reports_dir),
                changed_at(paths, config.reports_dir))  # for the feeds: when each report last changed
    tree.finish({} if config.files_url else original_files(reports, failures))
    memo.save()
    return BuildResult(reports, failures, parsed=len(results) - hits, cached=hits)
