"""Page names: readable, deterministic, safe in URLs and file names, and each a function of its report
alone, so that adding a file never moves another page.

A report's address is ``<year>-<agency>``; where another agency of that name could be elsewhere (the
name does not itself carry the agency's region), the region comes first: ``2023-福建省-福州市-鼓楼区人民政府``,
``2023-江苏省-淮安市-洪泽区-教育局``. A file that could not be parsed is named for its path under reports/. Two different reports
that would still share a name (the same agency and year twice, or names that clean alike) are the
maintainer's to settle: ``address_problems`` names them and stops the build.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath

from builder.extract.gazetteer import placed, region_of
from builder.models import SourceFile

# Characters with a meaning in URLs, Markdown links, shells or some file system, and control characters.
_UNSAFE = re.compile(r"[\x00-\x20\x7f/\\?#%&:*\"'<>|\[\](){}+!@$^=;,`~\u3000]+")
RESERVED = {"index"}  # reports/index.md is the list of all reports, agencies/index.md of all agencies
_MAX_LENGTH = 80


def clean_slug(text: str) -> str:
    """``text`` made safe; one longer than 80 characters is cut, with a short hash of the whole (two long
    names that begin alike stay apart)."""
    slug = _UNSAFE.sub("-", text).strip("-.")
    if len(slug) > _MAX_LENGTH:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug[:_MAX_LENGTH - 9].rstrip('-.')}-{digest}"
    slug = slug or "report"
    return f"{slug}-page" if slug.casefold() in RESERVED else slug


def named_in_full(agency: str, region: tuple[str, ...]) -> bool:
    """Whether the agency's name alone tells where it is: the gazetteer places the name in its region
    (绥棱县工业信息科技局), or the name holds its region's own name and no other division is called so
    (平潭综合实验区, 文昌湖区招商局; not 鼓楼区人民政府, 鼓楼区 being in four cities)."""
    if not region or region_of(agency) == region:
        return True
    return region[-1] in agency and len(placed(region[-1])) <= 1


def _located(agency: str, region: tuple[str, ...]) -> str:
    """The agency's name, after the names of its region it does not hold where it does not carry them:
    鼓楼区人民政府 in 福建省/福州市/鼓楼区 → 福建省-福州市-鼓楼区人民政府."""
    if named_in_full(agency, region):
        return agency
    return "-".join((*(name for name in region if name not in agency), agency))


def agency_slug(agency: str, region: tuple[str, ...]) -> str:
    """An agency's page name: its name, after its region where the name does not carry it."""
    return clean_slug(_located(agency, region))


def report_slug(agency: str, region: tuple[str, ...], year: int) -> str:
    return clean_slug(f"{year}-{_located(agency, region)}")


def file_slug(source: SourceFile) -> str:
    """The page name of a file that could not be parsed (or whose agency or year is unknown): its path
    under reports/, ``reports/浙江省/杭州市/scan only.pdf`` → ``浙江省-杭州市-scan-only-pdf``."""
    parts = source.path.as_posix().split("/")
    under = parts[len(parts) - 1 - parts[::-1].index("reports") + 1:] if "reports" in parts[:-1] else parts[-1:]
    path = PurePosixPath(*under)
    suffix = path.suffix
    return clean_slug(f"{path.with_suffix('').as_posix()}-{suffix[1:]}" if suffix else path.as_posix())


def source_key(source: SourceFile) -> str:
    return source.path.as_posix()
