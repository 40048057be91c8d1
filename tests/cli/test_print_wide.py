"""PDF export of wide content (issue 16): long code lines wrap with a continuation mark instead
of running off the page, and images wider than the page are scaled to its width, keeping their
proportions. Checked on a real PDF of the fixture corpus, read back with pypdf and pypdfium2."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from reader.app import main
from reader.qtgui.print_layout import CONTINUED
from tests.pdf_helpers import pdf_text

CORPUS = Path(__file__).resolve().parent.parent / "content" / "fixtures" / "constructs"
MARGIN = 25 / 25.4 * 72  # the default left and right margins, in points
LONG_LINE = ('result = compute_the_answer(first_argument="alpha", second_argument="beta", '
             'third_argument="gamma", fourth_argument="delta")')


def export(data_dir: Path, out: Path, section: str) -> Path:
    assert main(["--data-dir", str(data_dir), "--content", str(CORPUS), "export-pdf",
                 "--section", section, "-o", str(out)]) == 0
    return out


def test_long_code_lines_wrap_with_a_mark(qapp, data_dir: Path, tmp_path: Path) -> None:
    pdf = export(data_dir, tmp_path / "long.pdf", "long-lines")
    text = pdf_text(pdf)
    assert CONTINUED.strip() in text
    squeezed = "".join(text.replace(CONTINUED.strip(), "").split())
    assert "".join(LONG_LINE.split()) in squeezed  # every character, none cut off
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[0]
    width = page.get_width()
    chars = page.get_textpage()
    boxes = [chars.get_charbox(i) for i in range(chars.count_chars())
             if not chars.get_text_range(i, 1).isspace()]
    assert boxes and max(right for _left, _bottom, right, _top in boxes) <= width - MARGIN + 1


def image_boxes(pdf: Path) -> tuple[float, list[tuple[float, float, float, float]]]:
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[0]
    boxes = [obj.get_bounds() for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])]
    return page.get_width(), boxes


def test_images_fit_the_page_width_keeping_their_ratio(qapp, data_dir: Path, tmp_path: Path) -> None:
    width, boxes = image_boxes(export(data_dir, tmp_path / "images.pdf", "images"))
    assert len(boxes) == 2  # the 3000x600 PNG and the 1000x250 SVG
    for (left, bottom, right, top), ratio in zip(boxes, (3000 / 600, 1000 / 250), strict=True):
        assert left >= MARGIN - 1 and right <= width - MARGIN + 1
        assert right - left > (width - 2 * MARGIN) * 0.95  # scaled to the width, not shrunk more
        assert (right - left) / (top - bottom) == pytest.approx(ratio, rel=0.02)
