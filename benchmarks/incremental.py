"""The Publish workflow's path for one new report, timed step by step as CI runs it.

    .venv/bin/python benchmarks/incremental.py --reports 1000
    nice .venv/bin/python benchmarks/incremental.py --reports 10000 --files-url
    # the long previous run apart (on a busy machine), the timed run later (on an idle one):
    nice .venv/bin/python benchmarks/incremental.py --reports 10000 --files-url --keep /tmp/inc --prepare
    .venv/bin/python benchmarks/incremental.py --reports 10000 --files-url --keep /tmp/inc --resume

The previous run: N reports (benchmarks/scale.py's generator) built clean, `portal build` then
`portal site` (strict), and its state saved as actions/cache saves it (a zstd tar of .cache/portal,
the generated part of content/ and site/). This run: a fresh checkout (reports/ with one new report
of a new agency, the hand-written pages and mkdocs.yml, all with new modification times), then each
Publish step, timed: restore the cache, `portal build`, `portal site` (incremental, strict),
`portal smoke site`, the Pages artifact (a tar of site/) and the package for a mainland host (the
workflow's own script). Then the check: a clean
`mkdocs build --strict` of the same content/ (what the weekly build takes) and the comparison of the
two sites, file by file and byte by byte. `--files-url`: originals on a file host, as a portal of
10,000 reports must (its originals alone outgrow GitHub Pages' 1 GB). Figures depend on the machine.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # noqa: E402
from scale import ROOT, make_report  # noqa: E402  (the same generator as the scale benchmark)

sys.path.insert(0, str(ROOT / "src"))
from builder.publish.site import site_differences  # noqa: E402
from builder.publish.tree import GENERATED_DIRS, GENERATED_FILES  # noqa: E402

FILES_URL = "https://files.example.gov.cn/reports/"
PEAKS: dict[str, int] = {}  # step → peak RSS in bytes
CACHED = [".cache/portal", "site", *(f"content/{name}" for name in (*GENERATED_DIRS, *GENERATED_FILES))]
CACHE_EXCLUDED = ["--exclude=.cache/portal/search/parts"]  # publish.yml's !.cache/portal/search/parts


def checkout(work: Path, reports: Path) -> None:
    """What actions/checkout gives: the repository's files, every one with a new modification time."""
    shutil.copytree(reports, work / "reports", copy_function=shutil.copyfile)
    scale.checkout(work)


MAINLAND = "Package the site for a mainland host"  # publish.yml's step, run as it is written there


def workflow_step(name: str) -> str:
    """The script of the Publish workflow's step ``name``."""
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    return next(s["run"] for s in flow["jobs"]["build"]["steps"] if s.get("name") == name)


def step(name: str, cmd: list[str], cwd: Path, times: dict[str, float], env: dict) -> str:
    """Run one step (scale.run); its seconds go to ``times`` and the peak RSS of its largest process
    (itself or one it waited for, such as the downloads process of `portal build`) to ``PEAKS``."""
    times[name], output, PEAKS[name], _ = scale.run(cmd, cwd, env)
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--files-url", action="store_true", help=f"build with --files-url {FILES_URL}")
    parser.add_argument("--texts-only", action="store_true",
                        help="generate text reports only (the previous run's extraction from scratch is then quick; "
                             "the timed steps parse one report either way)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--prepare", action="store_true",
                        help="with --keep: make only the previous run (reports, clean build, saved cache) and stop")
    parser.add_argument("--resume", action="store_true",
                        help="with --keep: time this run on a previous run made by --prepare (same code, same N)")
    parser.add_argument("--parse-cache", type=Path,
                        help="start the previous run's `portal build` with the parses in this folder (an earlier "
                             "run's .cache/portal at the same N: extraction is not what is timed here)")
    args = parser.parse_args()
    if (args.prepare or args.resume) and not args.keep:
        parser.error("--prepare and --resume need --keep DIR")
    bin_dir = Path(sys.executable).parent
    portal, mkdocs = str(bin_dir / "portal"), str(bin_dir / "mkdocs")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTAL_FILES_URL": FILES_URL if args.files_url else ""}
    root = args.keep or Path(tempfile.mkdtemp(prefix="incremental-"))
    if args.resume and not (root / "cache.tzst").exists():
        sys.exit(f"--resume: {root} holds no previous run; make one with --prepare --keep {root}")
    if root.exists() and not args.resume:
        shutil.rmtree(root)
    # the runner's checkout is at the same path in every run (the caches record paths: PageMemo, portal site)
    previous = current = root / "repo"
    reports = root / "reports"
    times: dict[str, float] = {}
    try:
        if not args.resume:
            for i in range(args.reports):
                make_report(reports, i, texts_only=args.texts_only)
            # the previous Publish run: a clean build, its state saved by actions/cache
            checkout(previous, reports)
            if args.parse_cache:
                shutil.copytree(args.parse_cache, previous / ".cache" / "portal",
                                ignore=shutil.ignore_patterns("pages-*", "site-*"))
            env_previous = {**env, "SOURCE_DATE_EPOCH": "1700000000"}
            step("previous: portal build", [portal, "build"], previous, times, env_previous)
            step("previous: portal site", [portal, "site"], previous, times, env_previous)
            # as actions/cache saves it: POSIX (pax) format, which keeps the files' times to the nanosecond
            step("save cache", ["tar", "--posix", "--zstd", "-cf", str(root / "cache.tzst"), *CACHE_EXCLUDED,
                                *(path for path in CACHED if (previous / path).exists())], previous, times, env)
            shutil.rmtree(previous)
            if args.prepare:
                print(" ".join(f"{name}: {seconds:.1f} s, {PEAKS[name] / 1e6:,.0f} MB" for name, seconds in times.items()))
                print(f"previous run kept in {root}; time this run with --resume --keep {root}")
                return
        else:
            shutil.rmtree(current, ignore_errors=True)

        # this run: one new report (a new agency's) committed
        make_report(reports, args.reports + 3 * 10_000_000, texts_only=args.texts_only)
        checkout(current, reports)
        env_current = {**env, "SOURCE_DATE_EPOCH": "1700086400"}  # the new commit's date
        step("restore cache", ["tar", "--zstd", "-xf", str(root / "cache.tzst")], current, times, env)
        built = step("portal build", [portal, "build"], current, times, env_current)
        site_log = step("portal site", [portal, "site"], current, times, env_current)
        step("portal smoke site", [portal, "smoke", "site"], current, times, env_current)
        step("pages artifact (tar of site/)", ["tar", "-cf", str(root / "artifact.tar"), "-C", "site", "."],
             current, times, env)
        step(MAINLAND, ["bash", "-euo", "pipefail", "-c", workflow_step(MAINLAND)], current, times, env)

        # the check: a clean strict build of the same content/, compared file by file
        config = (current / "mkdocs.yml").read_text(encoding="utf-8").replace("site_dir: site", "site_dir: site-clean")
        (current / "mkdocs-clean.yml").write_text(config, encoding="utf-8")
        step("clean mkdocs build --strict (weekly)", [mkdocs, "build", "--strict", "-q", "-f", "mkdocs-clean.yml"],
             current, times, env_current)
        differences = site_differences(current / "site", current / "site-clean")
        files = sum(1 for p in (current / "site").rglob("*") if p.is_file())
        site_mb = sum(p.stat().st_size for p in (current / "site").rglob("*") if p.is_file()) / 1e6
        cache_mb = (root / "cache.tzst").stat().st_size / 1e6
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    ci = ["restore cache", "portal build", "portal site", "portal smoke site", "pages artifact (tar of site/)", MAINLAND]
    print(scale.machine_speed())
    print(f"{args.reports:,} reports{' (text only)' if args.texts_only else ''}"
          f"{' (--files-url)' if args.files_url else ''}; site/ {files:,} files, "
          f"{site_mb:,.0f} MB; cache {cache_mb:,.0f} MB (zstd)")
    print(f"  portal build: {built.strip().splitlines()[-1]}")
    print(f"  portal site: {[line for line in site_log.splitlines() if 'build,' in line][-1]}")
    print(f"  search: {[line for line in site_log.splitlines() if 'Pagefind indexed' in line][-1].split('-  ')[-1]}")
    print("\n| step | seconds | peak RSS, largest process |\n|---|---|---|")
    for name in ("previous: portal build", "previous: portal site", "save cache"):
        print(f"| {name} | {times[name]:.1f} | {PEAKS[name] / 1e6:,.0f} MB |" if name in times
              else f"| {name} | (made earlier by --prepare) | |")
    for name in ci:
        print(f"| **{name}** | {times[name]:.1f} | {PEAKS[name] / 1e6:,.0f} MB |")
    print(f"| **one new report, the Publish workflow's build steps** | **{sum(times[n] for n in ci):.1f}** | |")
    weekly = "clean mkdocs build --strict (weekly)"
    print(f"| clean `mkdocs build --strict` of the same content (the weekly build) | {times[weekly]:.1f} | "
          f"{PEAKS[weekly] / 1e6:,.0f} MB |")
    print(f"\nincremental site == clean site: {'yes, byte-identical' if not differences else 'NO'} "
          f"({files:,} files compared)")
    for difference in differences[:20]:
        print(f"  {difference}")


if __name__ == "__main__":
    main()
