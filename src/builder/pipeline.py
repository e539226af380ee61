"""The build, stage by stage: ingest → extract → validate → render → publish."""
from __future__ import annotations

import dataclasses
import os
import tempfile
from concurrent.futures import Executor
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from builder.config import BuildConfig
from builder.errors import BadInput, InvalidInputs, PortalError
from builder.executors import cluster_executor, map_in_order, process_pool
from builder.extract import extract, format_of
from builder.extract.formats import ocr
from builder.ingest.cache import ParseCache
from builder.ingest.corrections import apply_corrections
from builder.ingest.history import changed_at
from builder.ingest.sources import discover, sha256_of, shown_path, source_for
from builder.models import Failure, Report, SourceFile
from builder.publish.memo import PageMemo
from builder.publish.tree import TreeWriter
from builder.render.site import original_files, render_into
from builder.validate import check
from builder.validate.collection import flag_duplicates
from builder.validate.inputs import input_problems
from builder.validate.across_years import settle_across_years
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


def _extract_into(source: SourceFile, cache: ParseCache | None) -> Result:
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
              workers: int | None = None, executor: Executor | None = None) -> tuple[list[Result], int]:
    """Parse every file, results in the order of ``paths``, and say how many came from the cache.

    Cached results are read here; the files to extract go to ``executor`` (a cluster's, with their bytes;
    the results are cached here) or else, when there are many, to a process pool on every core (sending
    a cached result back from a worker would cost more than reading it)."""
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
    pooled = workers > 1 and len(todo) >= POOL_THRESHOLD
    with process_pool(workers) if pooled and executor is None else nullcontext(executor) as pool:
        if executor is not None:
            shipped = map_in_order(executor, _extract_shipped, ((s, s.path.read_bytes()) for s in sources),
                                   CLUSTER_WINDOW)
            extracted: Iterable[Result] = (_cached(cache, s, r) for s, r in zip(sources, shipped))
        elif pool is not None:
            extracted = pool.map(partial(_extract_into, cache=cache), sources, chunksize=4)
        else:
            extracted = (_extract_into(source, cache) for source in sources)
        for (i, _), result in zip(todo, extracted):
            results[i] = result
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


def check_paths(paths: list[Path]) -> list[Result]:
    """Parse the given files, and every report under the given folders (for `portal check`)."""
    files = [f for p in paths for f in (discover(p) if p.is_dir() else [p])]
    results = settle_across_years([parse(f) for f in files])
    checked = iter(flag_duplicates([r for r in results if isinstance(r, Report)]))
    return [next(checked) if isinstance(r, Report) else r for r in results]


def build(config: BuildConfig, tick: Tick | None = None) -> BuildResult:
    # ingest: every file under reports/, in a stable order
    paths = discover(config.reports_dir)
    os.environ[ocr.CACHE_ENV] = str(config.cache_dir)  # recognised scan pages are cached beside the parses
    # extract + validate: one result per file, from the cache where the file has not changed, the others
    # on every core or a cluster's workers
    with cluster_executor(config.executor) if config.executor else nullcontext() as executor:
        results, hits = parse_all(paths, ParseCache(config.cache_dir, enabled=not config.rebuild), tick,
                                  executor=executor)
    # a wrong sidecar or correction is the maintainer's to fix: nothing is published until it is
    if problems := input_problems(results):
        raise InvalidInputs(problems)
    reports = flag_duplicates([r for r in results if isinstance(r, Report)])
    failures = [r for r in results if isinstance(r, Failure)]
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
