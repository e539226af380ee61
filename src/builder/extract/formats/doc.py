"""Old Word (.doc, Word 97–2003) and Kingsoft WPS (.wps) reports: converted to .docx by LibreOffice
headless, then read by the .docx reader, so tables keep their grid and merged cells.

Kingsoft WPS writes Word 97 binaries, under .wps or .doc; LibreOffice recognises them by content.
Each conversion runs with a profile of its own in a temporary folder, so several can run at once
(a build on every core), and nothing is written beside the report.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from builder.errors import UnreadableReport
from builder.extract.formats import docx
from builder.models import Block

TIMEOUT = 120  # seconds for one conversion; a report converts in 2–5 s
INSTALL = ("install LibreOffice's writer (Debian/Ubuntu: apt-get install libreoffice-writer-nogui; "
           "or any LibreOffice with soffice on PATH), or save the file as .docx in Word or WPS and commit that")


def converter() -> str | None:
    """The LibreOffice program on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(path: Path, folder: Path) -> Path:
    """Convert ``path`` into ``folder`` (a temporary one) and return the .docx written there."""
    program = converter()
    kind = "WPS .wps" if path.suffix.lower() == ".wps" else "Word 97–2003 .doc"
    if program is None:
        raise UnreadableReport(path, f"reading {kind} files needs LibreOffice, which is not installed", INSTALL)
    source = folder / f"original{path.suffix.lower()}"  # an ASCII name: soffice is unreliable with others
    shutil.copyfile(path, source)
    command = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"), str(source)]
    try:
        subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise UnreadableReport(path, f"LibreOffice did not convert the {kind} file within {TIMEOUT} s",
                               "open it in Word, WPS or LibreOffice and save it as .docx") from exc
    out = folder / "out" / f"{source.stem}.docx"  # LibreOffice keeps the name, with the new suffix
    if not out.exists() or out.stat().st_size == 0:
        raise UnreadableReport(path, f"LibreOffice could not read this {kind} file (damaged, password-protected, "
                                     "or not a Word document)",
                               "open it in Word or WPS and save it as .docx, or commit the PDF")
    return out


def read(path: Path) -> tuple[Block, ...]:
    with tempfile.TemporaryDirectory(prefix="portal-doc-") as tmp:
        converted = to_docx(path, Path(tmp))
        try:
            return docx.read(converted)
        except UnreadableReport as exc:
            raise UnreadableReport(path, exc.reason, exc.fix) from exc
