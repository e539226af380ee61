"""The prose's restatements of table figures: 「共收到政府信息公开申请 26 件」 → 表三 新收申请 总计 = 26.

Reports often repeat their tables' key figures in words. A statement is read only where a phrase
names one figure of the national format precisely and is followed at once by its number (digits or
Chinese numerals: 二十六) and a unit of count (件, 起, 宗 …), within one clause; or where a clause says
there was none (未收到政府信息公开申请, 未发生行政复议、行政诉讼): 0. Everything else the prose counts
(政府信息 2602 条, 行政许可类信息 40 条, 办结率 100%) is left alone: those are other things.

Statements are read from the whole prose, the tables' text left out, independent of the section
headings (a report that restates its figures in 一、总体情况 is read as one that does so in 三). Each
becomes a ``Statement``: the sum of some cells (``applications.new_received.total``) equals a value.
The table reader may use one to choose among the readings its digits allow (``settling.py``), and
``validate/rules/text.py`` compares every other one with the table (正文另述 where they differ).

A statement whose scope is in doubt is kept, marked ``scope_in_doubt``, and used for nothing: an
office speaking 代表 its government (「区政府办代表区政府受理…17件」), 本级 (the government's own part,
not its departments'), a 其中 before a whole figure (a part of it). Such a statement may be true of
another scope, so it neither settles a cell (a wrong scope would pick a wrong split) nor is set
against the table. (A 收到 that may count the carried-over applications is judged once the table is
read: ``extract/report.py``.)
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from builder.extract.chinese import fold, squeeze_with_map
from builder.extract.numbers import HAN_NUMERAL, MAX_EXACT, han_numeral_value
from builder.extract.templates import ORGANIZATION_COLUMNS, Template
from builder.models import Statement

_CLAUSE_END = "，。；：！？,;:!?（）()【】\n"
_WINDOW = 48  # a phrase and its number stand within this many characters
_JOIN = r"(?:共计|总计|合计|累计|共|总数为|总数|数量为|数量|为|达到|达|计|是|有|的|各)*"
_NUMBER = rf"(?P<n>\d+|{HAN_NUMERAL})"
_APPLICATION = r"(?:政府信息公开申请|信息公开申请|依申请公开(?:的)?申请|依申请公开|公开申请|申请)"
_OUTCOME_WORDS = r"(?:结转|办结|答复|办理|处理|转办|复议|诉讼)"
_AS_THE_BODY = r"受理|审理|办理|收到|审结|代理|复议机关"  # the agency deciding others' reviews, not its own


@dataclass(frozen=True)
class Figure:
    """A figure of the tables that reports restate: its key, its label for readers, the phrase that
    names it (a regex on the prose without white space, ending where its number begins), the rows it
    sums (table 三 and 四: in the 总计 column unless a column is named) and the units it is counted in."""

    key: str
    label: str
    phrase: str
    table: str
    rows: tuple[str, ...] | None = None  # None: the rows of ``outcome`` in the report's format
    column: str = "total"
    units: str = "件"
    templates: tuple[str, ...] = ("2019", "2021")
    outcome: str = ""  # （三）不予公开 …: the subgroup whose rows are summed
    unless: str = ""  # words that, before the phrase in its clause, make it another thing

    def cells(self, template: Template, column: str | None = None) -> tuple[str, ...]:
        table = template.table(self.table)
        rows = self.rows or tuple(r.key for r in table.rows if r.subgroup == self.outcome)
        col = column or self.column
        columns = ORGANIZATION_COLUMNS if col == "organizations" else (col,)
        return tuple(f"{self.table}.{row}.{c}" for row in rows for c in columns)


def _apps(key: str, label: str, phrase: str, rows: tuple[str, ...] | None = None, outcome: str = "") -> Figure:
    return Figure(key, label, phrase, "applications", rows, outcome=outcome)


FIGURES: tuple[Figure, ...] = (
    # table 三, longest phrases first where one ends another (予以公开及部分公开 before 部分公开)
    _apps("received", "本年新收申请",
          rf"(?:新收|收到|受理|接收|接到)(?:(?!{_OUTCOME_WORDS})[^，。；：]){{0,24}}?{_APPLICATION}(?:事项|数量)?",
          ("new_received",)),
    _apps("carried_over", "上年结转申请", r"上年(?:度)?结转(?:的)?(?:政府信息公开申请|申请)?", ("carried_over",)),
    _apps("processed", "办理结果总计",
          rf"(?:办结|办理完毕)(?:了)?(?:(?:(?!{_OUTCOME_WORDS})[^，。；：]){{0,12}}?{_APPLICATION})?", ("total_processed",)),
    _apps("carried_forward", "结转下年度继续办理",
          r"结转(?:至|到)?下(?:一)?年(?:度)?(?:继续办理)?(?:的)?(?:申请)?", ("carried_forward",)),
    _apps("granted_or_partial", "予以公开与部分公开", r"(?<!不)予以公开(?:及|和|与|、|或|以及)部分公开(?:的)?",
          ("granted", "partially_granted")),
    _apps("granted", "予以公开", r"(?<![不及和与、或])(?<!以及)予以公开(?:的)?", ("granted",)),
    _apps("partially_granted", "部分公开", r"(?<![及和与、或])(?<!以及)部分公开(?:的)?", ("partially_granted",)),
    _apps("denied", "不予公开", r"不予公开(?:的)?", outcome="（三）不予公开"),
    _apps("unavailable", "无法提供", r"无法提供(?:的)?", outcome="（四）无法提供"),
    _apps("not_processed", "不予处理", r"不予处理(?:的)?", outcome="（五）不予处理"),
    Figure("other_processed", "其他处理", r"其他处理(?:的)?", "applications", ("other",), templates=("2019",)),
    Figure("other_processed", "其他处理", r"其他处理(?:的)?", "applications", outcome="（六）其他处理",
           templates=("2021",)),
    # table 四
    Figure("reviews", "行政复议", r"行政复议(?:案件|申请)?", "review_litigation", ("review",),
           units="件起宗个", unless=_AS_THE_BODY),
    Figure("lawsuits", "行政诉讼", r"(?:行政诉讼|行政应诉)(?:案件)?", "review_litigation",
           ("litigation_direct", "litigation_after_review"), units="件起宗个", unless=_AS_THE_BODY),
    # table 二: documents issued, repealed, in force (2021), made and published (2019)
    *(Figure(f"{row}_{col}", f"{what}{verb_label}", rf"{verb}(?:了)?(?:的)?[^，。；：]{{0,8}}?{noun}",
             "active_disclosure", (row,), col, "件份", (template,))
      for row, what, noun in (("regulations", "规章", "规章"),
                              ("normative_documents", "行政规范性文件", "(?:行政)?规范性文件"))
      for template, col, verb, verb_label in (
          ("2021", "issued", "(?:本年)?(?:制发|印发)", "本年制发件数"),
          ("2021", "repealed", "(?:本年)?废止", "本年废止件数"),
          ("2021", "in_force", "现行有效", "现行有效件数"),
          ("2019", "made", "(?:本年)?新制作", "本年新制作数量"),
          ("2019", "published", "(?:本年)?新公开", "本年新公开数量"))),
    # table 二 (2021): decisions
    *(Figure(f"{row}_decisions", f"{what}处理决定", rf"(?:作出|做出)?{what}(?:处理)?决定(?:书)?", "active_disclosure",
             (row,), "decisions", "件个份宗", ("2021",))
      for row, what in (("administrative_licensing", "行政许可"), ("administrative_penalty", "行政处罚"),
                        ("administrative_enforcement", "行政强制"))),
)

_APPLICANTS = (("natural_person", "自然人"), ("commercial_enterprise", "商业企业"), ("research_institution", "科研机构"),
               ("social_organization", "社会公益组织"), ("legal_service_agency", "法律服务机构"),
               ("organizations", "法人或其他组织"), ("organizations", "法人"))
_APPLICANT = re.compile(rf"(?:其中|涉及|包括)?(?P<who>{'|'.join(w for _, w in _APPLICANTS)})"
                        rf"(?:提出的?|的)?(?:申请)?{_JOIN}{_NUMBER}件")
_INCLUDING_CARRIED = re.compile(r"[（(]?(?:其中)?(?:含|包括|包含)上年(?:度)?结转")
_NONE_RECEIVED = re.compile(rf"(?:未|没有)(?:收到|受理|接到|发生)[^，。；：复议诉讼]{{0,16}}?{_APPLICATION}")
_NONE_RECEIVED_2 = re.compile(r"^无(?:政府信息公开申请|依申请公开(?:申请)?)")
_NONE_CASES = re.compile(r"(?:未|没有|无)(?:发生|收到|出现|产生|接到|有)?(?:任何)?[^，。；：\d]{0,24}?"
                         r"(?P<a>行政复议|行政诉讼|行政应诉)(?:[、和及与或/]|以及)?(?:被提起|被申请|提起|申请)?"
                         r"(?P<b>行政诉讼|行政应诉|行政复议)?")
_NOT_A_COUNT_OF_CASES = re.compile(r"纠|撤销|败诉|维持|决定|确认|违法|率")
_ANOTHER_SCOPE = re.compile(r"代表|本级")  # in the sentence: an office's or the government's own part
_PART = "其中"  # just before a whole figure: a part of it
_BREAKDOWNS = {"granted_or_partial", "granted", "partially_granted", "denied", "unavailable", "not_processed",
               "other_processed"}  # outcomes: 「办结…，其中予以公开…」 is their ordinary breakdown


def text_to_statements(prose: str, template: Template) -> list[Statement]:
    """Every statement of ``prose`` (the report's text without its tables) about a figure of
    ``template``'s tables, in the order printed; a statement printed twice is kept once."""
    squeezed, _ = squeeze_with_map(fold(prose))
    figures = [f for f in FIGURES if template.key in f.templates]
    found: list[tuple[int, Statement]] = []
    for m in re.finditer(rf"{_NUMBER}(?P<u>[件起宗个份])", squeezed):
        value = _value(m.group("n"))
        if value is None or (m.start() and squeezed[m.start() - 1].isdigit()):
            continue
        start = _clause_start(squeezed, m.start())
        window = squeezed[start:m.start()]
        best = None
        for figure in figures:
            if m.group("u") not in figure.units:
                continue
            hit = re.search(rf"(?:{figure.phrase}){_JOIN}$", window)
            if hit and figure.unless and re.search(figure.unless, window[:hit.start()]):
                continue
            if hit and (best is None or hit.start() < best[0].start()):
                best = (hit, figure)
        if best is None:
            continue
        hit, figure = best
        cells = figure.cells(template)
        after = squeezed[m.end():m.end() + 12]
        if figure.key == "received" and _INCLUDING_CARRIED.match(after):
            cells += Figure("", "", "", "applications", ("carried_over",)).cells(template)
        quote = window + m.group()
        use = "scope_in_doubt" if _in_doubt(squeezed, start, start + hit.start(), m.start(), figure.key) else "check"
        found.append((start + hit.start(), Statement(figure.key, cells, value, quote, use)))
        if figure.table == "applications":
            found += [(at, dataclasses.replace(st, use=use))
                      for at, st in _by_applicant(squeezed, m.end(), figure, template)]
    found += _none(squeezed, template)
    out: dict[tuple, Statement] = {}
    for _, statement in sorted(found, key=lambda x: x[0]):
        kept = out.setdefault((statement.cells, statement.value), statement)
        if kept.use == "scope_in_doubt" and statement.use == "check":  # said once plainly: that one counts
            out[(statement.cells, statement.value)] = statement
    return list(out.values())


def _in_doubt(text: str, clause: int, phrase: int, number: int, figure: str) -> bool:
    """Whether the statement whose phrase starts at ``phrase`` (its clause at ``clause``, its number at
    ``number``) may speak of another scope: 代表 or 本级 earlier in its sentence, or 其中 just before a
    whole figure (in its clause, or ending the clause before)."""
    sentence = max(text.rfind(ch, 0, number) for ch in "。；;\n") + 1
    if _ANOTHER_SCOPE.search(text, sentence, number):
        return True
    if figure in _BREAKDOWNS:
        return False
    before = text[max(sentence, clause - len(_PART) - 1):phrase]
    return _PART in before


def _value(printed: str) -> int | None:
    """The count the prose states; None past MAX_EXACT (no count is that large: never a statement)."""
    value = int(printed) if printed.isdigit() and len(printed) <= 16 else han_numeral_value(printed)
    return value if value is not None and value <= MAX_EXACT else None


def _clause_start(text: str, end: int) -> int:
    start = max(0, end - _WINDOW)
    for i in range(end - 1, start - 1, -1):
        if text[i] in _CLAUSE_END:
            return i + 1
    return start


def _sentence_end(text: str, start: int) -> int:
    ends = [i for i in (text.find(ch, start) for ch in "。；;") if i >= 0]
    return min(ends, default=len(text))


def _by_applicant(text: str, start: int, figure: Figure, template: Template) -> list[tuple[int, Statement]]:
    """「…申请共计81件，涉及自然人80件、商业企业1件」: the same figure by applicant, in the same sentence,
    until another figure is named."""
    out = []
    end = _sentence_end(text, start)
    pos = start
    while (m := _APPLICANT.search(text, pos, end)) is not None:
        if not re.fullmatch(r"[，、,]*", text[pos:m.start()]):
            break  # something else was said in between: the applicants may be of another figure
        value = _value(m.group("n"))
        if value is not None:
            column = next(key for key, word in _APPLICANTS if word == m.group("who"))
            out.append((m.start(), Statement(figure.key, figure.cells(template, column), value, m.group())))
        pos = m.end()
    return out


def _none(text: str, template: Template) -> list[tuple[int, Statement]]:
    """Clauses that say there was none: 未收到政府信息公开申请 → 0; 未发生行政复议、行政诉讼 → 0, 0."""
    out = []
    figures = {f.key: f for f in FIGURES}
    pos = 0
    for clause in re.split(f"[{re.escape(_CLAUSE_END)}]", text):
        at = pos
        pos += len(clause) + 1
        if not clause or _NOT_A_COUNT_OF_CASES.search(clause):
            continue
        if "复议" not in clause and "诉讼" not in clause and "应诉" not in clause:
            m = _NONE_RECEIVED.search(clause) or _NONE_RECEIVED_2.search(clause)
            if m:
                use = "scope_in_doubt" if _in_doubt(text, at, at + m.start(), at + m.end(), "received") else "check"
                out.append((at + m.start(), Statement("received", figures["received"].cells(template), 0, m.group(),
                                                      use)))
            continue
        m = _NONE_CASES.search(clause)
        if not m or re.search(r"\d|" + HAN_NUMERAL + "[件起宗个]", clause[m.end():]):
            continue
        for word in filter(None, (m.group("a"), m.group("b"))):
            key = "reviews" if word == "行政复议" else "lawsuits"
            use = "scope_in_doubt" if _in_doubt(text, at, at + m.start(), at + m.end(), key) else "check"
            out.append((at + m.start(), Statement(key, figures[key].cells(template), 0, m.group(), use)))
    return out
