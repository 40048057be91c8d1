"""Reading PDFs back in tests: page text (pypdf, layout mode) normalised for plain assertions."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pypdf


def page_texts(path: Path) -> list[str]:
    """Each page's text with ligatures unfolded (NFKC) and runs of whitespace made one space."""
    reader = pypdf.PdfReader(str(path))
    out = []
    for page in reader.pages:
        text = unicodedata.normalize("NFKC", page.extract_text(extraction_mode="layout"))
        out.append(re.sub(r"\s+", " ", text))
    return out


def pdf_text(path: Path) -> str:
    return " ".join(page_texts(path))


def metadata(path: Path) -> dict[str, str]:
    return {k: str(v) for k, v in (pypdf.PdfReader(str(path)).metadata or {}).items()}
