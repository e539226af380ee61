"""Words a reader sees for things the code names otherwise: file formats, template versions."""
from __future__ import annotations

from builder.models import SourceFile

FORMAT_LABELS = {"text": "文本", "markdown": "文本（Markdown）", "pdf": "PDF", "docx": "Word", "html": "网页"}


def format_label(source: SourceFile) -> str:
    """文本, PDF, Word, 网页…; a file of a kind we do not read is named by its ending."""
    if source.format in FORMAT_LABELS:
        return FORMAT_LABELS[source.format]
    suffix = source.path.suffix.lstrip(".").upper()
    return f"{suffix} 文件" if suffix else "文件"
