"""The two national formats (2019 and 2021) as data: tables, rows, columns, labels and label variants.

Every input format shares this module. In running text the table matcher finds each row by its
``anchors`` (short, distinctive keywords, matched allowing line breaks, spaces and punctuation
variants, see ``chinese.fuzzy_pattern``); in a grid a row label cell is matched whole against
``label`` and ``variants`` and a header cell against a column's ``label`` and ``variants``
(``labels.LabelMatcher``: normalised, within a small edit budget, never a guess between two). The
known wordings of the section headings (``HEADINGS``) and of the tables' header words
(``Table.vocabulary``) are data here too. The renderer lays tables out from ``label``, ``group`` and
``subgroup``. Keys are the open-data keys of TEMPLATES.md.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Literal

from builder.models import Status

CellKind = Literal["count", "signed", "decimal", "text"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: CellKind = "count"  # count: integer ≥ 0; signed: ±integer; decimal: number; text: as printed
    variants: tuple[str, ...] = ()  # other wordings of the header agencies print


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # the official label, for display
    anchors: tuple[str, ...]  # keywords that identify the row in a report, tried in order
    columns: tuple[Column, ...]
    group: str = ""  # e.g. 第二十条第（一）项, 三、本年度办理结果
    subgroup: str = ""  # e.g. （三）不予公开
    variants: tuple[str, ...] = ()  # other wordings (and known typos) of the label cell


@dataclass(frozen=True)
class Table:
    key: str
    title: str  # 二、主动公开政府信息情况 ...
    rows: tuple[Row, ...]
    starts: tuple[tuple[str, ...], ...]  # where the table's header begins: tiers of keywords, the
    # earliest hit of the first tier that has one (prose before a table may say 行政复议 too)
    flat: bool = False  # table 四: one line of numbers under a header, no row labels
    subtables: bool = False  # table 二: sub-tables headed 第二十条第（X）项
    vocabulary: tuple[str, ...] = ()  # header words printed in the table besides row and column labels

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)

    @property
    def cell_paths(self) -> list[str]:
        return [f"{self.key}.{r.key}.{c.key}" for r in self.rows for c in r.columns]


@dataclass(frozen=True)
class Template:
    key: str  # "2019" or "2021"
    title: str
    markers: tuple[str, ...]  # keywords only this format prints
    tables: tuple[Table, ...]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "一、总体情况"),
    ("active_disclosure", "二、主动公开政府信息情况"),
    ("applications", "三、收到和处理政府信息公开申请情况"),
    ("review_litigation", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems_improvements", "五、存在的主要问题及改进情况"),
    ("other_matters", "六、其他需要报告的事项"),
)
SECTION_TITLES = dict(SECTIONS)

# How agencies word each section's heading (after its number 一、 … 六、), as regular expressions on the
# text without white space; then the keywords a heading must hold when it matches none of them
# (typos such as 四、政府信息公开行政法复议、行政诉讼情况), each tuple: one of its words.
HEADINGS: dict[str, tuple[str, ...]] = {
    "overview": (r"总体情况", r"(?:政府信息公开)?(?:工作)?(?:的)?基本情况", r"概述"),
    "active_disclosure": (r"主动公开政府信息(?:的)?(?:工作)?情况", r"政府信息主动公开(?:的)?情况"),
    "applications": (r"收到和处理政府信息公开申请(?:的)?情况", r"(?:依申请公开|政府信息公开申请)(?:办理)?(?:的)?情况"),
    "review_litigation": (r"(?:因)?(?:政府信息公开)?(?:工作)?(?:被)?(?:申请)?行政复议[、,，和及与]?(?:被)?(?:提起)?行政诉讼(?:的)?情况",),
    "problems_improvements": (r"(?:政府信息公开)?(?:工作)?存在的?(?:主要)?问题(?:及|和|与|以及)(?:其)?(?:改进|整改)(?:的)?(?:情况|措施|方向)?",
                              r"(?:政府信息公开)?(?:工作)?存在的?(?:主要)?问题"),
    "other_matters": (r"其他需要报告的?事项",),
}
HEADING_KEYWORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "overview": (("总体", "概况", "概述"),),
    "active_disclosure": (("主动公开",),),
    "applications": (("申请",), ("收到", "处理", "办理")),
    "review_litigation": (("复议",), ("诉讼",)),
    "problems_improvements": (("问题",), ("改进", "整改", "措施", "不足")),
    "other_matters": (("其他", "其它"), ("事项", "报告")),
}

# ---------------------------------------------------------------- table 二: active_disclosure
_MADE = (Column("made", "本年新制作数量", variants=("本年制作数量", "新制作数量")),
         Column("published", "本年新公开数量", variants=("本年公开数量", "新公开数量")),
         Column("total_public", "对外公开总数量", variants=("公开总数量",)))
_ITEMS = (Column("previous_count", "上一年项目数量", variants=("上年项目数量",)),
          Column("change", "本年增/减", "signed", variants=("本年增减", "增/减", "增减")),
          Column("decisions", "处理决定数量", variants=("本年处理决定数量",)))
_FEES_2019 = _ITEMS[:2]
_PROCUREMENT = (Column("projects", "采购项目数量"), Column("amount", "采购总金额", "text"))

_ISSUED = (Column("issued", "本年制发件数", variants=("本年制发数量",)),
           Column("repealed", "本年废止件数", variants=("本年废止数量",)),
           Column("in_force", "现行有效件数", variants=("现行有效数量",)))
_DECISIONS = (Column("decisions", "本年处理决定数量", variants=("处理决定数量",)),)
_FEES_2021 = (Column("amount_10k_yuan", "本年收费金额（单位：万元）", "decimal",
                     variants=("本年收费金额", "收费金额（万元）", "本年收费金额（万元）")),)

_ART_1, _ART_5, _ART_6 = "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项"
_ART_8, _ART_9 = "第二十条第（八）项", "第二十条第（九）项"
_ACTIVE_STARTS = (("第二十条", "信息内容"),)
_ACTIVE_WORDS = ("信息内容", "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项",
                 "第二十条第（九）项", "单位：万元")

ACTIVE_2019 = Table("active_disclosure", SECTION_TITLES["active_disclosure"], (
    Row("regulations", "规章", ("规章",), _MADE, _ART_1),
    Row("normative_documents", "规范性文件", ("行政规范性文件", "规范性文件"), _MADE, _ART_1),
    Row("administrative_licensing", "行政许可", ("行政许可",), _ITEMS, _ART_5),
    Row("other_administrative_services", "其他对外管理服务事项", ("其他对外管理服务事项", "其他对外", "对外管理"),
        _ITEMS, _ART_5),
    Row("administrative_penalty", "行政处罚", ("行政处罚",), _ITEMS, _ART_6),
    Row("administrative_enforcement", "行政强制", ("行政强制",), _ITEMS, _ART_6),
    Row("administrative_fees", "行政事业性收费", ("行政事业性收费", "行政事业性", "事业性收费"), _FEES_2019, _ART_8),
    Row("centralized_procurement", "政府集中采购", ("政府集中采购", "集中采购"), _PROCUREMENT, _ART_9),
), _ACTIVE_STARTS, subtables=True, vocabulary=_ACTIVE_WORDS)

ACTIVE_2021 = Table("active_disclosure", SECTION_TITLES["active_disclosure"], (
    Row("regulations", "规章", ("规章",), _ISSUED, _ART_1),
    Row("normative_documents", "行政规范性文件", ("行政规范性文件", "规范性文件"), _ISSUED, _ART_1),
    Row("administrative_licensing", "行政许可", ("行政许可",), _DECISIONS, _ART_5),
    Row("administrative_penalty", "行政处罚", ("行政处罚",), _DECISIONS, _ART_6),
    Row("administrative_enforcement", "行政强制", ("行政强制",), _DECISIONS, _ART_6),
    Row("administrative_fees", "行政事业性收费", ("行政事业性收费", "行政事业性", "事业性收费"), _FEES_2021, _ART_8),
), _ACTIVE_STARTS, subtables=True, vocabulary=_ACTIVE_WORDS)

# ---------------------------------------------------------------- table 三: applications
APPLICANT_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial_enterprise", "商业企业"),
    Column("research_institution", "科研机构"),
    Column("social_organization", "社会公益组织"),
    Column("legal_service_agency", "法律服务机构"),
    Column("other_organization", "其他"),
    Column("total", "总计"),
)
ORGANIZATION_COLUMNS = tuple(c.key for c in APPLICANT_COLUMNS[1:6])  # under 法人或其他组织

_RESULT = "三、本年度办理结果"
_C = APPLICANT_COLUMNS


def _app(key: str, label: str, anchors: tuple[str, ...], group: str = "", subgroup: str = "",
         variants: tuple[str, ...] = ()) -> Row:
    return Row(key, label, anchors, _C, group, subgroup, variants)


_APPS_HEAD = (
    _app("new_received", "一、本年新收政府信息公开申请数量", ("本年新收", "本年新")),
    _app("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转",)),
    _app("granted", "（一）予以公开", ("予以公开",), _RESULT),
    _app("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开",), _RESULT),
    _app("denied_state_secret", "1.属于国家秘密", ("国家秘密", "国家秘"), _RESULT, "（三）不予公开"),
    _app("denied_prohibited_by_law", "2.其他法律行政法规禁止公开",
         ("其他法律行政法规", "其他法律行政", "其他法律"), _RESULT, "（三）不予公开", ("其他法律行政止公开",)),
    _app("denied_three_safety_one_stability", "3.危及“三安全一稳定”", ("三安全", "危及"), _RESULT, "（三）不予公开"),
    _app("denied_third_party_rights", "4.保护第三方合法权益", ("第三方合法", "第三方", "保护第"), _RESULT, "（三）不予公开"),
    _app("denied_internal_affairs", "5.属于三类内部事务信息", ("内部事务", "属于三类"), _RESULT, "（三）不予公开"),
    _app("denied_process_information", "6.属于四类过程性信息", ("过程性", "属于四类"), _RESULT, "（三）不予公开"),
    _app("denied_law_enforcement_files", "7.属于行政执法案卷", ("执法案卷", "行政执法"), _RESULT, "（三）不予公开"),
    _app("denied_administrative_query", "8.属于行政查询事项", ("行政查询", "行政查"), _RESULT, "（三）不予公开"),
    _app("unavailable_not_held", "1.本机关不掌握相关政府信息", ("不掌握", "本机关"), _RESULT, "（四）无法提供"),
    _app("unavailable_needs_creation", "2.没有现成信息需要另行制作", ("没有现成", "另行制作", "没有现"), _RESULT,
         "（四）无法提供"),
    _app("unavailable_unclear_after_correction", "3.补正后申请内容仍不明确", ("补正后",), _RESULT,
         "（四）无法提供"),
    _app("not_processed_petition_complaint", "1.信访举报投诉类申请", ("信访举报", "信访"), _RESULT, "（五）不予处理"),
    _app("not_processed_duplicate", "2.重复申请", ("重复申请", "重复"), _RESULT, "（五）不予处理"),
    _app("not_processed_publication", "3.要求提供公开出版物", ("公开出版物", "出版物", "要求提供"), _RESULT, "（五）不予处理"),
    _app("not_processed_excessive", "4.无正当理由大量反复申请", ("大量反复", "无正当理由"), _RESULT, "（五）不予处理"),
    _app("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息", ("重新出具", "确认或", "要求行政机关"),
         _RESULT, "（五）不予处理"),
)
_APPS_TAIL = (
    _app("total_processed", "（七）总计", ("总计",), _RESULT),
    _app("carried_forward", "四、结转下年度继续办理", ("结转下年度", "结转下")),
)
_APPS_STARTS = (("申请人情况", "本列数据", "自然人", "本年新收"),)
_APPS_WORDS = ("本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", "申请人情况", "法人或其他组织",
               "三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理", "单位：件")

APPLICATIONS_2019 = Table("applications", SECTION_TITLES["applications"], (
    *_APPS_HEAD,
    _app("other", "（六）其他处理", ("其他处理",), _RESULT),
    *_APPS_TAIL,
), _APPS_STARTS, vocabulary=_APPS_WORDS)

# 2021: （六）其他处理 has three sub-rows; a report that prints it as one row fills ``other`` only
# (the anchor "其他处理" is searched after the two sub-rows' anchors, so it cannot steal them).
APPLICATIONS_2021 = Table("applications", SECTION_TITLES["applications"], (
    *_APPS_HEAD,
    _app("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
         ("逾期不补正", "无正当理由逾期", "申请人无正当"), _RESULT, "（六）其他处理"),
    _app("other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
         ("收费通知", "缴纳费用", "逾期未按", "申请人逾期"), _RESULT, "（六）其他处理"),
    _app("other", "3.其他", ("3.其他", "其他处理"), _RESULT, "（六）其他处理", ("（六）其他处理",)),
    *_APPS_TAIL,
), _APPS_STARTS, vocabulary=_APPS_WORDS)

OUTCOME_ROWS_2019 = tuple(r.key for r in APPLICATIONS_2019.rows[2:-2])
OUTCOME_ROWS_2021 = tuple(r.key for r in APPLICATIONS_2021.rows[2:-2])

# ---------------------------------------------------------------- table 四: review_litigation
_RESULTS = (Column("upheld", "结果维持"), Column("corrected", "结果纠正"), Column("other", "其他结果"),
            Column("pending", "尚未审结"), Column("total", "总计"))
REVIEW_LITIGATION = Table("review_litigation", SECTION_TITLES["review_litigation"], (
    Row("review", "行政复议", (), _RESULTS, "行政复议"),
    Row("litigation_direct", "未经复议直接起诉", (), _RESULTS, "行政诉讼"),
    Row("litigation_after_review", "复议后起诉", (), _RESULTS, "行政诉讼"),
), (("行政复议行政诉讼",), ("结果维持",), ("维持",)), flat=True, vocabulary=("行政诉讼", "单位：件"))

TEMPLATES: dict[str, Template] = {
    "2019": Template(
        "2019", "国办公开办函〔2019〕60号",
        ("本年新制作数量", "对外公开总数量", "上一年项目数量", "其他对外管理服务事项", "政府集中采购",
         "第二十条第（九）项", "〔2019〕60号"),
        (ACTIVE_2019, APPLICATIONS_2019, REVIEW_LITIGATION)),
    "2021": Template(
        "2021", "国办公开办函〔2021〕30号",
        ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期未按收费通知", "〔2021〕30号"),
        (ACTIVE_2021, APPLICATIONS_2021, REVIEW_LITIGATION)),
}
TABLE_KEYS = ("active_disclosure", "applications", "review_litigation")

# ---------------------------------------------------------------- the rules (勾稽关系) as equations

# each rule's stable code and what it says (TEMPLATES.md)
RULES = {
    "applications.balance": "本年新收 + 上年结转 = 办理结果总计 + 结转下年度",
    "applications.total_processed_is_sum_of_outcomes": "（七）总计 = 各项办理结果之和",
    "applications.total_column_is_sum": "每行的总计 = 各类申请人之和",
    "review_litigation.group_total": "行政复议、行政诉讼各组的总计 = 各项结果之和",
}


@dataclass(frozen=True)
class Equation:
    """One instance of a rule: the cells of ``left`` add up to the cells of ``right`` (dotted paths)."""

    rule: str  # the rule's stable code, e.g. applications.balance
    instance: str  # the column, row or group it is stated for, as its label: 自然人, 行政复议
    left: tuple[str, ...]
    right: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return self.left + self.right


def equations(template: Template) -> tuple[Equation, ...]:
    """Every rule of TEMPLATES.md, one equation per instance: the one statement of the rules, which
    validation judges (validate/rules) and the extractor uses to cross-check what it read."""
    known = _EQUATIONS.get(id(template))
    if known is None or known[0] is not template:  # by identity: hashing a whole format costs more than this
        known = _EQUATIONS[id(template)] = (template, tuple(e for table in template.tables
                                                            for e in table_equations(table)))
    return known[1]


_EQUATIONS: dict[int, tuple[Template, tuple[Equation, ...]]] = {}


@lru_cache(maxsize=8)
def table_equations(table: Table) -> tuple[Equation, ...]:
    """The equations over the cells of one table (the rules never join two tables)."""
    t = table.key
    balance, outcome, total, group = RULES
    out = []
    if t == "applications":
        outcomes = [r.key for r in table.rows[2:-2]]
        for c in APPLICANT_COLUMNS:
            out.append(Equation(balance, c.label, (f"{t}.new_received.{c.key}", f"{t}.carried_over.{c.key}"),
                                (f"{t}.total_processed.{c.key}", f"{t}.carried_forward.{c.key}")))
        for c in APPLICANT_COLUMNS:
            out.append(Equation(outcome, c.label, (f"{t}.total_processed.{c.key}",),
                                tuple(f"{t}.{r}.{c.key}" for r in outcomes)))
        for row in table.rows:
            out.append(Equation(total, row.label, (f"{t}.{row.key}.total",),
                                tuple(f"{t}.{row.key}.{c.key}" for c in APPLICANT_COLUMNS[:-1])))
    elif t == "review_litigation":
        for row in table.rows:
            out.append(Equation(group, row.label, (f"{t}.{row.key}.total",),
                                tuple(f"{t}.{row.key}.{p}" for p in ("upheld", "corrected", "other", "pending"))))
    return tuple(out)


def verdict(left: Iterable[object], right: Iterable[object]) -> Status:
    """How one equation stands on these values (TEMPLATES.md): ``pass`` when every cell is known and
    the sums are equal; ``fail`` when no values ≥ 0 of the unknown cells (``None``) could make them
    equal; otherwise ``unverified``."""
    return verdict_of_sums(*side_sum(left), *side_sum(right))


def verdict_of_sums(a: float, a_unknown: int, b: float, b_unknown: int) -> Status:
    """``verdict`` from each side's known sum and count of unknown cells (``side_sum``)."""
    if not a_unknown and not b_unknown:
        return "pass" if abs(a - b) < 1e-9 else "fail"
    # unknowns are ≥ 0: they can only raise the side they are on
    if (a_unknown and not b_unknown and a > b) or (b_unknown and not a_unknown and b > a):
        return "fail"
    return "unverified"


def side_sum(values: Iterable[object]) -> tuple[float, int]:
    """A side of an equation: the sum of its known numbers, and how many cells are unknown."""
    total, unknown = 0, 0
    for v in values:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            total += float(v)
        else:
            unknown += 1
    return total, unknown
