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
            src = variants.source(short)
            docx_path = Path(tmp) / f"{short}-{cls}.docx"
            variants.docx_report(src, variants._values(src, cls == "blank_org"), variants.SHAPES[cls], docx_path)
            out = variants.VARIANT_PDFS / f"{short}-{cls}.pdf"
            if mf.word_to_pdf(docx_path, out):
                print(f"wrote {out.relative_to(mf.HERE.parent)}")


if __name__ == "__main__":
    main()
