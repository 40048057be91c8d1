"""Arabic script in every style (issue 17): the shipped Noto Naskh Arabic is every family's
fallback, so italic Persian (emphasis, a results breadcrumb) is never drawn as empty boxes on a
machine whose Arabic-script font has no italic (DejaVu's); PDFs embed it and their running head
puts a right-to-left title at the right."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PySide6.QtGui import QFont

from reader.content import load_library
from reader.content.print_job import make_job
from reader.qtgui.fonts import (
    MONO,
    SANS,
    SERIF,
    first_installed,
    install_script_fallback,
    missing_glyphs,
    needs_script_fallback,
    script_fallback_family,
)
from reader.qtgui.printing import to_pdf

PERSIAN = "متن فارسی می‌توانیم کامنت‌ها"
BRIEFING = Path(__file__).with_name("persian_briefing.md")


def italic_or_bold(family: str, italic: bool, bold: bool) -> QFont:
    font = QFont(family, 12)
    font.setItalic(italic)
    font.setBold(bold)
    return font


@pytest.mark.parametrize("families", [SERIF, SANS, MONO], ids=["serif", "sans", "mono"])
@pytest.mark.parametrize("italic,bold", [(False, False), (True, False), (False, True), (True, True)])
def test_arabic_script_has_glyphs_in_every_style(qapp, families, italic, bold) -> None:
    install_script_fallback()
    assert script_fallback_family() == "Noto Naskh Arabic"
    assert missing_glyphs(PERSIAN, italic_or_bold(first_installed(families), italic, bold)) == 0


def test_which_libraries_need_the_fallback_before_the_first_paint() -> None:
    assert needs_script_fallback(["Iran", "گزارش"])
    assert needs_script_fallback(["Iran"], ["fa"]) and needs_script_fallback([], ["ar-EG"])
    assert not needs_script_fallback(["Iran", "Экономика", "Économie"], ["en", "ru"])


def test_the_pdf_embeds_the_fallback_and_heads_a_persian_title_at_the_right(qapp, tmp_path) -> None:
    folder = tmp_path / "content" / "fa"
    folder.mkdir(parents=True)
    shutil.copy(BRIEFING, folder / "briefing.md")
    briefing = load_library([tmp_path / "content"]).briefings[0]
    path = tmp_path / "fa.pdf"
    to_pdf(path, make_job([briefing.root]))
    pdf = pdfium.PdfDocument(str(path))
    page = pdf[0]
    width, height = page.get_size()
    text = page.get_textpage()
    head = 60  # points from the top: the running head
    left = text.get_text_bounded(0, height - head, width / 2, height)
    right = text.get_text_bounded(width / 2, height - head, width, height)
    assert "2026" in left and "گزارش" not in left
    assert "روسیه" in right or "گزارش" in right
    assert b"NotoNaskhArabic" in path.read_bytes()  # embedded (italic Persian is in the body)
