"""Pick the reading fonts from what is installed, best first (Qt CSS takes one family per rule)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QFontDatabase

SERIF = ["Charter", "Source Serif 4", "Literata", "Georgia", "Noto Serif", "DejaVu Serif",
         "Liberation Serif", "Times New Roman"]
SANS = ["Inter", "Segoe UI", "Noto Sans", "Cantarell", "Helvetica Neue", "DejaVu Sans",
        "Liberation Sans", "Arial"]
MONO = ["JetBrains Mono", "Cascadia Mono", "Consolas", "Menlo", "Noto Sans Mono",
        "DejaVu Sans Mono", "Liberation Mono", "Courier New"]


@cache
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
