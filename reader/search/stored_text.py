"""The text each document keeps in the index for its snippets, compressed with a preset
dictionary made from the library's own sections.

A section's text is about 1 KB: compressed on its own, zlib finds little in it to reuse (2.0×
smaller at level 1, a quarter of the index at 100,000 sections). A 32 KB dictionary sampled
from the library gives it the library's common words and phrases up front (2.9× smaller), and
copying a compressor primed with it once is quicker than compressing without one. zlib writes
the dictionary's Adler-32 in the header of every value made with it, so a value says which
dictionary it needs: an index's dictionary (`text.zdict` in its folder, its id in the manifest)
is registered here when the index is built or opened, and values made without one (an older
index) still read.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FILE = "text.zdict"
SIZE = 32 * 1024  # zlib's window: a longer dictionary is not looked into
LEVEL = 6  # level 9 made values 0.7 % smaller and compressing 1.6× slower
_FDICT = 0x20  # the zlib header's flag "a preset dictionary's Adler-32 follows"

_known: dict[int, bytes] = {}  # id (Adler-32) -> dictionary, of the indexes this process uses
_compressor: Any = None  # primed with the dictionary compress() uses; None: no dictionary


class MissingDictionary(ValueError):
    """A stored value needs a dictionary this process has not registered."""


def make_dictionary(texts: Sequence[str]) -> bytes:
    """A dictionary of SIZE bytes at most from texts sampled across the library: the start of
    each, so that every part of the sample has its say."""
    share = max(1, SIZE // max(1, len(texts)))
    return b"\n".join(text.encode("utf-8")[:share] for text in texts)[:SIZE]


def dictionary_id(dictionary: bytes) -> int:
    return zlib.adler32(dictionary) if dictionary else 0


def use(dictionary: bytes) -> int:
    """Compress with `dictionary` from now on (b"": none) and read values made with it; its id."""
    global _compressor
    if not dictionary:
        _compressor = None
        return 0
    ident = dictionary_id(dictionary)
    _known[ident] = dictionary
    _compressor = zlib.compressobj(LEVEL, zdict=dictionary)
    return ident


def save(folder: Path, dictionary: bytes) -> None:
    if dictionary:
        (folder / FILE).write_bytes(dictionary)


def load(folder: Path, ident: int) -> bytes:
    """The dictionary with id `ident` from an index folder (b"" for id 0); ValueError if it is
    missing or another one (the index is then unusable and rebuilt)."""
    if not ident:
        return b""
    try:
        dictionary = (folder / FILE).read_bytes()
    except OSError as exc:
        raise MissingDictionary(f"the index's text dictionary cannot be read: {exc}") from exc
    if dictionary_id(dictionary) != ident:
        raise MissingDictionary("the index's text dictionary is not the one it was built with")
    return dictionary


def of_index(folder: Path, ident: int) -> bytes:
    """The dictionary of the index in `folder`: the one registered when it was opened or built,
    else read from the folder (see load)."""
    return _known.get(ident) or load(folder, ident)


def compress(text: str) -> bytes:
    if _compressor is None:
        return zlib.compress(text.encode("utf-8"), 1)
    primed = _compressor.copy()
    return primed.compress(text.encode("utf-8")) + primed.flush()


def decompress(data: bytes) -> str:
    if len(data) >= 6 and data[1] & _FDICT:
        ident = int.from_bytes(data[2:6], "big")
        dictionary = _known.get(ident)
        if dictionary is None:
            raise MissingDictionary(f"no text dictionary {ident:08x} is loaded")
        reader = zlib.decompressobj(zdict=dictionary)
        return (reader.decompress(data) + reader.flush()).decode("utf-8")
    return zlib.decompress(data).decode("utf-8")
