"""Pick the reading fonts from what is installed, best first (Qt CSS takes one family per rule),
and the shipped fallback for Arabic script.

A machine's only Arabic-script font often has no italic (DejaVu Sans' Arabic is upright only),
and Qt then draws italic Persian, emphasis or a results breadcrumb, as empty boxes: it looks
for the glyphs in the italic face, finds none and falls back to nothing better. So the app ships
Noto Naskh Arabic (SIL Open Font License, resources/fonts/OFL.txt; regular and bold, 357 KB)
and makes it the first substitute of every family it draws with; Qt synthesises its italic.
Registering costs ~12 ms, so a start registers it before the first paint only when the
library's titles or languages call for it, and otherwise just after.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from PySide6.QtGui import QFont, QFontDatabase, QTextLayout

from reader.paths import resource

SERIF = ["Charter", "Source Serif 4", "Literata", "Georgia", "Noto Serif", "DejaVu Serif",
         "Liberation Serif", "Times New Roman"]
SANS = ["Inter", "Segoe UI", "Noto Sans", "Cantarell", "Helvetica Neue", "DejaVu Sans",
        "Liberation Sans", "Arial"]
MONO = ["JetBrains Mono", "Cascadia Mono", "Consolas", "Menlo", "Noto Sans Mono",
        "DejaVu Sans Mono", "Liberation Mono", "Courier New"]


@cache
def _has_family(name: str) -> bool:
    # Asked of the database by name: `families()` may list a font as "Name [foundry]".
    return QFontDatabase.hasFamily(name)


def first_installed(candidates: list[str]) -> str:
    """The first installed family of `candidates` (the last one if none is)."""
    return next((f for f in candidates if _has_family(f)), candidates[-1])


def fill_css(css: str, body_family: str = "serif") -> str:
    """Replace the @serif@/@sans@/@mono@ placeholders with installed families."""
    serif, sans = first_installed(SERIF), first_installed(SANS)
    body = serif if body_family == "serif" else sans
    return css.replace("@serif@", body).replace("@sans@", sans).replace("@mono@", first_installed(MONO))


FALLBACK_FILES = ("fonts/NotoNaskhArabic-Regular.ttf", "fonts/NotoNaskhArabic-Bold.ttf")
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
ARABIC_SCRIPT_LANGUAGES = {"ar", "fa", "ur", "ps", "ckb", "sd", "ug", "ku"}
_fallback: list[str] = []  # the registered family, once


def needs_script_fallback(texts: Iterable[str], languages: Iterable[str] = ()) -> bool:
    """Whether some text is in Arabic script or some language is written in it."""
    return (any(lang.split("-")[0].lower() in ARABIC_SCRIPT_LANGUAGES for lang in languages)
            or ARABIC_SCRIPT.search("\n".join(texts)) is not None)


def install_script_fallback() -> bool:
    """Register the shipped Arabic-script font as every reading and interface family's first
    substitute; True the first time (text laid out before then keeps its old glyphs)."""
    if _fallback:
        return False
    families: list[str] = []
    for name in FALLBACK_FILES:
        font_id = QFontDatabase.addApplicationFont(str(resource(name)))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return False  # a damaged install: the system's fonts are all there is
    _fallback.append(families[0])
    for family in {*SERIF, *SANS, *MONO, QFont().defaultFamily(), "Sans Serif", "Serif",
                   "Monospace"}:
        QFont.insertSubstitutions(family, [families[0]])
    return True


def script_fallback_family() -> str | None:
    """The registered fallback family, if it is."""
    return _fallback[0] if _fallback else None


def missing_glyphs(text: str, font: QFont) -> int:
    """How many glyphs of `text` in `font` (fallbacks included) Qt would draw as .notdef, the
    empty box (glyph 0)."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return sum(1 for run in layout.glyphRuns() for g in run.glyphIndexes() if g == 0)
