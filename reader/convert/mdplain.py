"""A plain folder of Markdown pages (format "markdown") -> one briefing.

Every `.md`/`.markdown` file in natural order, README/index first (a folder's README or index
is the folder's own page), subfolders one level deeper; front matter may give a page's title
and date. The rest is `mdpages`'.
"""

from __future__ import annotations

from pathlib import Path

from reader.convert import Source
from reader.convert.mdpages import (
    MD_SUFFIXES,
    Book,
    Entry,
    convert_folder,
    front_matter,
    listing,
    name_title,
    natural_key,
    page_date,
)
from reader.convert.model import Converted


def convert(source: Source) -> Converted:
    """The briefing in a plain folder of Markdown pages (see the module's docstring)."""
    return convert_folder(source, _read_plain)


def _read_plain(book: Book) -> None:
    _plain_folder(book, book.root, 1)


def _plain_folder(book: Book, folder: Path, level: int) -> None:
    def order(p: Path) -> tuple[int, tuple[object, ...]]:
        first = p.is_file() and p.stem.lower() in ("readme", "index")
        return (0 if first else 1, natural_key(p.name))

    for path in sorted((p for p in listing(book, folder) if not p.name.startswith("_")), key=order):
        if path.is_dir():
            if not any(p.suffix.lower() in MD_SUFFIXES for p in path.rglob("*")):
                continue
            index = next((p for p in listing(book, path) if p.is_file()
                          and p.stem.lower() in ("readme", "index") and p.suffix.lower() in MD_SUFFIXES),
                         None)
            if index is not None:
                book.entries.append(_plain_page(book, index, level, fallback=name_title(path)))
            else:
                book.entries.append(Entry(name_title(path), level))
            before = len(book.entries)
            _plain_folder(book, path, level + 1)
            if index is not None:  # the folder's page came first; not again inside
                book.entries[before:] = [e for e in book.entries[before:] if e.file != index]
        elif path.suffix.lower() in MD_SUFFIXES:
            book.entries.append(_plain_page(book, path, level))


def _plain_page(book: Book, path: Path, level: int, fallback: str = "") -> Entry:
    meta, body = front_matter(path.read_text(encoding="utf-8", errors="replace"))
    title = str(meta.get("title", "") or "")
    when = page_date(meta, "")
    if when and when > book.result.date:
        book.result.date = when
    return Entry(title or fallback or name_title(path), level, body, path,
                  use_first_heading=not title)
