"""Title, agency, year and template version of a report, from its own text.

The region comes from the folders or the sidecar (ingest/); where both are silent, from the
agency's name (gazetteer.py). A sidecar's ``agency`` or ``year`` overrides what is read here.
"""
from __future__ import annotations

import re
from collections import Counter

from builder.extract.chinese import HAN, fuzzy_pattern, squeeze
from builder.extract.templates import TEMPLATES

_TITLE = re.compile(
    rf"(?P<agency>[{HAN}（）()·]*?)(?P<year>20\d\d)年度?(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:工作)?报告")
_PLACE = re.compile(r"(?:省|市|区|县|旗|州|盟|自治州|自治县|自治旗|地区|新区|实验区|开发区)$")
_INSTITUTION = re.compile(r"(?:政府|局|委员会|委|办公室|办|厅|院|中心|处|所|站|队|会|部|署|馆|社|公司|集团|管理|管委会)$")
_PREFIX_STOP = set("由经对在将向为按请与和及以据于是")
# a title quoted in the opening paragraph of a page with no title of its own ("现公布××2021年度政府信息
#公开工作年度报告"): the words before the agency
_LEAD_IN = re.compile(r"^.*(?:公布|发布|印发|现将|本报告是|本报告为|编制了|形成了|报送|呈报)")
# "本报告由××区人民政府办公室（根据……）编制": the agency that compiled it
_COMPILED_BY = re.compile(rf"本报告(?:是)?由(?P<agency>[{HAN}（）()]{{2,40}}?)(?:负责|根据|按照|依据|依照|编制(?!委员会)|制作|发布)")


def read_title(head: str) -> tuple[str, str, int | None]:
    """(title, agency as the title gives it, year) from the text before section 一."""
    flat = squeeze(head[:2000]).replace("#", "").replace("*", "")
    m = _TITLE.search(flat)
    if not m:
        return "", _compiled_by(flat), None
    agency = m.group("agency").strip("（）()")
    if (lead := _LEAD_IN.match(agency)) and len(agency) > lead.end():
        agency = agency[lead.end():]  # a title quoted in prose: "现公布××2021年度…报告"
        return m.group(0)[m.group(0).index(agency):], agency, int(m.group("year"))
    if not agency:
        # "# 2020年度政府信息公开工作报告 / ## 区招商局": the agency is the next heading
        lines = [squeeze(x).strip("#*") for x in head.split("\n") if squeeze(x).strip("#*")]
        for i, line in enumerate(lines):
            if _TITLE.search(line) and i + 1 < len(lines) and len(lines[i + 1]) <= 30 and \
                    re.fullmatch(f"[{HAN}（）()]+", lines[i + 1]):
                agency = lines[i + 1]
                break
    return m.group(0), agency, int(m.group("year"))


def _compiled_by(flat: str) -> str:
    """The agency of "本报告由××区人民政府办公室编制" (a government's or bureau's office compiles its report)."""
    m = _COMPILED_BY.search(flat)
    if not m:
        return ""
    agency = m.group("agency")
    if re.search(r"(?:政府|局|厅)办公室$", agency):  # not 机构编制委员会办公室: that office is the agency
        agency = agency[:-3]
    return agency if _INSTITUTION.search(agency) else ""


def full_agency(short: str, body: str, region: tuple[str, ...] = ()) -> str:
    """The agency's full name, where the title gives a short one the body spells out.

    "岭东区" → "岭东区人民政府"; "爱民区" → "牡丹江市爱民区人民政府"; "区招商局" → "文昌湖区招商局".
    """
    if not short:
        return short
    flat = squeeze(body)
    if _PLACE.search(short) and not _INSTITUTION.search(short):
        named = re.findall(rf"([{HAN}]{{0,6}}?){re.escape(short)}人民政府", flat)
        if named:
            prefixes = [_trim_prefix(p) for p in named]
            best = max(prefixes, key=lambda p: (bool(re.search(r"[市州盟省]$", p)), -len(p)))
            best = best if re.search(r"(?:市|州|盟|省|地区)$", best) else ""
            return f"{best}{short}人民政府"
        return short
    if short.endswith("人民政府"):
        # "洪泽区人民政府" in the title, "淮安市洪泽区人民政府办公室" in the body
        named = Counter(_trim_prefix(p) for p in re.findall(rf"([{HAN}]{{2,6}}?(?:市|州|盟|地区)){re.escape(short)}", flat))
        named.pop("", None)
        if named:
            return max(named.items(), key=lambda kv: (kv[1], -len(kv[0])))[0] + short
        return short
    if short[0] in "区县市镇乡" and _INSTITUTION.search(short):
        for place in reversed(region):
            if place.endswith(short[0]) and place + short[1:] in flat:
                return place + short[1:]
        found = Counter(_trim_prefix(p) for p in
                        re.findall(rf"(?:^|(?<=[，。、；：“”\"（(\s]))([{HAN}]{{1,6}}?){re.escape(short)}", flat))
        found.pop("", None)
        if found:
            prefix = max(found.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]
            return prefix + short
    return short


def _trim_prefix(prefix: str) -> str:
    while prefix and prefix[0] in _PREFIX_STOP:
        prefix = prefix[1:]
    return prefix


def detect_template(text: str, year: int | None) -> tuple[str | None, bool]:
    """("2019" | "2021" | None, certain): by the labels only one format prints; else by year."""
    scores = {key: sum(1 for mk in t.markers if fuzzy_pattern(mk).search(text)) for key, t in TEMPLATES.items()}
    if scores["2019"] != scores["2021"]:
        return max(scores, key=scores.get), True
    if year is not None:
        return ("2021" if year >= 2021 else "2019"), False
    return None, False
