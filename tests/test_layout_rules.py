"""The house rules of the source tree, so that later work keeps them: modules small enough to read in one
sitting, one room per page kind (render/site.py orchestrates and builds no page's context), and the
stages' arrows running one way (what extraction hands on is plain text, not Markdown)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "builder"
MODULES = sorted(SRC.rglob("*.py"))
MAX_LINES = 450


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(SRC).as_posix())
def test_every_module_reads_in_one_sitting(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, (f"{path.relative_to(SRC)} has {lines} lines (at most {MAX_LINES}): split it by "
                                f"concept, as extract/ and render/ are")


def test_site_builds_no_page_kind_context():
    """Each page's context comes from its page kind's module: site.py defines no builder of one, and
    every page it renders gets its context only as ``**`` of what a page kind's function returns (or
    yields: ``**context``), its description too from such a function."""
    tree = _tree(SRC / "render" / "site.py")
    builders = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)
                and (node.name.endswith(("_context", "_description", "_pages", "_rows"))
                     or any(isinstance(n, ast.Return) and isinstance(n.value, ast.Dict) for n in ast.walk(node)))]
    assert builders == [], f"render/site.py builds page contexts ({builders}): move them to the page kind's module"
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Name) and node.func.id == "page"]
    assert calls, "render/site.py renders its pages with page(path, template, **context)"
    for call in calls:
        for keyword in call.keywords:
            given = (ast.Call, ast.Name) if keyword.arg is None else (ast.Call,)
            assert keyword.arg in (None, "description") and isinstance(keyword.value, given), \
                f"render/site.py line {call.lineno}: page(…, {keyword.arg or '**'}=…) is context built in site.py"


@pytest.mark.parametrize("stage", ["ingest", "extract", "validate"])
def test_earlier_stages_import_nothing_from_render_or_publish(stage):
    """Extraction hands render plain text (models.Passage), which render escapes where it lands."""
    for path in sorted((SRC / stage).rglob("*.py")):
        for node in ast.walk(_tree(path)):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                assert not name.startswith(("builder.render", "builder.publish")), \
                    f"{path.relative_to(SRC)} line {node.lineno} imports {name}"
