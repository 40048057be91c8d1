"""The outline (bookmarks) of an exported PDF, added after Qt wrote it.

QPdfWriter writes no outline (it does write links to anchors inside the document, which the
table of contents uses), so `to_pdf` hands the finished file here with where each section's
heading landed: pypdf rewrites it with a bookmark per section, nested as the sections are. The
file is replaced atomically: a failure leaves the PDF Qt wrote, whole. Qt-free (pypdf only).
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import Fit, IndirectObject

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mark:
    """A section heading in the PDF: 0-based page, `top` in PDF points from the page's bottom."""

    title: str
    level: int  # 1 = a top section; deeper sections nest under the entry before them
    page: int
    top: float


def add_outline(path: Path, marks: list[Mark]) -> None:
    """Rewrite the PDF at `path` with an outline of `marks` in place of any it had; no marks,
    nothing rewritten. The bookmarks are a convenience: if pypdf cannot add them, the PDF stays
    as Qt wrote it (logged); a file that cannot be written raises OSError."""
    if not marks:
        return
    try:
        writer = _with_outline(path, marks)
    except (PyPdfError, ValueError, KeyError) as exc:
        log.warning("PDF outline not added to %s: %s", path, exc)
        return
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.outline")
    try:
        with temp.open("xb") as f:
            writer.write(f)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _with_outline(path: Path, marks: list[Mark]) -> PdfWriter:
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    writer.root_object.pop("/Outlines", None)
    parents: list[tuple[int, IndirectObject]] = []  # (level, entry) of the open ancestors
    for mark in marks:
        while parents and parents[-1][0] >= mark.level:
            parents.pop()
        entry = writer.add_outline_item(title=mark.title, page_number=mark.page,
                                        parent=parents[-1][1] if parents else None,
                                        fit=Fit.xyz(top=mark.top), is_open=mark.level < 2)
        parents.append((mark.level, entry))
    writer.page_mode = "/UseOutlines"  # viewers open the bookmarks pane
    return writer
