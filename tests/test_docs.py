"""The README and --help stay true (after datasette's test_docs.py)."""
from __future__ import annotations

import re

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
    for name, command in main.commands.items():
        assert f"portal {name}" in readme, f"README does not document `portal {name}`"
        help_text = CliRunner().invoke(main, [name, "--help"]).output
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, f"README does not document {opt} of portal {name}"
                    assert opt in help_text


def test_every_open_data_key_is_documented(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    from builder.render.open_data import report_to_open_data
    from builder.pipeline import parse
    from conftest import report_fixtures

    data = report_to_open_data(parse(report_fixtures()[0]))
    for key in data:
        assert f"`{key}`" in readme, f"README does not document the open-data key `{key}`"


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
