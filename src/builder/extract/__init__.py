"""Extract: a report file → its neutral blocks (one module per format) → a parsed Report."""
from __future__ import annotations

from builder.errors import UnreadableReport
from builder.extract.formats import doc, docx, html, image, pdf, text
from builder.extract.report import document_to_report
from builder.models import Document, Report, SourceFile

# file suffix → format name; every format's reader has the signature read(path) -> tuple[Block, ...]
FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".pdf": "pdf", ".docx": "docx",
           ".doc": "doc", ".wps": "wps", ".html": "html", ".htm": "html",
           ".jpg": "image", ".jpeg": "image", ".png": "image"}
READERS = {"text": text.read, "markdown": text.read, "pdf": pdf.read, "docx": docx.read, "doc": doc.read,
           "wps": doc.read, "html": html.read, "image": image.read}


def format_of(suffix: str) -> str | None:
    return FORMATS.get(suffix.lower())


def read_document(source: SourceFile) -> Document:
    reader = READERS.get(source.format)
    if reader is None:
        raise UnreadableReport(source.path, f"reading {source.format or 'this kind of'} files is not supported",
                               "commit the report as .pdf, .docx, .doc, .wps, .html, .txt, .md, .jpg or .png")
    if source.path.stat().st_size == 0:
        raise UnreadableReport(source.path, "the file is empty (0 bytes)",
                               "commit the complete report file; an interrupted download leaves an empty one")
    return Document(source, reader(source.path))


def extract(source: SourceFile) -> Report:
    """Read and parse one report file; raises UnreadableReport when there is no text to parse."""
    return document_to_report(read_document(source))
