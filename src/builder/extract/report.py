"""Blocks → Report: metadata, sections and tables, the same for every input format.

The blocks are laid out as one text (a grid as one line per row, its cells tab-separated) for the
metadata, the section headings, the prose and the figures the prose restates (``statements``). Tables are read from the grids where the source has
cells (``grids.grids_to_tables``), and from the text only where it has none
(``placement.text_to_tables``), the text of the grids' tables blanked out so that no number is read
twice. Every number either reader took from text recognised on a page image (OCR) is then
cross-checked against the template's rules (``scanned.cross_check``). The prose of a section leaves
out the lines of its tables.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from builder.errors import UnreadableReport
from builder.extract import scanned
from builder.extract.chinese import fold
from builder.extract.metadata import detect_template, full_agency, read_title
from builder.extract.sections import (find_headings, is_page_chrome, line_width, prose_to_passages,
                                      section_spans)
from builder.extract.gazetteer import contradicts, is_county, region_of
from builder.extract.grids import grids_to_tables
from builder.extract.ocr_numbers import touches_digits
from builder.extract.placement import derive_amounts, text_to_tables
from builder.extract.statements import text_to_statements
from builder.extract.table_finder import locate_tables
from builder.extract.templates import SECTIONS, TEMPLATES
from builder.extract.origins import TextPlaces, origins_of
from builder.models import Block, Document, Finding, Grid, Origin, Prose, Report, Statement

_PERIOD_YEAR = re.compile(r"(20\d\d)\s*年\s*1\s*月\s*1\s*日\s*(?:起\s*)?至\s*(20\d\d)\s*年\s*12\s*月\s*31\s*日")


@dataclass(frozen=True)
class Layout:
    """The blocks as one text, and where each grid's row lines stand in it."""

    text: str
    grids: tuple[Grid, ...]
    grid_lines: tuple[tuple[tuple[int, int], ...], ...]  # per grid, per row: (start, end) in ``text``
    recognised: tuple[tuple[int, int, float, bool], ...] = ()  # OCR'd lines: (start, end, confidence, uncertain)
    lines: tuple[tuple[int, Origin | None], ...] = ()  # each line's start in ``text`` and its block's origin


def blocks_to_layout(blocks: tuple[Block, ...]) -> Layout:
    lines: list[str] = []
    grids: list[Grid] = []
    grid_lines: list[tuple[tuple[int, int], ...]] = []
    recognised: list[tuple[int, int, float, bool]] = []
    origins: list[tuple[int, Origin | None]] = []
    pos = 0

    def add(line: str, origin: Origin | None = None) -> tuple[int, int]:
        nonlocal pos
        lines.append(line)
        origins.append((pos, origin))
        span = (pos, pos + len(line))
        pos += len(line) + 1
        return span

    for b in blocks:
        if b.kind == "heading":
            add("#" * max(b.level, 1) + " " + b.text, b.origin)
        elif b.kind == "table" and b.grid is not None:
            grids.append(b.grid)
            grid_lines.append(tuple(add("\t".join(cell.replace("\n", "") for cell in row)) for row in b.grid.rows))
            read: dict[int, list] = {}  # recognised cells (OCR) by row
            for c in b.grid.cells:
                if c.confidence is not None and c.text.strip():
                    read.setdefault(c.row, []).append(c)
            for r, cells in sorted(read.items()):
                recognised.append((*grid_lines[-1][r], min(c.confidence for c in cells),
                                   any(c.uncertain or touches_digits(c.text) for c in cells)))
        elif b.kind == "note":
            continue
        elif not is_page_chrome(b.text):  # page numbers such as "- 3 -" would split labels
            span = add(b.text, b.origin)
            if b.confidence is not None:  # a look-alike beside digits: the text reader cannot tell
                recognised.append((*span, b.confidence, b.uncertain or touches_digits(b.text)))
    return Layout("\n".join(lines), tuple(grids), tuple(grid_lines), tuple(recognised), tuple(origins))


def document_to_report(document: Document) -> Report:
    source = document.source
    layout = blocks_to_layout(document.blocks)
    text = layout.text
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
    hint = source.sidecar.get("year")  # folders never give a year (ingest/regions.py refuses year folders)
    if hint and year and int(hint) != year:
        findings.append(Finding("metadata.year_conflict", "year",
                                f"报告标题写的是 {year} 年，旁注文件 {source.path.name}.meta.yml 写的是 {hint} 年 — "
                                "请核对并改正其中之一（以原件为准）。",
                                "error"))
    if source.sidecar.get("year"):
        year = int(source.sidecar["year"])
    named = region_of(agency or title or "", year)
    findings += _region_findings(source, named)
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
        return Report(source, title, agency, year, None, _sections(text, spans, []), {},
                      tuple(findings), named_region=named)
    if not certain:
        findings.append(Finding("template.guessed", "template",
                                f"报告中没有只属于某一版格式的表头，按年度推定为 {template_key} 版格式。", "info"))
    template = TEMPLATES[template_key]
    for key, _ in SECTIONS:
        if key not in spans:
            findings.append(Finding("section.missing", f"sections.{key}",
                                    f"没有找到「{dict(SECTIONS)[key]}」这一部分的标题。"))

    # tables: from the grids where the source has cells, from the text elsewhere
    reading = grids_to_tables(list(layout.grids), template)
    # the sections' prose leaves out every line of a table read from its grid, its header and caption rows
    # too (第二十条第（一）项, 申请人情况…); of a one-column layout grid, which may hold the prose, only the rows read
    grid_table_lines = [line for g, rows in reading.rows.items() for r, line in enumerate(layout.grid_lines[g])
                        if r in rows or layout.grids[g].width > 1]
    masked = _blank_out(folded, [(a, b) for g in reading.rows for a, b in layout.grid_lines[g]])
    flow = tuple(t for t in template.tables if t.key not in reading.values)
    regions = locate_tables(masked, flow, {k: spans[k] for k in spans}, [h.start for h in headings])
    # the figures the prose restates, read from the text without any table, wherever they stand
    statements = tuple(text_to_statements(_blank_out(masked, list(regions.values())), template))
    usable = tuple(st for st in statements if st.use == "check")
    placement = text_to_tables(text, masked, flow, regions, usable)
    values = {t.key: reading.values.get(t.key) or placement.values[t.key] for t in template.tables}
    doubtful = _received_with_carried_over(usable, values)
    if any(st in placement.settled_by for st in doubtful):  # read again without them: a wrong scope, a wrong split
        placement = text_to_tables(text, masked, flow, regions, tuple(st for st in usable if st not in doubtful))
        values = {t.key: reading.values.get(t.key) or placement.values[t.key] for t in template.tables}
    statements = tuple(dataclasses.replace(st, use="scope_in_doubt") if st in doubtful else
                       dataclasses.replace(st, use="settled") if st in placement.settled_by else
                       dataclasses.replace(st, use="fits_no_reading") if st in placement.unfit else st
                       for st in statements)
    findings.extend(reading.findings)
    findings.extend(placement.findings)
    if layout.recognised:  # numbers recognised on page images: kept only where the rules vouch for them
        recognised = {**reading.recognised, **_recognised_in_text(layout, regions, placement.values)}
        values, checked = scanned.cross_check(template, values, recognised)
        findings += [scanned.SOURCE, *checked]
    findings.extend(derive_amounts(values))
    sections = _sections(text, spans, [*grid_table_lines, *regions.values()])
    origins = origins_of(values, layout.grids, reading.cells, reading.lines, TextPlaces(text, layout.lines),
                         placement.cells, placement.rows)
    return Report(source, title, agency, year, template_key, sections, values, tuple(findings), named_region=named,
                  statements=statements, origins=origins,
                  undecided=tuple(u for u in placement.undecided if u.cells[0].split(".")[0] not in reading.values))


def _received_with_carried_over(statements: tuple[Statement, ...], values) -> list[Statement]:
    """The statements of 新收 worded 收到 while the table's 上年结转 is not known to be 0: 「全区收到政府信息
    公开申请75件」 may count the carried-over applications with the new ones (新收 74 + 结转 1), so its
    scope is in doubt."""
    carried = ((values.get("applications") or {}).get("carried_over") or {}).get("total")
    if carried == 0:
        return []
    received = [st for st in statements if st.figure == "received"
                and not any(c.startswith("applications.carried_over.") for c in st.cells)]
    if not any("收到" in st.quote for st in received):
        return []
    # its breakdown by applicant (「…涉及自然人80件」) is read as its own statements: in doubt alike
    return [st for st in received if "收到" in st.quote or len(st.cells) == 1 and not st.cells[0].endswith(".total")]


def _recognised_in_text(layout: Layout, regions: dict[str, tuple[int, int]], values) -> dict[str, scanned.Recognised]:
    """The numbers the text reader placed from a table whose text holds recognised lines: each as
    surely read as the least sure of those lines (the text keeps no cell to tell them apart)."""
    out = {}
    for key, (start, end) in regions.items():
        lines = [(conf, unsure) for a, b, conf, unsure in layout.recognised if a < end and b > start]
        if not lines:
            continue
        confidence, uncertain = min(c for c, _ in lines), any(u for _, u in lines)
        for row, cols in values[key].items():
            for col, value in cols.items():
                if value is not None:
                    out[f"{key}.{row}.{col}"] = scanned.Recognised(str(value), confidence, uncertain)
    return out


def _region_findings(source, named: tuple[str, ...]) -> list[Finding]:
    given = source.region
    origin = "旁注文件 .meta.yml" if source.sidecar.get("region") else "所在文件夹"
    if not given and named:
        return [Finding("metadata.region_from_name", "region",
                        f"文件夹和旁注文件都没有写明地区，按机关名称定为「{'/'.join(named)}」。", "info")]
    by_folders = not source.sidecar.get("region")  # a sidecar's region is the maintainer's word: a note only
    fix = f" — 请把文件移到 reports/{'/'.join(named)}/，或在 .meta.yml 中写明 region。" if by_folders else "：请核对并改正其中之一。"
    if given and named and contradicts(given, named):
        return [Finding("metadata.region_conflict", "region",
                        f"{origin}写的地区是「{'/'.join(given)}」，机关名称指向「{'/'.join(named)}」{fix}",
                        "error" if by_folders else "warning")]
    if by_folders and len(named) > len(given) and is_county(named[-1]):  # a county's report at city level
        return [Finding("metadata.region_level", "region",
                        f"机关名称指向区县「{'/'.join(named)}」，文件却放在「{'/'.join(given)}」这一级{fix}", "error")]
    return []


def _blank_out(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` with ``ranges`` replaced by spaces (positions unchanged)."""
    chars = list(text)
    for a, b in ranges:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _sections(text: str, spans: dict[str, tuple[int, int]], tables: list[tuple[int, int]]) -> dict[str, Prose]:
    """Each section's prose: its span of the text without the tables' text."""
    width = line_width(text.split("\n"))
    cuts = sorted(tables)
    out = {}
    for key, _ in SECTIONS:
        if key not in spans:
            out[key] = ()
            continue
        start, end = spans[key]
        pieces, pos = [], start
        for a, b in cuts:
            if b <= pos or a >= end:
                continue
            pieces.append(text[pos:max(a, pos)])
            pos = max(pos, b)
        pieces.append(text[pos:end])
        out[key] = prose_to_passages("\n".join(pieces), width)
    return out
