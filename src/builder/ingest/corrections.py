"""Corrections by commit: ``<report file>.corrections.yml`` beside a report, reviewed like code.

    - cell: applications.carried_forward.total   # the dotted path of the cell
      value: 0                                    # what the report really prints
      reason: 原件第 5 页表格中该格为 0，文字层缺失   # why: shown on the page and in the open data

A correction replaces the extracted value (a wrong number, or an unknown one) and is marked as
corrected by hand wherever the value is shown. A correction naming a cell that does not exist, or
without a reason, is an error that makes ``portal check`` fail.
"""
from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import yaml

from builder.extract.templates import TEMPLATES
from builder.ingest.sources import safe_yaml
from builder.models import Finding, Report


def corrections_file(path: Path) -> Path:
    return path.with_name(path.name + ".corrections.yml")


def apply_corrections(report: Report) -> Report:
    """The report with its corrections applied and reported; unchanged when it has none."""
    file = corrections_file(report.source.path)
    if not file.exists():
        return report
    findings: list[Finding] = []
    tables = copy.deepcopy(report.tables)
    try:
        entries = safe_yaml(file.read_text(encoding="utf-8")) or []
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        entries = []
        findings.append(Finding("correction.invalid", "corrections",
                                f"{file.name}: 不是有效的 YAML（{exc.__class__.__name__}），其中的更正均未采用。", "error"))
    if not isinstance(entries, list):
        findings.append(Finding("correction.invalid", "corrections",
                                f"{file.name}: 应为更正条目的列表（每条有 cell、value、reason）。", "error"))
        entries = []
    valid = {p for t in TEMPLATES[report.template].tables for p in t.cell_paths} if report.template else set()
    for n, entry in enumerate(entries, 1):
        cell = str(entry.get("cell", "")) if isinstance(entry, dict) else ""
        if not isinstance(entry, dict) or cell not in valid or not str(entry.get("reason") or "").strip() \
                or "value" not in entry:
            findings.append(Finding("correction.invalid", cell or "corrections",
                                    f"{file.name} 第 {n} 条：单元格「{cell or '?'}」在 {report.template or '未知'} 版格式中不存在，"
                                    f"或缺少 value / reason；此条未采用。", "error"))
            continue
        table, row, col = cell.split(".")
        printed = tables[table][row][col]
        value = entry["value"]
        tables[table][row][col] = value
        findings.append(Finding("cell.corrected", cell,
                                f"人工更正：{printed if printed is not None else '未知'} → {value}。理由：{entry['reason']}",
                                "info"))
    return dataclasses.replace(report, tables=tables, warnings=report.warnings + tuple(findings))
