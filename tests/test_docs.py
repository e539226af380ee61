"""The README, docs/ and --help stay true (after datasette's test_docs.py).

docs/testing.md describes the conventions: every relative link in README.md and docs/ resolves to a file
(and a heading, for an anchor); every command in a ```sh block of them is checked here (its program,
subcommand, options and the files it names exist; a script's options are read from its --help), unless
the line before the block is ``<!-- illustrative -->`` (it needs a machine, an account or a run we do not
have in a test).
"""
from __future__ import annotations

import functools
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from click.testing import CliRunner

from builder.cli import main


def _setup_commands(repo_root) -> list[str]:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert block and readme.index("```sh") < readme.index("## "), "README must open with the set-up block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_setup_commands(repo_root):
    commands = _setup_commands(repo_root)
    assert len(commands) == 2
    assert "portal build" in commands[0] and "mkdocs build --strict" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command(repo_root):
    ci = (repo_root / ".ci" / "run").read_text(encoding="utf-8")
    assert _setup_commands(repo_root)[1] in ci


def test_every_command_is_documented(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    commands = (repo_root / "docs" / "commands.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"portal {name}" in readme, f"README does not list `portal {name}`"
        assert f"portal {name}" in commands, f"docs/commands.md does not document `portal {name}`"
        help_text = CliRunner().invoke(main, [name, "--help"]).output
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert opt in commands, f"docs/commands.md does not document {opt} of portal {name}"
                    assert opt in help_text


def test_every_open_data_key_is_documented(repo_root):
    # the site's 数据格式 page is the one place that documents the open data (README and docs/ link to it)
    page = (repo_root / "content" / "data-format.md").read_text(encoding="utf-8")
    from builder.render.open_data import report_to_open_data
    from builder.pipeline import parse
    from conftest import report_fixtures

    data = report_to_open_data(parse(report_fixtures()[0]))
    for key in data:
        assert f"`{key}`" in page, f"the 数据格式 page does not document the open-data key `{key}`"


# the parser's and the checks' finding codes, as the source writes them ("cell.blank", "metadata.year", …)
FINDING_CODE = re.compile(r'"((?:cell|cells|row|table|section|metadata|template|source|report|correction)\.[a-z_]+)"')


def finding_codes(repo_root) -> set[str]:
    return {code for path in (repo_root / "src" / "builder").rglob("*.py")
            for code in FINDING_CODE.findall(path.read_text(encoding="utf-8"))}


def test_every_finding_code_is_documented_and_has_words_for_readers(repo_root):
    from builder.render.quality import WARNING_LABELS

    codes = finding_codes(repo_root)
    assert {"cell.blank", "row.missing", "metadata.year"} <= codes
    page = (repo_root / "content" / "data-format.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z]+\.[a-z_]+)`", page.split("提示的类别：")[1].split("## ")[0]))
    assert codes - documented == set(), "undocumented on the 数据格式 page"
    assert codes - set(WARNING_LABELS) == set(), "no Chinese words for the 数据质量 page (it would say 其他提示)"


# ------------------------------------------------------------------ docs/: links and commands

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^[ \t]*(`{3,})([\w-]*)[^\n]*\n(.*?)^[ \t]*\1[ \t]*$", re.M | re.S)
LINK = re.compile(r"!?\[[^\]\n]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
SHELLS = {"sh", "bash", "shell", "console"}
ILLUSTRATIVE = "<!-- illustrative"


def doc_id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def prose(text: str) -> str:
    """The text without code blocks and code spans (a link in code is no link)."""
    return re.sub(r"`[^`\n]*`", "", FENCE.sub("", text))


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file: lower case, punctuation dropped, spaces
    as hyphens, a repeated one numbered."""
    seen: dict[str, int] = {}
    found = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*$", FENCE.sub("", path.read_text(encoding="utf-8")), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        found.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return found


def test_the_docs_are_there_and_the_readme_is_short(repo_root):
    assert {p.name for p in DOCS} >= {"README.md", "architecture.md", "operations.md", "benchmarks.md",
                                      "commands.md", "testing.md"}
    assert len((repo_root / "README.md").read_text(encoding="utf-8")) <= 16_000, "README: at most 16,000 characters"


@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_every_relative_link_resolves(doc):
    broken = []
    for target in LINK.findall(prose(doc.read_text(encoding="utf-8"))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: …: another host's
            continue
        path, _, anchor = target.partition("#")
        file = (doc.parent / path).resolve() if path else doc
        if not file.exists():
            broken.append(f"{target}: no file {path}")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{target}: no heading #{anchor} in {doc_id(file)}")
    assert not broken, f"{doc_id(doc)}: broken links {broken}"


def shell_commands(doc: Path) -> list[str]:
    """Each command line of the doc's ```sh blocks but those marked illustrative."""
    text = doc.read_text(encoding="utf-8")
    lines = []
    for block in FENCE.finditer(text):
        if block.group(2) not in SHELLS:
            continue
        before = text[:block.start()].rstrip().rsplit("\n", 1)[-1].strip()
        if before.startswith(ILLUSTRATIVE):
            continue
        joined = block.group(3).replace("\\\n", " ")
        lines += [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]
    return lines


def simple_commands(line: str) -> list[list[str]]:
    """The simple commands of a shell line (split at &&, ||, ;, |), without env assignments and nice."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    commands, words = [], []
    for token in [*lexer, ";"]:
        if set(token) <= set(";&|"):
            while words and (re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]) or words[0] == "nice"):
                words.pop(0)
            if words:
                commands.append(words)
            words = []
        else:
            words.append(token)
    return commands


@functools.cache
def help_of(*argv: str) -> str:
    result = subprocess.run([sys.executable, *argv, "--help"], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, f"{' '.join(argv)} --help: {result.stderr}"
    return result.stdout


def options(words: list[str]) -> list[str]:
    return [w.split("=", 1)[0] for w in words if w.startswith("-") and w != "-"]


def named_files(words: list[str]) -> list[str]:
    """Arguments naming a file of the repository (they must exist)."""
    return [w for w in words if re.match(r"(reports|tests|benchmarks|content|docs|requirements|src)/", w)]


def command_problems(words: list[str]) -> list[str]:
    program = words[0].removeprefix(".venv/bin/")
    args = words[1:]
    if program in {"python", "python3"}:
        if args[:2] == ["-m", "venv"]:
            return []
        if args[:1] == ["-m"]:
            program, args = args[1], args[2:]
        elif args and args[0].endswith(".py"):
            script = ROOT / args[0]
            if not script.is_file():
                return [f"no script {args[0]}"]
            if "argparse" not in script.read_text(encoding="utf-8"):
                return [f"{args[0]} takes no options"] if options(args[1:]) else []
            text = help_of(args[0])
            return [f"{args[0]} has no option {o}" for o in options(args[1:]) if o not in text]
        else:
            return [f"python {' '.join(args)}: unchecked form"]
    missing = [f"no file {f}" for f in named_files(args) if not (ROOT / f).exists()]
    if program in {"portal", "builder"}:
        if not args or args[0] not in main.commands:
            return [f"portal has no command {args[:1]}"]
        text = CliRunner().invoke(main, [args[0], "--help"]).output
        return missing + [f"portal {args[0]} has no option {o}" for o in options(args[1:]) if o not in text]
    if program == "mkdocs":
        text = help_of("-m", "mkdocs", args[0])
        return missing + [f"mkdocs {args[0]} has no option {o}" for o in options(args[1:]) if o not in text]
    if program == "pytest":
        text = help_of("-m", "pytest")
        problems = [f"pytest has no option {o}" for o in options(args) if o not in text]
        markers = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"][
            "ini_options"].get("markers", [])
        registered = {m.split(":")[0].strip() for m in markers}
        for flag, value in zip(args, args[1:]):
            if flag == "-m":
                problems += [f"pytest marker {w} is not registered" for w in re.findall(r"\w+", value)
                             if w not in {"and", "or", "not"} and w not in registered]
        return missing + problems
    if program == "pip" and args[:1] == ["install"]:
        extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
            "optional-dependencies"]
        problems = []
        for flag, value in zip(args, args[1:]):
            if flag == "-r" and not (ROOT / value).is_file():
                problems.append(f"no requirements file {value}")
            if flag == "-e":
                problems += [f"no extra [{e}]" for e in re.findall(r"\[([^\]]+)\]", value)
                             for e in e.split(",") if e not in extras]
        return problems
    if "/" in program:  # a script of the repository's (requirements/compile)
        return [] if (ROOT / program).is_file() and os.access(ROOT / program, os.X_OK) else [f"no script {program}"]
    return [f"{program}: not checked here; mark the block {ILLUSTRATIVE} --> or teach tests/test_docs.py it"]


@pytest.mark.parametrize("doc", DOCS, ids=doc_id)
def test_every_shell_command_in_the_docs_exists(doc):
    problems = [f"{line}: {problem}" for line in shell_commands(doc)
                for words in simple_commands(line) for problem in command_problems(words)]
    assert not problems, f"{doc_id(doc)}: {problems}"


def test_the_command_checker_catches_what_it_should():
    assert command_problems(["portal", "biuld"]) and command_problems(["portal", "build", "--rebuld"])
    assert command_problems([".venv/bin/mkdocs", "build", "--strikt"])
    assert command_problems(["python", "benchmarks/scale.py", "--reprots", "1"])
    assert command_problems(["python", "-m", "pytest", "-m", "not sloww"])
    assert command_problems(["pip", "install", "-e", ".[tset]"]) and command_problems(["rsync", "-a"])
    assert command_problems(["portal", "check", "reports/no-such-file.pdf"]) and command_problems(["requirements/x"])
    assert not command_problems(["portal", "build", "--rebuild"])
    assert simple_commands('A=1 nice x --y "a b" && z | w') == [["x", "--y", "a b"], ["z"], ["w"]]
