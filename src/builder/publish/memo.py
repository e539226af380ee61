"""Report pages that have not changed since the last build are not rendered again.

A report's page and open data depend only on the report, the links on its page and the builder's own
code. ``PageMemo`` remembers, per content folder, a key of those inputs for every report page written;
when the key is the same and the file is still in content/, the renderer marks the page ``UNCHANGED``
and ``write_tree`` keeps the file. With 10,000 reports this is most of an incremental build's work.
The memo lives beside the parse cache, so ``portal build --rebuild`` renders everything again.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from builder.files import code_digest, folder_key, read_record, write_record


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged()  # a page value: the file already in content/ is up to date


# What pages are made from besides the reports (whose extraction is in their open data already): the
# renderer, its templates, the table labels and the models.
RENDER_CODE = ("render", "publish", "extract/templates.py", "models.py", "__init__.py")
CODE_VERSION = code_digest(RENDER_CODE)  # any change to it renders every page again


class PageMemo:
    """{page path: key of its inputs} of the pages in one content folder, kept in ``cache_dir``."""

    def __init__(self, cache_dir: Path, content_dir: Path, enabled: bool = True):
        self.path = cache_dir / f"pages-{folder_key(content_dir)}.json"
        self.content_dir = content_dir
        self.previous: dict[str, str] = read_record(self.path) if enabled else {}  # {}: render every page
        # Forgotten until ``save``: a build that stops half-way leaves no memo, so nothing is kept from it.
        self.path.unlink(missing_ok=True)
        self.current: dict[str, str] = {}

    @staticmethod
    def key(*inputs: str) -> str:
        return hashlib.sha256("\0".join((CODE_VERSION, *inputs)).encode("utf-8")).hexdigest()

    def unchanged(self, paths: tuple[str, ...], key: str) -> bool:
        """Whether every one of ``paths`` was written from inputs with this key and is still there;
        either way, the key is what these paths will hold after this build."""
        same = all(self.previous.get(p) == key and (self.content_dir / p).is_file() for p in paths)
        self.current.update((p, key) for p in paths)
        return same

    def save(self) -> None:
        """Called once content/ is written."""
        write_record(self.path, self.current)
