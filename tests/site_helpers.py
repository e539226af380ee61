"""Building the site in a temporary folder, as `portal build` + `mkdocs build --strict` do in the repo."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# what the Publish workflow sets for `mkdocs build`: the last commit's time, the public address, the repository
PUBLISH_ENV = {"SOURCE_DATE_EPOCH": "1700000000", "PORTAL_SITE_URL": "https://portal.example.gov.cn/nianbao/",
               "PORTAL_REPOSITORY_URL": "https://github.com/example/nianbao"}


def copy_hand_written(content: Path) -> None:
    """The hand-written part of content/: its pages, assets (scripts, styles, vendored Chart.js) and templates."""
    from builder.publish.tree import hand_written_files

    for path in hand_written_files(ROOT / "content"):
        target = content / path.relative_to(ROOT / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)


def write_content(tmp: Path, reports: list, failures: list) -> Path:
    """tmp/content: the hand-written pages and the generated ones of ``reports`` and ``failures`` (whose
    originals are made up in tmp/repo), as `portal build` writes them."""
    from builder.publish.tree import write_tree
    from builder.render.site import original_files, render_site

    content = tmp / "content"
    copy_hand_written(content)
    originals = tmp / "repo"
    for item in (*reports, *failures):
        path = originals / item.source.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"original of {item.source.path.name}".encode("utf-8"))
    write_tree(content, render_site(reports, failures), original_files(reports, failures, originals))
    return content


def mkdocs_config(tmp: Path, content: Path, site: Path, pages_per_index: int | None = None,
                  search: bool = True) -> Path:
    """Our mkdocs.yml, pointed at a temporary content/ and site/ (read as text: it holds a !!python tag);
    with ``pages_per_index``, a search index in parts of that many pages, as a large site has; without
    ``search``, no index (as `portal index` is then to write it)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if not search:
        text, found = re.subn(r"(?m)^(\s+)- portal-search:$", r"\g<0>\n\g<1>    enabled: false", text)
        assert found == 1, "mkdocs.yml lists the portal-search plugin"
    text = re.sub(r"(?m)^docs_dir: .*$", f"docs_dir: {content}", text)
    text = re.sub(r"(?m)^site_dir: .*$", f"site_dir: {site}", text)
    text, found = re.subn(r"(?m)^(\s+custom_dir: )(\S+)", rf"\g<1>{ROOT}/\g<2>", text)
    assert found == 1, "mkdocs.yml sets the theme's custom_dir"
    if pages_per_index:
        text, found = re.subn(r"(?m)^(\s+pages_per_index: )\d+", rf"\g<1>{pages_per_index}", text)
        assert found == 1, "mkdocs.yml sets portal-search's pages_per_index"
    config = tmp / f"mkdocs-{site.name}.yml"
    config.write_text(text, encoding="utf-8")
    return config


def mkdocs_build(tmp: Path, content: Path, name: str, pages_per_index: int | None = None,
                 search: bool = True) -> Path:
    return mkdocs_build_logged(tmp, content, name, pages_per_index, search)[0]


def mkdocs_build_logged(tmp: Path, content: Path, name: str, pages_per_index: int | None = None,
                        search: bool = True) -> tuple[Path, str]:
    """(the site built into tmp/name, mkdocs's log); the search index's cache is tmp/.cache/portal/search."""
    site = tmp / name
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **PUBLISH_ENV}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                             str(mkdocs_config(tmp, content, site, pages_per_index, search))],
                            capture_output=True, text=True, env=env, cwd=tmp)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return site, result.stderr


def portal_build(reports: Path, content: Path) -> None:
    """`portal build` into ``content``, with a cache of its own beside it (never the working tree's
    .cache/portal, which a test would then read from one run to the next)."""
    result = subprocess.run([sys.executable, "-m", "builder", "build", "--reports", str(reports),
                             "--content", str(content), "--cache", str(content.parent / ".cache" / content.name)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def portal_index(site: Path, *options: str, cwd: Path = ROOT) -> str:
    """`portal index SITE` (what CI runs after `zensical build`); its output line."""
    result = subprocess.run([sys.executable, "-m", "builder", "index", str(site), *options],
                            capture_output=True, text=True, cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def empty_admonitions(site: Path) -> list[str]:
    """Every admonition or <details> box in the built site with nothing in it but its title, as
    "page: title" (an indented body that jinja's lstrip_blocks unindented renders as such a box)."""
    from lxml import html

    empty = []
    for page in sorted(site.rglob("*.html")):
        tree = html.fromstring(page.read_text(encoding="utf-8"))
        for box in tree.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' admonition ')] | //details"):
            titles = [c for c in box if c.tag == "summary" or "admonition-title" in (c.get("class") or "")]
            title = "".join(t.text_content() for t in titles)
            if not box.text_content().replace(title, "", 1).strip():
                empty.append(f"{page.relative_to(site)}: {title.strip()}")
    return empty


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site as a static host does, without a log line a request."""

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def served(directory: Path, handler: type[http.server.BaseHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """``directory`` served on loopback while the block runs: yields its address, ``http://127.0.0.1:PORT/``."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
