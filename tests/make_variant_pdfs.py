"""Generate the PDF variants of tests/variants.py: each Word variant exported by LibreOffice.

    .venv/bin/python tests/make_variant_pdfs.py [CLASS ...]   # every class, or only these

Needs LibreOffice (``apt-get install libreoffice-writer-nogui fonts-noto-cjk``); the PDFs are
committed in tests/fixtures/variants/, so the test suite needs neither this script nor LibreOffice.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import make_fixtures as mf
import table_breaks
import variants


def main() -> None:
    variants.VARIANT_PDFS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for v in variants.rendered_variants():
            if v.fmt != "pdf":
                continue
            short, cls, _ = v.name.split(".")
            if sys.argv[1:] and cls not in sys.argv[1:]:
                continue
            src, shape = variants.source(short), variants.SHAPES[cls]
            docx_path = Path(tmp) / f"{short}-{cls}.docx"
            out = variants.VARIANT_PDFS / f"{short}-{cls}.pdf"

            def make(path: Path, spacer: float = 0.0, src=src, shape=shape, cls=cls) -> None:
                variants.docx_report(src, variants._values(src, cls == "blank_org"), shape, path, spacer)
            if shape.break_at and not shape.open_top:  # measured, then rendered with the page ending where asked
                wrote = table_breaks.render(make, mf.word_to_pdf, docx_path, out, *shape.break_at)
            else:
                make(docx_path)
                wrote = mf.word_to_pdf(docx_path, out)
            if wrote:
                print(f"wrote {out.relative_to(mf.HERE.parent)}")


if __name__ == "__main__":
    main()
