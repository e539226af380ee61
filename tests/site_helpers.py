"""Building the site in a temporary folder, as `portal build` + `mkdocs build --strict` do in the repo."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def copy_hand_written(content: Path) -> None:
    """The hand-written part of content/: its pages and assets (scripts, styles, vendored Chart.js)."""
    content.mkdir(parents=True, exist_ok=True)
    for page in (ROOT / "content").glob("*.md"):
        if page.name not in {"index.md", "stats.md", "quality.md", "downloads.md"}:  # generated
            shutil.copy(page, content / page.name)
    shutil.copytree(ROOT / "content" / "assets", content / "assets", dirs_exist_ok=True)


def mkdocs_config(tmp: Path, content: Path, site: Path) -> Path:
    """Our mkdocs.yml, pointed at a temporary content/ and site/ (read as text: it holds a !!python tag)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^docs_dir: .*$", f"docs_dir: {content}", text)
    text = re.sub(r"(?m)^site_dir: .*$", f"site_dir: {site}", text)
    text = re.sub(r"(?m)^(\s+jieba_dict_user: )content/(.*)$", rf"\g<1>{content}/\g<2>", text)
    config = tmp / f"mkdocs-{site.name}.yml"
    config.write_text(text, encoding="utf-8")
    return config


def mkdocs_build(tmp: Path, content: Path, name: str) -> Path:
    site = tmp / name
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                             str(mkdocs_config(tmp, content, site))],
                            capture_output=True, text=True, env=env, cwd=tmp)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return site


def portal_build(reports: Path, content: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "builder", "build", "--reports", str(reports),
                             "--content", str(content)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
