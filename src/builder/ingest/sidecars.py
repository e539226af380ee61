"""A report's sidecar ``<file>.meta.yml``: what the file and its folders cannot tell, checked key by key.

    region: [福建省, 平潭综合实验区]      # a list of names, province first: overrides the folders
    agency: 平潭综合实验区管理委员会       # overrides the title
    year: 2023                           # overrides the title (a conflict is an error on the report)
    url: https://www.pingtan.gov.cn/…    # where the agency published the report: source.url, 原文发布地址
    published: 2024-03-08                # when it was published (YYYY-MM-DD): source.published, 发布日期

Loaded with a safe YAML loader (plain data, never Python objects). A sidecar that is not valid, has a
key we do not know or a value of the wrong type is the maintainer's error: ``BadSidecar`` names the
file, the line and the fix, and stops ``portal build`` (``portal check`` fails on it too).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from builder.errors import BadSidecar

SIDECAR_KEYS = ("region", "agency", "year", "url", "published")
YEARS = range(2008, 2100)  # the 条例's annual reports began with 2008
_URL = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+[^\s]*")


def safe_yaml(text: str):
    """``yaml.safe_load``, with libyaml's C parser where PyYAML has it (ten times faster; still only
    plain data, never Python objects)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


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
    if not sidecar.exists():
        return {}
    try:
        text = sidecar.read_text(encoding="utf-8")
        data = safe_yaml(text)
    except UnicodeDecodeError as exc:
        raise BadSidecar(sidecar, "the file is not UTF-8", "save it as UTF-8", line=0) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BadSidecar(sidecar, f"not valid YAML ({getattr(exc, 'problem', None) or exc.__class__.__name__})",
                         "write one `key: value` a line, e.g. `year: 2023`",
                         line=mark.line + 1 if mark else 0) from exc
    except ValueError as exc:  # a value YAML reads as a date, but an impossible one (2024-13-08)
        raise BadSidecar(sidecar, f"not a real date ({exc})", "write the date as YYYY-MM-DD, e.g. `published: 2024-03-08`",
                         line=bad_date_line(text)) from exc
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
    if key == "region" and not (isinstance(value, list) and value and all(isinstance(x, str) and x.strip()
                                                                         for x in value)):
        return "region must be a list of names, province first", "write e.g. `region: [福建省, 平潭综合实验区]`"
    if key == "agency" and not (isinstance(value, str) and value.strip()):
        return "agency must be the agency's name", "write e.g. `agency: 平潭综合实验区管理委员会`"
    if key == "year" and not (isinstance(value, int) and not isinstance(value, bool) and value in YEARS):
        return (f"year must be the report's year as a number from {YEARS.start} on, not {value!r}",
                "write e.g. `year: 2023` (no quotes)")
    if key == "url" and not (isinstance(value, str) and _URL.fullmatch(value.strip())):
        return (f"url must be the full web address the report was published at, not {value!r}",
                "write e.g. `url: https://www.example.gov.cn/zwgk/2024/report.html`")
    if key == "published" and _date(value) is None:
        return (f"published must be the date the report was published, not {value!r}",
                "write it as YYYY-MM-DD, e.g. `published: 2024-03-08`")
    return "", ""


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
