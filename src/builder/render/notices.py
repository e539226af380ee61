"""Why a file could not be parsed, in Chinese for readers.

A ``Failure``'s ``reason`` is written for the maintainer (the path, what is wrong, the fix, in English)
and stays in `portal check`, the CI summary, the open data and the 数据质量 page's maintainer column.
Readers get one sentence here, chosen by what the reason says; a reason no pattern knows gets the
general sentence (tests/test_broken_input.py checks that every broken fixture gets a specific one).
"""
from __future__ import annotations

import re

from builder.models import Failure

GENERAL = "暂未能自动读取此文件的内容。"
NOTICES: tuple[tuple[str, str], ...] = (  # (a pattern of the maintainer's reason, the reader's sentence)
    (r"no text layer|a scan|needs OCR", "该文件为扫描件（图片），暂未能识别其中的文字和表格。"),
    (r"encrypted|password", "该 PDF 文件设有密码保护，无法读取。"),
    (r"text layer decodes as garbage|no Chinese text|Unicode map", "该 PDF 的文字无法正确解码（显示为乱码），暂未能识别其中的文字和表格。"),
    (r"damaged or truncated|not a readable PDF", "该 PDF 文件已损坏或下载不完整，无法读取。"),
    (r"PDF has no pages", "该 PDF 文件没有页面。"),
    (r"page \d+ cannot be read", "该 PDF 文件有页面无法读取。"),
    (r"empty|0 bytes", "该文件是空的，可能上传不完整。"),
    (r"处理该文件时进程中止|处理该文件时内存不足", "处理该文件时进程中止（可能是文件过大或结构异常），暂未能读取其中的内容。"),
    (r"part .* expands to more than|parts expand to more than", "该 Word 文件解压后过大，可能已损坏或经过特殊构造，未予读取。"),
    (r"stream of the PDF expands to more than", "该 PDF 文件解压后过大，可能已损坏或经过特殊构造，未予读取。"),
    (r"not a readable Word \.docx file", "该 Word（.docx）文件已损坏，无法读取。"),
    (r"text file of .* is not a report", "该文件过大，不是一份年报。"),
    (r"not a Word \.docx file|old binary \.doc", "该文件不是可读取的 Word（.docx）文件：可能已损坏，或是旧版 .doc 格式。"),
    (r"Word file has no text", "该 Word 文件中没有文字。"),
    (r"not text in any known encoding", "该文件的文字编码无法识别，读不出其中的文字。"),
    (r"HTML page has no text", "该网页文件中没有正文文字。"),
    (r"not a readable HTML page", "该网页文件无法读取。"),
    (r"does not look like a 政府信息公开工作年度报告", "该文件看起来不是政府信息公开工作年度报告：没有找到报告标题和各部分的标题。"),
    (r"unknown file type|files is not supported", "本站暂不能读取这种类型的文件。"),
    (r"meta\.ya?ml", "该年报的补充信息文件有误，维护者修正后即可解析。"),
)
_NOTICES = tuple((re.compile(pattern, re.I), text) for pattern, text in NOTICES)


def failure_notice(failure: Failure) -> str:
    """One sentence in Chinese saying why the file is not parsed (never a path or a code)."""
    reason = failure.reason.removeprefix(str(failure.source.path))  # a file's name must not choose its notice
    for pattern, text in _NOTICES:
        if pattern.search(reason):
            return text
    return GENERAL
