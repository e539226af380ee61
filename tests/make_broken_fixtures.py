"""Make the broken-PDF fixtures of tests/fixtures/broken/ from a real report.

    .venv/bin/pip install pypdf && .venv/bin/python tests/make_broken_fixtures.py

The outputs are committed, so the test suite needs neither pypdf nor this script. Each file is
named for the failure it stands for:

- scanned-no-text-layer.pdf: page 1 of a real report rendered to an image and put back as a PDF
  page, as a scanner makes it (no text layer: read by OCR);
- encrypted-with-password.pdf: the real report encrypted with a user password;
- truncated-download.pdf: the first half of the real report's bytes, as an interrupted download;
- garbage-text-layer.pdf: a page whose font has no Unicode map (text decodes as ``(cid:…)``);
- very-large-90-pages.pdf: the real report's pages repeated to 90 pages (more than the page budget).
"""
from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
from pypdf import PdfReader, PdfWriter

HERE = Path(__file__).parent
SOURCE = HERE / "fixtures" / "reports" / "pdf-table-split-across-pages-2021-one-other-row.pdf"
OUT = HERE / "fixtures" / "broken"


def scanned(path: Path) -> None:
    doc = pypdfium2.PdfDocument(str(SOURCE))
    image = doc[0].render(scale=1).to_pil().convert("L")
    buf = io.BytesIO()
    image.save(buf, format="PDF", resolution=72)
    path.write_bytes(buf.getvalue())


def encrypted(path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(str(SOURCE)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    with path.open("wb") as fh:
        writer.write(fh)


def truncated(path: Path) -> None:
    data = SOURCE.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def garbage(path: Path) -> None:
    # A CID font with Identity-H encoding and no ToUnicode map: the text decodes as (cid:…).
    glyphs = "".join(f"{n:04x}" for n in range(0x1200, 0x1240))
    content = b"BT /F1 14 Tf 72 760 Td " + b" ".join(b"<%s> Tj 0 -18 Td" % glyphs.encode() for _ in range(30)) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+SimSun /DW 1000 "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
    ]
    out = io.BytesIO(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    path.write_bytes(out.getvalue())


def very_large(path: Path) -> None:
    reader = PdfReader(str(SOURCE))
    writer = PdfWriter()
    for _ in range(18):
        for page in reader.pages:
            writer.add_page(page)
    with path.open("wb") as fh:
        writer.write(fh)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    scanned(OUT / "scanned-no-text-layer.pdf")
    encrypted(OUT / "encrypted-with-password.pdf")
    truncated(OUT / "truncated-download.pdf")
    garbage(OUT / "garbage-text-layer.pdf")
    very_large(OUT / "very-large-90-pages.pdf")


if __name__ == "__main__":
    main()
