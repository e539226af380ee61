"""A readable summary of parsed reports, for `portal check` in a terminal or a CI job summary.

Each file gets a mark: ✅ it will be published as it is; ⚠ it will be published, but its own figures
contradict each other (a consistency rule fails: a failure only with ``--strict``); ❌ the check fails:
the file cannot be parsed (unless ``allow_unparsed``), or the maintainer's sidecar or corrections are
invalid, or the metadata conflicts. Written for maintainers: codes and paths are welcome here.
"""
from __future__ import annotations

from builder.models import Failure, Report
from builder.render.figures import figure_of, format_number
from builder.render.markdown import escape

_KEY_FIGURES = (("新收申请", "received"), ("办理总计", "total_processed"), ("予以公开", "granted"),
                ("行政复议", "reviews"), ("行政诉讼", "lawsuits"))


def _figure(report: Report, key: str) -> str:
    figure = figure_of(report, key)
    if figure.value is None:
        return "未知"
    return format_number(figure.value) + ("（不符）" if figure.kind == "contradicted" else "")


def blocking(result: Report | Failure, strict: bool, allow_unparsed: bool = False) -> list[str]:
    """Why this result fails the check (empty when it passes)."""
    if isinstance(result, Failure):
        return [] if allow_unparsed and result.kind == "unreadable" else [result.reason]
    reasons = [f"{w.where}: {w.message}" for w in result.warnings if w.severity == "error"]
    if strict:
        reasons += [f"{c.rule}: {c.message}" for c in result.checks if c.status == "fail"]
    return reasons


def mark_of(result: Report | Failure, strict: bool, allow_unparsed: bool = False) -> str:
    if blocking(result, strict, allow_unparsed):
        return "❌"
    if isinstance(result, Failure) or any(c.status == "fail" for c in result.checks):
        return "⚠"
    return "✅"


def summarize(results: list[Report | Failure], strict: bool = False, markdown: bool = False,
              allow_unparsed: bool = False, problems: list[str] = ()) -> tuple[str, bool]:
    """(the summary text, whether every result passes): ``problems`` (links, folders, duplicates: what
    stops a build beyond one file) first, one line each."""
    lines: list[str] = []
    ok = not problems
    md = (lambda s: escape(s)) if markdown else (lambda s: s)
    if markdown:
        lines += ["## 年报检查结果", ""]
    lines += [f"- ❌ {md(p)}" if markdown else f"❌ {p}" for p in problems]
    lines += [""] if problems else []
    counts = {"✅": 0, "⚠": 0, "❌": 0}
    for result in results:
        problems = blocking(result, strict, allow_unparsed)
        ok = ok and not problems
        mark = mark_of(result, strict, allow_unparsed)
        counts[mark] += 1
        name = str(result.source.path)
        if isinstance(result, Failure):
            what = "无法解析" if result.kind == "unreadable" else "说明文件（.meta.yml）有误，portal build 将停止"
            lines += [f"### {mark} {md(name)}" if markdown else f"{mark} {name}",
                      f"- {what}：{md(result.reason)}" if markdown else f"   {what}：{result.reason}", ""]
            continue
        head = (f"{result.agency or '机关未知'} · {' / '.join(result.region) or '地区未知'} · "
                f"{result.year or '年度未知'} 年 · {result.template or '?'} 版格式")
        source = result.source.sidecar.get("url")
        figures = "，".join(f"{label} {_figure(result, key)}" for label, key in _KEY_FIGURES)
        failed = [c for c in result.checks if c.status == "fail"]
        notes = {c.rule: "；".join(x.note for x in c.contradictions) or c.message for c in failed}
        errors = [w for w in result.warnings if w.severity == "error"]
        others = [w for w in result.warnings if w.severity != "error"]
        if markdown:
            lines += [f"### {mark} {md(name)}", "", f"**{md(head)}**", "", f"- 主要数字：{figures}"]
            lines += [f"- 原文发布地址：{md(str(source))}"] if source else []
            lines += [f"- ⚠ 勾稽关系不成立 `{c.rule}`：{md(notes[c.rule])}" for c in failed]
            lines += [f"- 人工更正 `{c.cell}`：{c.printed} → {c.value}（{md(c.reason)}）" for c in result.corrections]
            lines += [f"- ❌ `{w.code}`：{md(w.message)}" for w in errors]
            lines += [f"- 提示 `{w.where.replace('`', '')}`：{md(w.message)}" for w in others]
            lines.append("")
        else:
            lines += [f"{mark} {name}", f"   {head}", f"   {figures}"]
            lines += [f"   原文发布地址 {source}"] if source else []
            lines += [f"   ⚠ 勾稽关系不成立 {c.rule}: {notes[c.rule]}" for c in failed]
            lines += [f"   人工更正 {c.cell}: {c.printed} → {c.value}（{c.reason}）" for c in result.corrections]
            lines += [f"   ❌ {w.code}: {w.message}" for w in errors]
            lines += [f"   提示 {w.where}: {w.message}" for w in others]
            lines.append("")
    parsed = sum(isinstance(r, Report) for r in results)
    lines.append(f"{len(results)} 个文件：{parsed} 份解析成功，{len(results) - parsed} 份无法解析；"
                 f"✅ {counts['✅']}，⚠ {counts['⚠']}（报告自身数字不一致），❌ {counts['❌']}。"
                 + (f"另有 {len(problems)} 个问题（见上）。" if problems else "")
                 + ("检查通过。" if ok else "检查未通过。"))
    return "\n".join(lines), ok
