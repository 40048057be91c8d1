"""Which way a text runs, for the places that show one text per line (tree rows, list entries,
breadcrumbs, running heads): its first strong character decides, as Unicode's bidirectional
algorithm does for a paragraph (rules P2-P3), so a Persian title with an English word in it
reads right to left and an English one with a Persian word left to right, whatever the
application's own direction."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

FSI, PDI = "\u2068", "\u2069"  # first-strong isolate and its end: a run with its own direction


@lru_cache(maxsize=65536)
def is_rtl(text: str) -> bool:
    """True when the text's first strong character is right-to-left (Hebrew, Arabic script)."""
    for ch in text:
        if ch.isascii():
            if ch.isalpha():
                return False
            continue
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False


def isolate(text: str) -> str:
    """`text` as a run of its own direction inside a line of another (a breadcrumb's parts):
    without it, "گزارش NATO" inside an English line shows its words in the wrong order."""
    return f"{FSI}{text}{PDI}" if not text.isascii() else text
