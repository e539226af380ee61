"""Generate the format fixtures in tests/fixtures/reports/ from two hand-read source reports.

Run from the repository root:

    .venv/bin/python tests/make_fixtures.py

Each source report (a fixture with a hand-read ``*.expected.json``) is re-published in the formats
agencies use, with the same numbers (the expected JSON's ``tables``; null = the cell left empty) and
the same prose (the source's parsed sections):

- a Word file built like the agencies' own: title, preamble, the six sections, the three tables in
  the official layout with real merged cells (2021: a filled copy of the blank national template
  in tests/fixtures/sources/; 2019: built with python-docx and ``cell.merge()``);
- the PDF of that Word file as LibreOffice exports it (``soffice --headless --convert-to pdf``);
- an HTML page inside a portal's page chrome (header, menu, breadcrumb, share buttons, footer),
  tables with rowspan/colspan; the 2021 one written like Word's "save as web page", in gb2312;
- for the 2019 text report, a GBK-encoded copy.

Beside each goes ``<stem>.expected.json`` (the source's tables and metadata), which
tests/test_extract_reports.py picks up. Table layouts come from ``builder.extract.templates``.

Needs LibreOffice (``apt-get install libreoffice-writer fonts-noto-cjk``) only to regenerate the
PDFs; without ``soffice`` on PATH the PDFs are skipped and the committed ones are kept. The
generated files are committed, so the test suite needs neither this script nor LibreOffice.
HTML, text and JSON output is deterministic; .docx and .pdf bytes carry timestamps.
"""
from __future__ import annotations

import copy
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from builder.extract.templates import SECTIONS, TEMPLATES, Row, Table
from builder.models import Prose, Report
from builder.pipeline import parse

HERE = Path(__file__).resolve().parent
REPORTS = HERE / "fixtures" / "reports"
BLANK_2021 = HERE / "fixtures" / "sources" / "template_2021_blank.docx"

APPLICATIONS_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"
ORGANIZATIONS = "法人或其他组织"
CONTENT = "信息内容"


# ---------------------------------------------------------------- the source reports

@dataclass(frozen=True)
class Source:
    short: str  # a place name for the generated files' names
    fixture: str  # the hand-read source in tests/fixtures/reports/
    expected: dict
    prose: dict[str, list[str]]  # section key → paragraphs

    @property
    def template(self) -> str:
        return self.expected["template"]

    @property
    def title(self) -> str:
        return f"{self.expected['agency']}{self.expected['year']}年政府信息公开工作年度报告"

    @property
    def preamble(self) -> str:
        letter = TEMPLATES[self.template].title
        year = self.expected["year"]
        return (f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务"
                f"公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（{letter}）要求，"
                f"由{self.expected['agency']}办公室编制。本报告中所列数据的统计期限自{year}年1月1日起至"
                f"{year}年12月31日止。")


def paragraphs_of(section: Prose) -> list[str]:
    """A section's passages (paragraphs and sub-headings alike) as plain paragraphs."""
    return [text for text in (passage.text.strip() for passage in section) if text]


def load_source(short: str, fixture: str) -> Source:
    path = REPORTS / fixture
    report = parse(path)
    if not isinstance(report, Report):
        sys.exit(f"{path}: the source does not parse ({report.message}); fix the extractor first")
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    prose = {key: paragraphs_of(report.sections.get(key, ())) for key, _ in SECTIONS}
    return Source(short, fixture, expected, prose)


# ---------------------------------------------------------------- table layouts (format-neutral)

@dataclass(frozen=True)
class Cell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    header: bool = False


@dataclass(frozen=True)
class Grid:
    width: int
    height: int
    cells: tuple[Cell, ...]

    def row(self, r: int) -> list[Cell]:
        return sorted((c for c in self.cells if c.row == r), key=lambda c: c.col)


def value_text(kind: str, value) -> str:
    if value is None:
        return ""
    if kind == "signed" and value > 0:
        return f"+{value}"
    if kind == "decimal" and float(value).is_integer():
        return str(int(value))
    return str(value)


def _runs(rows: tuple[Row, ...], attr: str) -> list[tuple[str, int, int]]:
    """Consecutive rows sharing ``attr`` (group/subgroup): (value, first index, count)."""
    runs: list[tuple[str, int, int]] = []
    for i, row in enumerate(rows):
        value = getattr(row, attr)
        if runs and runs[-1][0] == value and value:
            runs[-1] = (value, runs[-1][1], runs[-1][2] + 1)
        else:
            runs.append((value, i, 1))
    return runs


def active_disclosure_grid(table: Table, values: dict) -> Grid:
    """Table 二: a sub-table per 第二十条第（X）项, each with a 信息内容 header; short rows' last cell spans."""
    width = 1 + max(len(r.columns) for r in table.rows)
    cells: list[Cell] = []
    r = 0

    def line(first: str, texts: list[str], header: bool) -> None:
        nonlocal r
        cells.append(Cell(first, r, 0, header=header))
        for i, text in enumerate(texts):
            span = width - 1 - i if i == len(texts) - 1 else 1
            cells.append(Cell(text, r, 1 + i, colspan=span, header=header))
        r += 1

    for group, first, count in _runs(table.rows, "group"):
        rows = table.rows[first:first + count]
        cells.append(Cell(group, r, 0, colspan=width, header=True))
        r += 1
        line(CONTENT, [c.label for c in rows[0].columns], True)
        for row in rows:
            line(row.label, [value_text(c.kind, values[row.key][c.key]) for c in row.columns], False)
    return Grid(width, r, tuple(cells))


def applications_grid(table: Table, values: dict) -> Grid:
    """Table 三: three label columns (group, subgroup, label) merged as the official form merges them."""
    columns = table.rows[0].columns
    width, head = 3 + len(columns), 3
    cells = [Cell(APPLICATIONS_CORNER, 0, 0, rowspan=3, colspan=3, header=True),
             Cell(APPLICANTS, 0, 3, colspan=len(columns), header=True),
             Cell(columns[0].label, 1, 3, rowspan=2, header=True),
             Cell(ORGANIZATIONS, 1, 4, colspan=len(columns) - 2, header=True),
             Cell(columns[-1].label, 1, width - 1, rowspan=2, header=True)]
    cells += [Cell(c.label, 2, 4 + i, header=True) for i, c in enumerate(columns[1:-1])]
    for group, first, count in _runs(table.rows, "group"):
        if group:
            cells.append(Cell(group, head + first, 0, rowspan=count))
    for subgroup, first, count in _runs(table.rows, "subgroup"):
        if subgroup:
            cells.append(Cell(subgroup, head + first, 1, rowspan=count))
    for i, row in enumerate(table.rows):
        start = 2 if row.subgroup else 1 if row.group else 0
        cells.append(Cell(row.label, head + i, start, colspan=3 - start))
        cells += [Cell(value_text(c.kind, values[row.key][c.key]), head + i, 3 + j) for j, c in enumerate(columns)]
    return Grid(width, head + len(table.rows), tuple(cells))


def review_litigation_grid(table: Table, values: dict) -> Grid:
    """Table 四: 行政复议 | 行政诉讼 over 未经复议直接起诉 | 复议后起诉, result columns, one row of numbers."""
    n = len(table.rows[0].columns)
    cells: list[Cell] = []
    for group, first, count in _runs(table.rows, "group"):
        cells.append(Cell(group, 0, first * n, colspan=count * n, header=True))
    for i, row in enumerate(table.rows):
        labels = [c.label for c in row.columns]
        if row.label == row.group:  # no sub-heading: the result labels span rows 1-2
            cells += [Cell(label, 1, i * n + j, rowspan=2, header=True) for j, label in enumerate(labels)]
        else:
            cells.append(Cell(row.label, 1, i * n, colspan=n, header=True))
            cells += [Cell(label, 2, i * n + j, header=True) for j, label in enumerate(labels)]
        cells += [Cell(value_text(c.kind, values[row.key][c.key]), 3, i * n + j) for j, c in enumerate(row.columns)]
    return Grid(n * len(table.rows), 4, tuple(cells))


GRIDS = {"active_disclosure": active_disclosure_grid, "applications": applications_grid,
         "review_litigation": review_litigation_grid}


def grids_of(source: Source) -> dict[str, Grid]:
    template = TEMPLATES[source.template]
    return {t.key: GRIDS[t.key](t, source.expected["tables"][t.key]) for t in template.tables}


# ---------------------------------------------------------------- Word

TEXT_WIDTH_CM = 16.0
COLUMN_WIDTHS_CM = {"active_disclosure": (4.6,), "applications": (1.6, 1.9, 4.2)}  # label columns


def _east_asian(run_or_style, font: str) -> None:
    rpr = run_or_style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _paragraph(doc, text: str, *, bold=False, size=16, align=None, indent=True, style=None):
    p = doc.add_paragraph(style=style)
    p.paragraph_format.first_line_indent = Pt(size * 2) if indent else None
    p.paragraph_format.line_spacing = Pt(28)
    if align is not None:
        p.alignment = align
    run = p.add_run(text)
    run.bold, run.font.size = bold, Pt(size)
    return p


def _widths(key: str, width: int) -> list[float]:
    labels = COLUMN_WIDTHS_CM.get(key, ())
    rest = (TEXT_WIDTH_CM - sum(labels)) / (width - len(labels))
    return [*labels, *[rest] * (width - len(labels))]


def _fill_cell(cell, text: str, bold: bool) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold, run.font.size = bold, Pt(10)


def _borders(table) -> None:
    """Single black borders on every cell, as table style 'Table Grid' gives in Word."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for k, v in {"val": "single", "sz": "4", "space": "0", "color": "000000"}.items():
            el.set(qn(f"w:{k}"), v)
        borders.append(el)
    tbl_pr.append(borders)


def grid_to_docx_table(doc, key: str, grid: Grid) -> None:
    table = doc.add_table(rows=grid.height, cols=grid.width)
    table.alignment, table.autofit = WD_TABLE_ALIGNMENT.CENTER, False
    _borders(table)
    for col, width in zip(table.columns, _widths(key, grid.width)):
        col.width = Cm(width)  # w:gridCol, which LibreOffice lays out by
        for cell in col.cells:
            cell.width = Cm(width)
    for c in grid.cells:
        cell = table.cell(c.row, c.col)
        if c.rowspan > 1 or c.colspan > 1:
            cell = cell.merge(table.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
        _fill_cell(cell, c.text, c.header)


def word_2019(source: Source, out: Path) -> None:
    """A Word report built from scratch: section headings in 'Heading 2', tables merged by hand."""
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    _east_asian(normal, "仿宋_GB2312")
    heading = doc.styles["Heading 2"]
    heading.font.size, heading.font.bold = Pt(16), True
    heading.font.color.rgb = None
    _east_asian(heading, "黑体")

    _paragraph(doc, source.title, bold=True, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(doc, source.preamble)
    grids = grids_of(source)
    for key, title in SECTIONS:
        _paragraph(doc, title, bold=True, size=16, indent=False, style="Heading 2")
        for text in source.prose[key]:
            _paragraph(doc, text)
        if key in grids:
            grid_to_docx_table(doc, key, grids[key])
    doc.save(str(out))


def _insert_after(paragraph, text: str):
    """A new paragraph after ``paragraph`` with its formatting (the blank's own paragraph style)."""
    new = copy.deepcopy(paragraph._p)
    for r in new.findall(qn("w:r")):
        new.remove(r)
    paragraph._p.addnext(new)
    p = docx.text.paragraph.Paragraph(new, paragraph._parent)
    p.add_run(text)
    return p


def _write_prose(doc, title: str, paragraphs: list[str]) -> None:
    heading = next(p for p in doc.paragraphs if p.text.strip() == title)
    after = heading._p.getnext()
    following = docx.text.paragraph.Paragraph(after, heading._parent) if after.tag == qn("w:p") else None
    if following is not None and following.text.startswith("（文字描述"):  # the blank's placeholder
        following._p.getparent().remove(following._p)
    last = heading
    for text in paragraphs:
        last = _insert_after(last, text)


def _fill_table(table, rows: list[tuple[Row, list[str]]], first_data_row: int) -> None:
    """Write each row's values into the last cells of its line of the blank (its label is checked)."""
    lines = table._tbl.tr_lst[first_data_row:]
    assert len(lines) >= len(rows), "the blank has fewer lines than the template has rows"
    for tr, (row, texts) in zip(lines, rows):
        tcs = tr.tc_lst
        label = "".join(docx.table._Cell(tc, table).text for tc in tcs[:-len(texts)])
        assert row.anchors[0] in label or row.label in label, f"blank line {label!r} is not row {row.key}"
        for tc, text in zip(tcs[-len(texts):], texts):
            _fill_cell(docx.table._Cell(tc, table), text, False)


def word_2021(source: Source, out: Path) -> None:
    """A filled copy of the blank national 2021 template (its own merged cells and styles)."""
    doc = docx.Document(str(BLANK_2021))
    title = next(p for p in doc.paragraphs if p.text.strip() == "政府信息公开工作年度报告格式模板")
    for r in title.runs[1:]:
        r._r.getparent().remove(r._r)
    title.runs[0].text = source.title
    preamble = _insert_after(title, source.preamble)
    preamble.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY  # not centred like the title it was copied from
    preamble.paragraph_format.first_line_indent = Pt(24)
    for key, heading in SECTIONS:
        _write_prose(doc, heading, source.prose[key])

    template, values = TEMPLATES["2021"], source.expected["tables"]

    def texts(table: str, row: Row) -> list[str]:
        return [value_text(c.kind, values[table][row.key][c.key]) for c in row.columns]

    active, applications, review = doc.tables
    labels = {r.label: r for r in template.table("active_disclosure").rows}
    for tr in active._tbl.tr_lst:  # value lines are the ones labelled with a row's label
        row = labels.get(docx.table._Cell(tr.tc_lst[0], active).text.strip())
        if row:
            for tc, text in zip(tr.tc_lst[1:], texts("active_disclosure", row)):
                _fill_cell(docx.table._Cell(tc, active), text, False)
    _fill_table(applications, [(r, texts("applications", r)) for r in template.table("applications").rows], 3)
    numbers = [t for r in template.table("review_litigation").rows for t in texts("review_litigation", r)]
    for tc, text in zip(review._tbl.tr_lst[-1].tc_lst, numbers):
        _fill_cell(docx.table._Cell(tc, review), text, False)
    doc.save(str(out))


def soffice_convert(source: Path, out: Path, target: str) -> bool:
    """``source`` converted by LibreOffice (``--convert-to target``: "pdf", "doc:MS Word 97") and written to
    ``out`` (any suffix); False, saying so, where LibreOffice is not installed (the committed file is kept)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print(f"skip {out.name}: LibreOffice (soffice) is not installed, the committed file is kept "
              "(apt-get install libreoffice-writer-nogui)")
        return False
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([soffice, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless",
                        "--convert-to", target, "--outdir", tmp, str(source)],
                       check=True, capture_output=True)
        shutil.copyfile(Path(tmp) / f"{source.stem}.{target.split(':')[0]}", out)
    return True


def word_to_pdf(docx_path: Path, out: Path) -> bool:
    return soffice_convert(docx_path, out, "pdf")


# ---------------------------------------------------------------- HTML

def _e(text: str) -> str:
    return html.escape(text, quote=False)


def portal_table(grid: Grid) -> str:
    """A table as a portal's rich-text editor saves it: inline styles, <p><span> in cells, &nbsp;."""
    td_style = "border:1px solid #000;padding:4px;text-align:center;vertical-align:middle"
    out = ['<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;width:100%">',
           "<tbody>"]
    for r in range(grid.height):
        out.append("<tr>")
        for c in grid.row(r):
            spans = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + \
                    (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
            body = (f'<p style="margin:0"><span style="font-family:宋体;font-size:14px">{_e(c.text)}</span></p>'
                    if c.text else "&nbsp;")
            if c.header and c.text:
                body = f"<strong>{body}</strong>"
            out.append(f'<td{spans} style="{td_style}">{body}</td>')
        out.append("</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def portal_page(source: Source, site: str, published: str) -> str:
    """The 2019 report on a UTF-8 portal page (semantic header/nav/footer, editor-made tables)."""
    grids = grids_of(source)
    body = [f'<p style="text-indent:2em">{_e(source.preamble)}</p>']
    for key, title in SECTIONS:
        body.append(f'<p style="text-indent:2em"><strong>{_e(title)}</strong></p>')
        body += [f'<p style="text-indent:2em">{_e(text)}</p>' for text in source.prose[key]]
        if key in grids:
            body.append(portal_table(grids[key]))
    return PORTAL_PAGE.format(site=_e(site), title=_e(source.title), published=published,
                              body="\n".join(body))


PORTAL_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}_{site}</title>
<link rel="stylesheet" href="/css/style.css">
<script src="/js/jquery.min.js"></script>
</head>
<body>
<header class="site-header">
  <div class="logo"><img src="/images/logo.png" alt="{site}"><span>{site}</span></div>
  <nav class="menu">
    <ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zmhd/">政民互动</a></li>
    <li><a href="/bsfw/">办事服务</a></li><li><a href="/zjam/">走进爱民</a></li></ul>
  </nav>
  <div class="search"><input type="text" placeholder="请输入关键字"><a href="#">搜索</a></div>
</header>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a></div>
<div class="main">
  <div class="article">
    <h1 class="article-title">{title}</h1>
    <div class="article-info">发布时间：{published}&nbsp;&nbsp;来源：{site}办公室&nbsp;&nbsp;字号：[ <a href="#">大</a> <a href="#">中</a> <a href="#">小</a> ]</div>
    <div id="zoom" class="article-content" style="font-size:16px;line-height:2">
{body}
    </div>
    <div class="share">分享到：<a href="#" class="weixin">微信</a> <a href="#" class="weibo">微博</a></div>
    <div class="article-tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
  </div>
</div>
<footer class="site-footer">
  <p>主办单位：{site}办公室&nbsp;&nbsp;承办单位：{site}政务服务中心</p>
  <p>备案号：黑ICP备05001234号-1&nbsp;&nbsp;网站标识码：2310000001&nbsp;&nbsp;黑公网安备 23100202000123号</p>
</footer>
<script>var _hmt = _hmt || [];</script>
</body>
</html>
"""


def _word_text(text: str, style: str) -> str:
    """Word's span soup: digits in their own lang=EN-US span; Word breaks long source lines inside the
    text with CRLF (a browser shows a space there)."""
    parts = re.split(r"([0-9.+%]+)", text)
    return "".join(f"<span lang=EN-US style='{style}'>{_e(p)}</span>" if i % 2 else
                   f"<span style='{style}'>{_wrap(_e(p))}</span>" for i, p in enumerate(parts) if p)


def _wrap(text: str, width: int = 60) -> str:
    return "\r\n".join(text[i:i + width] for i in range(0, len(text), width))


def _word_paragraph(text: str, *, bold=False, center=False, size="16.0pt") -> str:
    style = f"font-size:{size};font-family:仿宋_GB2312"
    inner = _word_text(text, style) + "<span lang=EN-US><o:p></o:p></span>"
    if bold:
        inner = f"<b>{inner}</b>"
    align = " align=center style='text-align:center'" if center else " style='text-indent:32.0pt;line-height:28.0pt'"
    return f"<p class=MsoNormal{align}>{inner}</p>"


def word_table(grid: Grid) -> str:
    """A table as Word's "save as web page" writes it: MsoNormalTable, unquoted attributes, <o:p>."""
    out = ["<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0",
           " style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt'>"]
    for r in range(grid.height):
        out.append(f"<tr style='mso-yfti-irow:{r}'>")
        for c in grid.row(r):
            spans = (f" rowspan={c.rowspan}" if c.rowspan > 1 else "") + \
                    (f" colspan={c.colspan}" if c.colspan > 1 else "")
            style = "font-size:10.0pt;font-family:宋体"
            inner = (_word_text(c.text, style) + "<span lang=EN-US><o:p></o:p></span>" if c.text
                     else "<span lang=EN-US><o:p>&nbsp;</o:p></span>")
            if c.header:
                inner = f"<b>{inner}</b>"
            out.append(f"  <td{spans} valign=center style='border:solid windowtext 1.0pt;padding:0cm 5.4pt'>"
                       f"<p class=MsoNormal align=center style='text-align:center'>{inner}</p></td>")
        out.append("</tr>")
    out.append("</table>")
    return "\r\n".join(out)


def word_export_page(source: Source, site: str, published: str) -> str:
    """The 2021 report as a Word-exported page (gb2312) pasted into an older portal's frame."""
    grids = grids_of(source)
    body = [_word_paragraph(source.title, bold=True, center=True, size="22.0pt"),
            _word_paragraph(source.preamble)]
    for key, title in SECTIONS:
        body.append(_word_paragraph(title, bold=True))
        body += [_word_paragraph(text) for text in source.prose[key]]
        if key in grids:
            body.append(word_table(grids[key]))
            body.append("<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>")
    return WORD_PAGE.format(site=_e(site), title=_e(source.title), published=published,
                            body="\r\n".join(body))


WORD_PAGE = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta charset="gb2312">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<title>{title}</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>Administrator</o:Author>
  <o:Pages>5</o:Pages>
 </o:DocumentProperties>
</xml><![endif]-->
<!--[if gte mso 9]><xml>
 <w:WordDocument>
  <w:View>Print</w:View>
  <w:Zoom>100</w:Zoom>
  <w:PunctuationKerning/>
  <w:DrawingGridVerticalSpacing>7.8 磅</w:DrawingGridVerticalSpacing>
 </w:WordDocument>
</xml><![endif]-->
<style>
<!--
 p.MsoNormal {{margin:0cm;text-align:justify;font-size:10.5pt;font-family:"Times New Roman",serif}}
 @page WordSection1 {{size:595.3pt 841.9pt;margin:72.0pt 90.0pt 72.0pt 90.0pt}}
 div.WordSection1 {{page:WordSection1}}
-->
</style>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>
<div class="top"><div class="wrap"><span class="sitename">{site}</span>
<div class="topnav"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/hdjl/">互动交流</a> | <a href="/zwfw/">政务服务</a></div></div></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a></div>
<div class="con">
<div class="con_title">{title}</div>
<div class="con_info">发布日期：{published}　来源：区政府办　【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>
<div class=WordSection1 style='layout-grid:15.6pt'>
{body}
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
</div>
<div class="bdsharebuttonbox">分享到：<a href="#" class="bds_weixin">微信</a> <a href="#" class="bds_tsina">微博</a></div>
</div>
<div class="bottom"><p>主办单位：{site}办公室　技术支持：{site}大数据管理局</p>
<p>备案号：苏ICP备05001234号　政府网站标识码：3208130001</p></div>
</body>
</html>
"""


def write_gb(text: str, out: Path, codec: str) -> None:
    """Bytes in ``codec``; GB18030 (its superset, same bytes for GB2312 text) for what it lacks."""
    try:
        data = text.encode(codec)
    except UnicodeEncodeError as exc:
        print(f"{out.name}: {exc.object[exc.start:exc.end]!r} is not in {codec}; writing gb18030")
        data = text.encode("gb18030")
    out.write_bytes(data)


# ---------------------------------------------------------------- expected values

def write_expected(source: Source, out: Path, why: str) -> None:
    e = source.expected
    data = {"why": why, "copied_from": f"generated by tests/make_fixtures.py from {source.fixture}",
            "agency": e["agency"], "year": e["year"], "template": e["template"],
            "failed_checks": e["failed_checks"], "exact": True, "tables": e["tables"]}
    out.with_suffix(".expected.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                                                 encoding="utf-8")


# ---------------------------------------------------------------- main

def main() -> None:
    aimin = load_source("aimin", "text-layer-short-row-and-page-numbers.txt")
    hongze = load_source("hongze", "pdf-table-split-across-pages-2021-one-other-row.pdf")
    made: list[tuple[Source, Path, str]] = []

    def made_file(source: Source, name: str, why: str) -> Path:
        made.append((source, REPORTS / name, why))
        return REPORTS / name

    out = made_file(aimin, "word-2019-merged-cells-aimin.docx",
                    "2019 report as a Word file built like the agencies' own: real merged cells (第二十条 "
                    "sub-table headers, 三、本年度办理结果 / （三）不予公开 … vertical merges, table 四's two "
                    "header rows), section headings in 'Heading 2'; the unprinted 结转下年度 row left empty.")
    word_2019(aimin, out)
    pdf = made_file(aimin, "pdf-from-word-libreoffice-2019-aimin.pdf",
                    "The 2019 Word fixture exported to PDF by LibreOffice: ruled tables with merged cells, "
                    "CJK text layer, empty cells in the 结转下年度 row.")
    if not word_to_pdf(out, pdf):
        made.pop()

    out = made_file(hongze, "word-2021-national-template-hongze.docx",
                    "2021 report as a filled copy of the blank national template (its own merged cells); "
                    "（六）其他处理 1./2. left empty as the source prints one row; table 四 totals wrong as printed.")
    word_2021(hongze, out)
    pdf = made_file(hongze, "pdf-from-word-libreoffice-2021-hongze.pdf",
                    "The 2021 Word fixture (national template) exported to PDF by LibreOffice.")
    if not word_to_pdf(out, pdf):
        made.pop()

    out = made_file(aimin, "portal-page-html-rowspan-2019-aimin.html",
                    "2019 report on a portal page: header/nav/breadcrumb/share/footer chrome, tables with "
                    "rowspan/colspan, <p><span> in cells, &nbsp; for the empty 结转下年度 cells.")
    out.write_text(portal_page(aimin, "牡丹江市爱民区人民政府", "2021-01-29"), encoding="utf-8")

    out = made_file(hongze, "word-export-html-gb2312-2021-hongze.html",
                    "2021 report as Word's 'save as web page' in gb2312 (conditional comments, <o:p>, "
                    "MsoNormal, unquoted attributes, digits in lang=EN-US spans, long text broken by CRLF) inside an older portal's frame.")
    write_gb(word_export_page(hongze, "淮安市洪泽区人民政府", "2024-01-19"), out, "gb2312")

    out = made_file(aimin, "text-gbk-encoded-2019-aimin.txt",
                    "The 2019 text report saved in GBK (no BOM), as many government sites serve text.")
    write_gb((REPORTS / aimin.fixture).read_text(encoding="utf-8"), out, "gbk")

    for source, path, why in made:
        write_expected(source, path, why)
        print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
