"""A readable summary of parsed reports, for `portal check` in a terminal or a CI job summary."""
from __future__ import annotations

from builder.models import Failure, Report
from builder.render.markdown import escape

_KEY_FIGURES = (
    ("新收申请", "applications", "new_received", "total"),
    ("办理总计", "applications", "total_processed", "total"),
    ("予以公开", "applications", "granted", "total"),
    ("行政复议", "review_litigation", "review", "total"),
    ("直接起诉", "review_litigation", "litigation_direct", "total"),
    ("复议后起诉", "review_litigation", "litigation_after_review", "total"),
)


def _figure(report: Report, table: str, row: str, col: str) -> str:
    value = (report.tables.get(table) or {}).get(row, {}).get(col)
    return "未知" if value is None else str(value)


def blocking(result: Report | Failure, strict: bool) -> list[str]:
    """Why this result fails the check (empty when it passes)."""
    if isinstance(result, Failure):
        return [result.reason]
    reasons = [f"{w.where}: {w.message}" for w in result.warnings if w.severity == "error"]
    if strict:
        reasons += [f"{c.rule}: {c.message}" for c in result.checks if c.status == "fail"]
    return reasons


def summarize(results: list[Report | Failure], strict: bool = False, markdown: bool = False) -> tuple[str, bool]:
    """(the summary text, whether every result passes)."""
    lines: list[str] = []
    ok = True
    md = (lambda s: escape(s)) if markdown else (lambda s: s)
    if markdown:
        lines += ["## 年报检查结果", ""]
    for result in results:
        problems = blocking(result, strict)
        ok = ok and not problems
        mark = "✅" if not problems else "❌"
        name = str(result.source.path)
        if isinstance(result, Failure):
            lines += [f"### {mark} {md(name)}" if markdown else f"{mark} {name}",
                      f"- 无法解析：{md(result.reason)}" if markdown else f"   无法解析：{result.reason}", ""]
            continue
        head = (f"{result.agency or '机关未知'} · {' / '.join(result.region) or '地区未知'} · "
                f"{result.year or '年度未知'} 年 · {result.template or '?'} 版格式")
        figures = "，".join(f"{label} {_figure(result, *path)}" for label, *path in _KEY_FIGURES)
        failed = [c for c in result.checks if c.status == "fail"]
        if markdown:
            lines += [f"### {mark} {md(name)}", "", f"**{md(head)}**", "", f"- 主要数字：{figures}"]
            lines += [f"- 勾稽关系不成立：`{c.rule}`：{md(c.message)}" for c in failed]
            lines += [f"- 提示 `{w.where.replace('`', '')}`：{md(w.message)}" for w in result.warnings]
            lines.append("")
        else:
            lines += [f"{mark} {name}", f"   {head}", f"   {figures}"]
            lines += [f"   勾稽关系不成立 {c.rule}: {c.message}" for c in failed]
            lines += [f"   提示 {w.where}: {w.message}" for w in result.warnings]
            lines.append("")
    parsed = sum(isinstance(r, Report) for r in results)
    lines.append(f"{len(results)} 个文件：{parsed} 份解析成功，{len(results) - parsed} 份无法解析。"
                 + ("检查通过。" if ok else "检查未通过。"))
    return "\n".join(lines), ok
