"""Corrections by commit: ``<report file>.corrections.yml`` beside a report, reviewed like code.

    - cell: applications.carried_forward.total   # the dotted path of the cell, as in the open data
      value: 0                                    # what the report really prints (null: cannot be told)
      reason: 原件第 5 页表格中该格为 0，文字层缺失   # why: shown on the page and in the open data

A correction replaces the extracted value (a wrong number, or an unknown one); the page and the open
data show it as corrected by hand, with its reason, apart from the parser's notes. Each entry is
checked against the report's format: the cell must exist, the value must be one the cell can hold
(counts are whole numbers ≥ 0, 本年增/减 a signed whole number, amounts in 万元 a number ≥ 0, the
procurement amount the text as printed; a number at most 2^53 − 1, the largest JSON keeps exactly), the
reason must be given. The YAML is read as sidecars are (no anchors or aliases, at most 1 MB). A wrong
entry is the maintainer's
error: a ``correction.invalid`` finding naming the file, the line and the fix, which fails
``portal check`` and stops ``portal build``.
"""
from __future__ import annotations

import copy
import dataclasses
import math
from pathlib import Path

import yaml

from builder.extract.templates import TEMPLATES, Column
from builder.ingest.sidecars import (MAX_BYTES, Refused, TooLarge, bad_date_line, beside, item_lines, read_text,
                                     safe_yaml)
from builder.models import Correction, Finding, Origin, Report, Value

ENTRY_KEYS = ("cell", "value", "reason")
EXAMPLE = "applications.new_received.total"
MAX_NUMBER = 2 ** 53 - 1  # beyond, a JSON reader (JavaScript's among them) no longer keeps every digit


def corrections_file(path: Path) -> Path:
    return beside(path, "corrections")


def apply_corrections(report: Report) -> Report:
    """The report with its valid corrections applied and its invalid ones as error findings."""
    file = corrections_file(report.source.path)
    if not file.exists() and not file.is_symlink():
        return report
    corrections, problems = read_corrections(file, report)
    tables = copy.deepcopy(report.tables)
    for c in corrections:
        table, row, column = c.cell.split(".")
        tables[table][row][column] = c.value
    findings = tuple(Finding("correction.invalid", where, message, "error") for where, message in problems)
    return dataclasses.replace(report, tables=tables, corrections=tuple(corrections),
                               warnings=report.warnings + findings, origins=_corrected_origins(report, file, corrections))


def _corrected_origins(report: Report, file: Path, corrections: list[Correction]) -> dict[str, Origin]:
    """Each corrected cell keeps where the report printed it (else its row, when that is known) and names the
    corrections file and the line of its entry."""
    origins = dict(report.origins)
    for c in corrections:
        row = origins.get(c.cell.rsplit(".", 1)[0])
        printed = origins.get(c.cell) or (dataclasses.replace(row, text="") if row else Origin())
        origins[c.cell] = dataclasses.replace(printed, corrections=file.as_posix(), corrections_line=c.line or None)
    return dict(sorted(origins.items()))


def read_corrections(file: Path, report: Report) -> tuple[list[Correction], list[tuple[str, str]]]:
    """(the valid corrections, [(where, message)] for each invalid entry). A message names the file, the
    line, what is wrong (cell does not exist / value missing / reason missing / …) and the fix."""
    if file.is_symlink() or not file.is_file():
        return [], [("corrections", f"{file}: a symbolic link or not a regular file (never followed) — commit the "
                                    "corrections file itself in its place")]
    text = ""
    try:
        text = read_text(file)
        entries = safe_yaml(text)
    except UnicodeDecodeError:
        return [], [("corrections", f"{file}: not UTF-8 — save the file as UTF-8")]
    except TooLarge:
        return [], [("corrections", f"{file}: larger than {MAX_BYTES >> 20} MB — keep one entry per corrected cell")]
    except Refused as exc:
        return [], [("corrections", f"{file}, line {exc.line}: {exc.problem} — write each entry's cell, value and "
                                    "reason out in full")]
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: an impossible date
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else bad_date_line(text)
        at = f", line {line}" if line else ""
        if not mark and not line:  # Python reads no integer of over 4,300 digits
            return [], [("corrections", f"{file}: a value YAML cannot read (a number of thousands of digits?) — "
                                        f"a value is at most 2^53 − 1 ({MAX_NUMBER})")]
        return [], [("corrections", f"{file}{at}: not valid YAML ({getattr(exc, 'problem', None) or exc}) — "
                                    "write a list of entries, each with cell, value and reason (see README)")]
    if entries is None:
        return [], []
    if not isinstance(entries, list):
        return [], [("corrections", f"{file}, line 1: must be a list of entries — start each entry with "
                                    f"'- cell: …', then 'value: …' and 'reason: …' (see README)")]
    template = TEMPLATES.get(report.template or "")
    columns = {f"{t.key}.{r.key}.{c.key}": c for t in template.tables for r in t.rows for c in r.columns} \
        if template else {}
    lines = item_lines(text)
    corrections, problems, seen = [], [], {}
    for n, entry in enumerate(entries):
        line = lines[n] if n < len(lines) else 0
        at = f"{file}, line {line}" if line else f"{file}, entry {n + 1}"
        problem = _problem(entry, columns, report.template, seen)
        cell = str(entry.get("cell", "")) if isinstance(entry, dict) else ""
        if problem:
            problems.append((cell if cell in columns else "corrections", f"{at}: {problem}"))
            continue
        seen[cell] = line
        table, row, column = cell.split(".")
        printed = report.tables[table][row][column]
        corrections.append(Correction(cell, printed, entry["value"], str(entry["reason"]).strip(), line))
    return corrections, problems


def _problem(entry, columns: dict[str, Column], template: str | None, seen: dict[str, int]) -> str:
    """What is wrong with one entry, and the fix; "" when it is right."""
    if not isinstance(entry, dict):
        return "an entry must be a mapping — write '- cell: …' with 'value: …' and 'reason: …' under it"
    unknown = [str(k) for k in entry if k not in ENTRY_KEYS]
    if unknown:
        return f"unknown key {', '.join(repr(k) for k in unknown)} — an entry has only cell, value and reason"
    cell = entry.get("cell")
    if not isinstance(cell, str) or not cell.strip():
        return f"cell missing — give the dotted path of the cell, as in the open data, e.g. 'cell: {EXAMPLE}'"
    if not columns:
        return ("cell does not exist: the report's format (2019 or 2021) was not recognised, so it has no "
                "cells — fix the report file first (portal check says why)")
    if cell not in columns:
        return (f"cell does not exist: '{cell}' is not a cell of the {template} format — use a dotted path "
                f"of the open data's tables, e.g. '{EXAMPLE}' (see 数据格式)")
    if cell in seen:
        return f"'{cell}' is corrected twice (also line {seen[cell]}) — keep one entry for it"
    if "value" not in entry:
        return f"value missing for '{cell}' — add 'value: …' with what the report prints (null if it cannot be told)"
    wrong = _wrong_value(entry["value"], columns[cell])
    if wrong:
        return f"value {_shown(entry['value'])} for '{cell}': {wrong}"
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        return f"reason missing for '{cell}' — add 'reason: …' saying where in the original the value is seen"
    return ""


def _shown(value) -> str:
    """A value as a message quotes it: a huge number is not written out (nor can Python, past 4,300 digits)."""
    if isinstance(value, int) and abs(value) > MAX_NUMBER:
        return f"of {len(str(MAX_NUMBER))}+ digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _wrong_value(value: Value, column: Column) -> str:
    """Why ``value`` cannot stand in a cell of ``column``'s kind ("" when it can); null always can."""
    if value is None:
        return ""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if number and (abs(value) > MAX_NUMBER or not math.isfinite(value)):  # abs first: no float of a huge int
        return (f"beyond 2^53 − 1 ({MAX_NUMBER}): no report prints such a number — write the value the "
                "report prints")
    if column.kind == "count" and not (number and isinstance(value, int) and value >= 0):
        return "this cell is a count — write a whole number ≥ 0 without quotes, e.g. 'value: 3'"
    if column.kind == "signed" and not (number and isinstance(value, int)):
        return "this cell (本年增/减) is a whole number with its sign — write e.g. 'value: -18' or 'value: 442'"
    if column.kind == "decimal" and not (number and math.isfinite(value) and value >= 0):
        return "this cell is an amount in 万元 — write a number ≥ 0 without quotes, e.g. 'value: 5949.088667'"
    if column.kind == "text" and not isinstance(value, str):
        return "this cell holds the text as printed — write it in quotes, e.g. 'value: \"2623.72万元\"'"
    return ""
