"""Blocks → Report: metadata, sections and tables, the same for every input format."""
from __future__ import annotations

import re

from builder.errors import UnreadableReport
from builder.extract.chinese import fold
from builder.extract.metadata import detect_template, full_agency, read_title
from builder.extract.sections import (find_headings, is_page_chrome, line_width, prose_to_markdown,
                                      section_spans)
from builder.extract.tables import table_start, text_to_tables
from builder.extract.templates import SECTIONS, TEMPLATES
from builder.models import Block, Document, Finding, Report

_PERIOD_YEAR = re.compile(r"(20\d\d)\s*年\s*1\s*月\s*1\s*日\s*(?:起\s*)?至\s*(20\d\d)\s*年\s*12\s*月\s*31\s*日")


def year_of_folders(path) -> int | None:
    """A year named by a folder of the report's path (reports/2020/…, …/2020年/…), if any."""
    for part in path.parent.parts:
        m = re.fullmatch(r"((?:19|20)\d\d)\s*年?度?", part)
        if m:
            return int(m.group(1))
    return None


def blocks_to_text(blocks: tuple[Block, ...]) -> str:
    lines = []
    for b in blocks:
        if b.kind == "heading":
            lines.append("#" * max(b.level, 1) + " " + b.text)
        elif b.kind == "table":
            lines.extend("\t".join(cell.replace("\n", "") for cell in row) for row in b.rows)
        elif b.kind == "note":
            continue
        elif not is_page_chrome(b.text):  # page numbers such as "- 3 -" would split labels
            lines.append(b.text)
    return "\n".join(lines)


def document_to_report(document: Document) -> Report:
    source = document.source
    text = blocks_to_text(document.blocks)
    folded = fold(text)
    findings: list[Finding] = [Finding("source.note", "source", b.text) for b in document.blocks if b.kind == "note"]

    headings = find_headings(folded)
    spans = section_spans(folded, headings)
    head = text[: headings[0].start] if headings else text[:2000]

    title, agency, year = read_title(head)
    if not title and len(headings) < 3:
        raise UnreadableReport(source.path, "this does not look like a 政府信息公开工作年度报告 (no report title, "
                                            f"{len(headings)} of the six section headings)",
                               "commit only annual reports; if this is one, check it is the full text")
    if year is None and (m := _PERIOD_YEAR.search(folded)) and m.group(1) == m.group(2):
        year = int(m.group(1))
    agency = full_agency(agency, text, source.region)
    agency = str(source.sidecar.get("agency") or agency or "") or None
    hints = {"sidecar": source.sidecar.get("year"), "folder": year_of_folders(source.path)}
    for origin, hint in hints.items():
        if hint and year and int(hint) != year:
            findings.append(Finding("metadata.year_conflict", "year",
                                    f"报告标题写的是 {year} 年，{'旁注文件 .meta.yml' if origin == 'sidecar' else '所在文件夹'}"
                                    f"写的是 {hint} 年：请核对并改正其中之一。", "error"))
    if source.sidecar.get("year"):
        year = int(source.sidecar["year"])
    if agency is None:
        findings.append(Finding("metadata.agency", "agency",
                                "报告标题中没有找到机关名称：请在 <文件>.meta.yml 中写明 agency。"))
    if year is None:
        findings.append(Finding("metadata.year", "year",
                                "报告标题中没有找到年度：请在 <文件>.meta.yml 中写明 year。"))

    template_key, certain = detect_template(folded, year)
    if template_key is None:
        findings.append(Finding("template.unknown", "template",
                                "无法判断报告所用的年报格式（2019 或 2021 版）：表格各数均记为未知。请在 .meta.yml 中写明 "
                                "year，或核对报告是否完整。", "error"))
        return Report(source, title, agency, year, None, _sections(text, folded, spans, None), {},
                      tuple(findings))
    if not certain:
        findings.append(Finding("template.guessed", "template",
                                f"报告中没有只属于某一版格式的表头，按年度推定为 {template_key} 版格式。", "info"))
    template = TEMPLATES[template_key]
    for key, _ in SECTIONS:
        if key not in spans:
            findings.append(Finding("section.missing", f"sections.{key}",
                                    f"没有找到「{dict(SECTIONS)[key]}」这一部分的标题。"))

    regions = {t.key: spans[t.key] for t in template.tables if t.key in spans}
    placement = text_to_tables(text, folded, template, regions)
    findings.extend(placement.findings)
    sections = _sections(text, folded, spans, template)
    return Report(source, title, agency, year, template_key, sections, placement.values, tuple(findings))


def _sections(text: str, folded: str, spans: dict[str, tuple[int, int]], template) -> dict[str, str]:
    width = line_width(text.split("\n"))
    out = {}
    for key, _ in SECTIONS:
        if key not in spans:
            out[key] = ""
            continue
        start, end = spans[key]
        if template is not None and key in {t.key for t in template.tables}:
            end = table_start(folded, template.table(key), start, end)
        out[key] = prose_to_markdown(text[start:end], width)
    return out
