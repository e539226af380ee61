"""A report's sidecar ``<file>.meta.yml``: what the file and its folders cannot tell, checked key by key.

    region: [福建省, 平潭综合实验区]      # a list of names, province first: overrides the folders
    agency: 平潭综合实验区管理委员会       # overrides the title
    year: 2023                           # overrides the title (a conflict is an error on the report)
    url: https://www.pingtan.gov.cn/…    # where the agency published the report: source.url, 原文发布地址
    published: 2024-03-08                # when it was published (YYYY-MM-DD): source.published, 发布日期

Loaded with a safe YAML loader (plain data, never Python objects), refusing anchors and aliases (``&``,
``*``: a few hundred bytes of them expand to gigabytes) and files over 1 MB. ``agency`` and each
``region`` item are names only: Chinese characters, letters, digits and （）()·、—-, at most 60. A
sidecar that is not valid, has a key we do not know or a value of the wrong type is the maintainer's
error: ``BadSidecar`` names the file, the line and the fix, and stops ``portal build`` (``portal check``
fails on it too).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from builder.errors import BadSidecar

SIDECAR_KEYS = ("region", "agency", "year", "url", "published")
YEARS = range(2008, 2100)  # the 条例's annual reports began with 2008
# A web address as RFC 3986 writes it: no space, control character, quote or angle bracket unencoded.
_NOT_URL = r"\s\x00-\x1f\x7f<>\"'`{}|\\^"
_URL = re.compile(rf"https?://[^{_NOT_URL}/?#]+\.[^{_NOT_URL}/?#]+[^{_NOT_URL}]*")
# A name of an agency or region: CJK (with its extensions), letters, digits and （）()·、—-.
NAME = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134fA-Za-z0-9"
                  r"\uff10-\uff19\uff21-\uff3a\uff41-\uff5a（）()·、—\-]{1,60}")
NAME_RULE = "Chinese characters, letters, digits and （）()·、—- only, at most 60"
MAX_BYTES = 1 << 20  # a sidecar or corrections file is a few lines: more is not one


class Refused(yaml.YAMLError):
    """YAML we do not read: anchors and aliases (``&a``, ``*a``), whose expansion is unbounded."""

    def __init__(self, line: int):
        self.line = line
        self.problem = "YAML anchors and aliases (& and *) are not allowed"
        self.problem_mark = None
        super().__init__(self.problem)


class TooLarge(ValueError):
    """A sidecar or corrections file over MAX_BYTES: not read further."""


def read_text(path: Path) -> str:
    """The file's text, read no further than MAX_BYTES (raises ``TooLarge`` beyond, UnicodeDecodeError
    when it is not UTF-8)."""
    with path.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise TooLarge(f"{path} is larger than {MAX_BYTES >> 20} MB")
    return data.decode("utf-8")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_yaml(text: str):
    """``yaml.safe_load``, with libyaml's C parser where PyYAML has it (ten times faster; still only
    plain data, never Python objects); raises ``Refused`` at the first anchor or alias, before any is
    expanded (the events are read one by one: memory stays that of the text)."""
    if "&" in text or "*" in text:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise Refused(event.start_mark.line + 1)
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


def key_lines(text: str) -> dict[str, int]:
    """{key: its line (1-based)} of a YAML mapping; {} when the text is not one."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def item_lines(text: str) -> list[int]:
    """The line (1-based) where each item of a YAML sequence starts; [] when the text is not one."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    return [item.start_mark.line + 1 for item in node.value] if isinstance(node, yaml.SequenceNode) else []


def beside(path: Path, kind: str) -> Path:
    """``<file>.<kind>.yml`` beside the report (or ``.yaml``, when only that one exists)."""
    yml = path.with_name(f"{path.name}.{kind}.yml")
    yaml_ = path.with_name(f"{path.name}.{kind}.yaml")
    return yaml_ if not yml.exists() and yaml_.exists() else yml


def bad_date_line(text: str) -> int:
    """The line of the first value YAML takes for a date but cannot make one of (0 if none)."""
    try:
        nodes = [yaml.compose(text, Loader=yaml.SafeLoader)]
    except yaml.YAMLError:
        return 0
    while nodes:
        node = nodes.pop(0)
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
            try:
                yaml.SafeLoader("").construct_yaml_timestamp(node)
            except ValueError:
                return node.start_mark.line + 1
        elif isinstance(node, yaml.MappingNode):
            nodes += [value for _, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            nodes += node.value
    return 0


def sidecar_file(path: Path) -> Path:
    return beside(path, "meta")


def read_sidecar(path: Path) -> dict:
    """The checked sidecar of the report at ``path`` ({} when it has none); raises ``BadSidecar``."""
    sidecar = sidecar_file(path)
    if sidecar.is_symlink() or sidecar.exists() and not sidecar.is_file():
        raise BadSidecar(sidecar, "a symbolic link or not a regular file (never followed)",
                         "commit the sidecar itself in its place", line=0)
    if not sidecar.exists():
        return {}
    text = ""
    try:
        text = read_text(sidecar)
        data = safe_yaml(text)
    except UnicodeDecodeError as exc:
        raise BadSidecar(sidecar, "the file is not UTF-8", "save it as UTF-8", line=0) from exc
    except TooLarge as exc:
        raise BadSidecar(sidecar, f"larger than {MAX_BYTES >> 20} MB: not a sidecar",
                         "keep only the keys region, agency, year, url and published", line=0) from exc
    except Refused as exc:
        raise BadSidecar(sidecar, exc.problem, "write each value out in full, e.g. `year: 2023`", line=exc.line) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BadSidecar(sidecar, f"not valid YAML ({getattr(exc, 'problem', None) or exc.__class__.__name__})",
                         "write one `key: value` a line, e.g. `year: 2023`",
                         line=mark.line + 1 if mark else 0) from exc
    except ValueError as exc:  # a value YAML reads as a date, but an impossible one (2024-13-08)
        if line := bad_date_line(text):
            raise BadSidecar(sidecar, f"not a real date ({exc})",
                             "write the date as YYYY-MM-DD, e.g. `published: 2024-03-08`", line=line) from exc
        raise BadSidecar(sidecar, "a value YAML cannot read (a number of thousands of digits?)",
                         "write one `key: value` a line, e.g. `year: 2023`", line=0) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BadSidecar(sidecar, "must be a mapping of keys to values", "write one `key: value` a line, "
                         f"with the keys {', '.join(SIDECAR_KEYS)}", line=1)
    for key, value in data.items():
        problem, fix = _problem(str(key), value)
        if problem:  # the line is looked for only now: YAML's pure-Python composer is slow on 10,000 sidecars
            raise BadSidecar(sidecar, problem, fix, line=key_lines(text).get(str(key), 0))
    if "published" in data:
        data = {**data, "published": _date(data["published"]).isoformat()}
    return data


def _problem(key: str, value) -> tuple[str, str]:
    """(what is wrong with ``key: value``, the fix), or ("", "")."""
    if key not in SIDECAR_KEYS:
        return f"unknown key '{key}'", f"use only {', '.join(SIDECAR_KEYS)} (see README, 'Adding a report')"
    if key == "region" and not (isinstance(value, list) and 0 < len(value) <= 6 and all(
            isinstance(x, str) and NAME.fullmatch(x) for x in value)):
        return (f"region must be a list of names, province first ({NAME_RULE} each)",
                "write e.g. `region: [福建省, 平潭综合实验区]`")
    if key == "agency" and not (isinstance(value, str) and NAME.fullmatch(value)):
        return f"agency must be the agency's name ({NAME_RULE})", "write e.g. `agency: 平潭综合实验区管理委员会`"
    if key == "year" and not (isinstance(value, int) and not isinstance(value, bool) and value in YEARS):
        return (f"year must be the report's year as a number from {YEARS.start} on, not {_shown(value)}",
                "write e.g. `year: 2023` (no quotes)")
    if key == "url" and not (isinstance(value, str) and _URL.fullmatch(value.strip())):
        return ("url must be the full web address the report was published at, without spaces, quotes or <>",
                "write e.g. `url: https://www.example.gov.cn/zwgk/2024/report.html`")
    if key == "published" and _date(value) is None:
        return (f"published must be the date the report was published, not {_shown(value)}",
                "write it as YYYY-MM-DD, e.g. `published: 2024-03-08`")
    return "", ""


def _shown(value) -> str:
    """A wrong value as the message quotes it: short, and never markup (it may reach a CI summary)."""
    text = repr(value) if not isinstance(value, int) or abs(value) < 10 ** 20 else "a number of many digits"
    text = re.sub(r"[<>&\"'`]", "?", text)
    return text if len(text) <= 40 else text[:39] + "…"


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None  # a time as well: say the date only
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
