"""The 术语说明 page: what the tables' words mean, each with the article of the 条例 it comes from.

The terms are data here, and the same data links every table header that uses one of them to its
entry (``term_html``: an HTML link, as raw HTML is the one form that works in both the HTML tables of
the report pages and the Markdown tables of the others).
Articles are those of the 《中华人民共和国政府信息公开条例》 as revised in 2019 (国务院令第711号);
where the 条例 has no article of its own for a term, the entry says so rather than cite one.
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from builder.render.policy import MIN_BASE
from builder.render.search_fields import site_fields


PAGE = "glossary/index.md"
TITLE = "术语说明"


@dataclass(frozen=True)
class Term:
    key: str  # the anchor on the page: glossary/#<key>
    name: str
    article: str  # 《条例》第三十六条第（三）项, or "" when the 条例 has none of its own
    meaning: str  # one or two plain sentences
    labels: tuple[str, ...] = ()  # other wordings of table headers that name it


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    terms: tuple[Term, ...]


_PROCESSING = Section("申请的数量", "表三（收到和处理政府信息公开申请情况）的前两行和最后一行。", (
    Term("new_received", "本年新收申请", "《条例》第二十七条",
         "本年度收到的政府信息公开申请。公民、法人或者其他组织可以向各级人民政府和以自己名义履行行政管理职能的"
         "县级以上政府部门申请获取政府信息。",
         ("一、本年新收政府信息公开申请数量", "新收申请", "本年新收")),
    Term("carried_over", "上年结转", "《条例》第三十三条",
         "上一年度收到、到年底还没有办结的申请，转到本年度继续办理。申请一般应在 20 个工作日内答复，经批准可再延长"
         "不超过 20 个工作日，所以年底收到的申请常常跨年。",
         ("二、上年结转政府信息公开申请数量",)),
    Term("total_processed", "办理结果总计", "",
         "本年度办结的申请数，等于（一）至（六）各项办理结果之和。年报表头写明：本年新收加上年结转，等于办理结果总计"
         "加结转下年度继续办理。",
         ("（七）总计", "办理总计")),
    Term("carried_forward", "结转下年度继续办理", "《条例》第三十三条",
         "到年底还在答复期限内、尚未办结的申请，转到下一年度。", ("四、结转下年度继续办理",)),
))

_OUTCOMES = Section("办理结果", "表三“三、本年度办理结果”下的各项。每份申请只计一种结果。", (
    Term("granted", "予以公开", "《条例》第三十六条第（一）项、第（二）项",
         "申请公开的信息已经主动公开、或者可以公开，行政机关提供了该信息，或告知获取的方式、途径和时间。",
         ("（一）予以公开",)),
    Term("partially_granted", "部分公开", "《条例》第三十七条",
         "申请的信息中有不应公开或不属于政府信息的内容，但能够区分处理：行政机关提供可以公开的部分，并说明其余部分"
         "不予公开的理由。区分处理的只计这一种结果。",
         ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（二）部分公开")),
    Term("denied", "不予公开", "《条例》第三十六条第（三）项",
         "行政机关依据《条例》决定不公开，并告知申请人理由。年报把理由分为下列八种。", ("（三）不予公开",)),
    Term("denied_state_secret", "属于国家秘密", "《条例》第十四条", "依法确定为国家秘密的政府信息，不予公开。",
         ("1.属于国家秘密",)),
    Term("denied_prohibited_by_law", "其他法律行政法规禁止公开", "《条例》第十四条",
         "法律、行政法规禁止公开的政府信息，不予公开。", ("2.其他法律行政法规禁止公开",)),
    Term("denied_three_safety_one_stability", "危及“三安全一稳定”", "《条例》第十四条",
         "公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息，不予公开。",
         ("3.危及“三安全一稳定”", "危及\"三安全一稳定\"")),
    Term("denied_third_party_rights", "保护第三方合法权益", "《条例》第十五条",
         "涉及商业秘密、个人隐私等、公开会损害第三方合法权益的信息，不得公开；但第三方同意公开，或者不公开会对公共利益"
         "造成重大影响的，予以公开。", ("4.保护第三方合法权益",)),
    Term("denied_internal_affairs", "属于三类内部事务信息", "《条例》第十六条第一款",
         "行政机关的人事管理、后勤管理、内部工作流程等内部事务信息，可以不予公开。", ("5.属于三类内部事务信息",)),
    Term("denied_process_information", "属于四类过程性信息", "《条例》第十六条第二款",
         "行政机关在履行职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息，可以不予公开；法律、法规、"
         "规章规定应当公开的，从其规定。", ("6.属于四类过程性信息",)),
    Term("denied_law_enforcement_files", "属于行政执法案卷", "《条例》第十六条第二款",
         "行政执法案卷信息，可以不予公开；法律、法规、规章规定应当公开的，从其规定。", ("7.属于行政执法案卷",)),
    Term("denied_administrative_query", "属于行政查询事项", "《条例》第三十六条第（七）项",
         "工商、不动产登记资料等信息，有关法律、行政法规对获取方式有特别规定的，行政机关告知申请人依照那些规定办理"
         "（查询），不作为政府信息公开提供。", ("8.属于行政查询事项",)),
    Term("unavailable", "无法提供", "",
         "行政机关没有可以提供的信息。年报分为下列三种。", ("（四）无法提供",)),
    Term("unavailable_not_held", "本机关不掌握相关政府信息", "《条例》第三十六条第（四）项、第（五）项",
         "经检索没有所申请的信息，或者该信息不属于本机关负责公开（能确定负责机关的，告知其名称和联系方式）。",
         ("1.本机关不掌握相关政府信息",)),
    Term("unavailable_needs_creation", "没有现成信息需要另行制作", "《条例》第三十八条",
         "行政机关提供的应是已制作或者获取的信息；需要对现有信息加工、分析才能得到的，可以不予提供（能区分处理的除外）。",
         ("2.没有现成信息需要另行制作",)),
    Term("unavailable_unclear_after_correction", "补正后申请内容仍不明确", "《条例》第三十条",
         "申请内容不明确，行政机关一次性告知申请人补正；补正后仍不明确，无法确定所要的信息。",
         ("3.补正后申请内容仍不明确",)),
    Term("not_processed", "不予处理", "",
         "申请不作为政府信息公开申请处理。年报分为下列五种。", ("（五）不予处理",)),
    Term("not_processed_petition_complaint", "信访举报投诉类申请", "《条例》第三十九条第一款",
         "以政府信息公开申请的形式进行信访、投诉、举报，行政机关告知不作为政府信息公开申请处理，并可告知通过相应渠道提出。",
         ("1.信访举报投诉类申请",)),
    Term("not_processed_duplicate", "重复申请", "《条例》第三十六条第（六）项",
         "行政机关已经答复过，申请人又申请公开相同的信息，告知不予重复处理。", ("2.重复申请",)),
    Term("not_processed_publication", "要求提供公开出版物", "《条例》第三十九条第二款",
         "申请提供政府公报、报刊、书籍等公开出版物的，行政机关可以告知获取的途径。", ("3.要求提供公开出版物",)),
    Term("not_processed_excessive", "无正当理由大量反复申请", "《条例》第三十五条",
         "申请的数量、频次明显超过合理范围，行政机关要求说明理由，认为理由不合理的，告知不予处理。",
         ("4.无正当理由大量反复申请",)),
    Term("not_processed_confirmation", "要求行政机关确认或重新出具已获取信息", "",
         "申请人已经得到信息，又要求行政机关确认其真伪或重新出具。年报格式把它列为不予处理的一种；《条例》没有为它单列条文。",
         ("5.要求行政机关确认或重新出具已获取信息",)),
    Term("other_processing", "其他处理", "",
         "不属于以上各项的办理结果。2019 版格式只有一行；2021 版格式分为下列三种，两版的“其他处理”因此只有合计可以比较。",
         ("（六）其他处理",)),
    Term("other_no_correction", "逾期不补正、不再处理", "《条例》第三十条",
         "申请人无正当理由逾期不补正，视为放弃申请，行政机关不再处理。（2021 版格式）",
         ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",)),
    Term("other_fee_unpaid", "逾期未缴纳信息处理费、不再处理", "《条例》第四十二条",
         "申请的数量、频次明显超过合理范围时，行政机关可以收取信息处理费；申请人逾期未按收费通知缴纳，行政机关不再处理。"
         "（2021 版格式）",
         ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",)),
))

_REVIEW = Section("行政复议和行政诉讼", "表四（政府信息公开行政复议、行政诉讼情况）。", (
    Term("review", "行政复议", "《条例》第五十一条",
         "认为行政机关在政府信息公开工作中侵犯其合法权益的，可以申请行政复议：由上一级机关（复议机关）重新审查。"
         "表四只计本机关因政府信息公开被申请的复议。", ("行政复议",)),
    Term("litigation", "行政诉讼", "《条例》第五十一条",
         "也可以向人民法院提起行政诉讼。表四分“未经复议直接起诉”和“复议后起诉”两组。", ("行政诉讼",)),
    Term("litigation_direct", "未经复议直接起诉", "《条例》第五十一条", "没有先申请行政复议，直接向法院起诉。",
         ("未经复议直接起诉",)),
    Term("litigation_after_review", "复议后起诉", "《条例》第五十一条", "对行政复议决定不服，再向法院起诉。",
         ("复议后起诉",)),
    Term("upheld", "结果维持", "", "复议机关维持了行政机关的答复，或法院驳回了申请人的诉讼请求。", ("结果维持",)),
    Term("corrected", "结果纠正", "",
         "复议机关或法院认为答复有错：撤销、变更、确认违法，或责令行政机关重新答复、履行职责。", ("结果纠正",)),
    Term("other_result", "其他结果", "",
         "维持和纠正以外的结果，例如申请人撤回复议申请或起诉，复议申请或起诉不予受理、被驳回。", ("其他结果",)),
    Term("pending", "尚未审结", "", "到年底还没有结果的案件。", ("尚未审结",)),
))

_ACTIVE = Section("主动公开", "表二（主动公开政府信息情况）各小表以《条例》第二十条的各项为题。", (
    Term("active_disclosure", "主动公开", "《条例》第十九条、第二十条",
         "涉及公众利益、需要公众广泛知晓的信息，行政机关不待申请即应公开；第二十条列出了应当主动公开的各项。",
         ("主动公开",)),
    Term("art20_1", "第二十条第（一）项", "《条例》第二十条第（一）项", "行政法规、规章和规范性文件。",
         ("第二十条第（一）项",)),
    Term("art20_5", "第二十条第（五）项", "《条例》第二十条第（五）项",
         "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果。", ("第二十条第（五）项",)),
    Term("art20_6", "第二十条第（六）项", "《条例》第二十条第（六）项",
         "实施行政处罚、行政强制的依据、条件、程序，以及本机关认为具有一定社会影响的行政处罚决定。",
         ("第二十条第（六）项",)),
    Term("art20_8", "第二十条第（八）项", "《条例》第二十条第（八）项", "行政事业性收费项目及其依据、标准。",
         ("第二十条第（八）项",)),
    Term("art20_9", "第二十条第（九）项", "《条例》第二十条第（九）项", "政府集中采购项目的目录、标准及实施情况（2019 版格式）。",
         ("第二十条第（九）项",)),
))

_OURS = Section("本站的比率和标记", "年报格式里没有、由本站从年报数字算出或标出的内容。", (
    Term("denial_rate", "不予公开率", "",
         f"不予公开（八种理由之和）占办理结果总计的比例。只在两者都已知、且办理总计不少于 {MIN_BASE} 件时计算"
         "（不足时样本太少，只列件数）；每份年报单独计算，不把不同机关的数字相加后再算。", ("不予公开率",)),
    Term("review_correction_rate", "复议纠错率", "",
         f"行政复议中“结果纠正”占已审结复议（总计减尚未审结）的比例。只在这些数字都已知、已审结复议不少于 {MIN_BASE} 件时"
         "计算（不足时样本太少，只列件数）；数字与年报其他数字不一致时列为“⚠不符”，不当作 0。",
         ("复议纠错率",)),
    Term("unknown", "未知", "",
         "年报没有印出这个数，或者我们无法可靠地读出、确定它在哪一格。未知不等于 0，不计入任何合计。", ("未知",)),
    Term("contradicted", "不符", "",
         "这个数与同一份年报表中的其他数字不一致（勾稽关系不成立）：可能是年报印错，也可能是我们读错。"
         "照印，标“⚠不符”，但不计入合计和排行。", ("不符", "⚠不符")),
    Term("prose_differs", "正文另述", "",
         "年报正文复述这一项时说的数与表中不同（同一项目、同一范围，且没有一种读法能使两者一致）。这是正文与表格的说法不同，"
         "不是表格自身的数字不一致：表中数字照印，照常计入合计，旁注正文的原话。正文说的范围可能不同时（某部门“代表”政府、"
         "“本级”、“其中”、上年结转不为 0 时的“收到”）不作比较。", ("正文另述",)),
    Term("min_base", "样本太少", "",
         f"比例或比率的分母（不予公开率：办理结果总计；复议纠错率：已审结的行政复议；办理结果构成：所统计年报的办理总计之和）"
         f"不足 {MIN_BASE} 件时，一两件就能让比例从 0 变成 100%。本站对这样的比例不算百分比、不排名、不画入图中，"
         f"只列件数，如“2 件中 1 件（样本太少）”。每个比例都注明它的分母。", ("样本太少",)),
    Term("same_scope", "同口径", "",
         "各年度收录的年报份数不同，直接比较两年的合计会把“年报多了”误读成“申请多了”。同口径只比较在两个年度都有年报的机关；"
         "本站不把不同年度的数字相加，没有年报的年度在图表中留空。", ("同口径", "同口径比较")),
    Term("format", "2019 版格式、2021 版格式", "",
         "国务院办公厅规定的年报格式：2019、2020 年度用国办公开办函〔2019〕60号的格式，2021 年度起用国办公开办函〔2021〕30号"
         "的格式。两版的表二各列和表三的“其他处理”不同，对比时只比较含义相同的项目。", ("报告格式",)),
))

SECTIONS: tuple[Section, ...] = (_PROCESSING, _OUTCOMES, _REVIEW, _ACTIVE, _OURS)
TERMS: dict[str, Term] = {t.key: t for s in SECTIONS for t in s.terms}
_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+[.、．])\s*")


def _norm(label: str) -> str:
    return re.sub(r"\s+", "", label).replace('"', "“")


_GENERIC = {"总计", "其他"}  # headers of several tables that name no one term (总计 of 申请人 or of 结果)
_BY_LABEL: dict[str, Term] = {}
for _term in TERMS.values():
    for _label in (_term.name, *_term.labels):
        for _form in (_norm(_label), _norm(_NUMBERING.sub("", _label))):
            if _form not in _GENERIC:
                _BY_LABEL.setdefault(_form, _term)


def term_for(label: str) -> Term | None:
    """The term a table header names: its label as printed (1.属于国家秘密, （三）不予公开, 结果纠正)."""
    norm = _norm(label)
    return _BY_LABEL.get(norm) or _BY_LABEL.get(_norm(_NUMBERING.sub("", norm)))


@functools.lru_cache(maxsize=None)  # every report page asks for the same few labels
def term_html(label: str, glossary_url: str) -> str:
    """``label`` as HTML (escaped), a link to its term's entry when it names one. No tooltip: the
    entry's article and meaning are one tap away, and on a report page 55 of them came to 8 KB."""
    text = html.escape(label, quote=True)
    term = term_for(label) if glossary_url else None
    if term is None:
        return text
    return f'<a class="portal-term" href="{html.escape(glossary_url, quote=True)}#{term.key}">{text}</a>'


def glossary_context() -> dict:
    return {"title": TITLE, "sections": SECTIONS, "search_fields": site_fields(TITLE)}
