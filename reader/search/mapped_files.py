"""Reading Whoosh's compound segment files without copying them into memory.

Whoosh-Reloaded memory-maps a compound segment file and then opens each file inside it as a
`BufferFile`, whose constructor wraps its slice of the map in `BytesIO(buf)` — a copy. Opening
an index therefore held all of it in memory: ~670 MB of a 100,000-section library's window
(150 MB at 10,000). `MappedPart` reads its slice of the map in place: `get()` and friends take
from the memoryview as `BufferFile` does, and `read`/`seek`/`tell` keep a position of their own
instead of a `BytesIO`'s, so only the bytes asked for are copied and the pages are the OS's file
cache, shared and reclaimable.

`install()` swaps `CompoundStorage.open_file` for one that returns it; the search index calls
it once before opening an index. Checked against Whoosh-Reloaded 2.7.5's `compound.py` and
`structfile.py` (tests/search/test_mapped_files.py compares every search with the copying files).
"""

from __future__ import annotations

from typing import Any

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

_installed = False
COPYING_OPEN_FILE = compound.CompoundStorage.open_file  # Whoosh's own, for the tests' comparison


class MappedPart(BufferFile):
    """One file of a compound segment, read from the segment's memory map."""

    def __init__(self, buf: memoryview, name: str | None = None, onclose: Any = None) -> None:
        # BufferFile.__init__ is not called: it is the copy this class avoids.
        self._buf = buf
        self._name = name
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False
        self.file = self  # StructFile's close/flush/raw_file look at .file
        self._pos = 0
        self._len = len(buf)

    def read(self, n: int = -1) -> bytes:
        start = self._pos
        if start >= self._len:
            return b""  # past the end (a seek may go there): the position stays, as BytesIO's
        end = self._len if n is None or n < 0 else min(start + n, self._len)
        self._pos = end
        return bytes(self._buf[start:end])

    def readline(self, *_args: Any) -> bytes:
        start = self._pos
        if start >= self._len:
            return b""
        data = bytes(self._buf[start:])
        cut = data.find(b"\n")
        line = data if cut < 0 else data[:cut + 1]
        self._pos = start + len(line)
        return line

    def seek(self, offset: int, whence: int = 0) -> int:
        base = 0 if whence == 0 else self._pos if whence == 1 else self._len
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        if self.is_closed:
            raise Exception("This file is already closed")  # as StructFile says it
        if self.onclose:
            self.onclose(self)
        self._buf = memoryview(b"")
        self.is_closed = True

    def subset(self, position: int, length: int, name: str | None = None) -> MappedPart:
        return MappedPart(self._buf[position:position + length], name=name or self._name)


def install() -> None:
    """Make compound segments open their parts as `MappedPart` (once per process)."""
    global _installed
    if _installed:
        return
    original = COPYING_OPEN_FILE

    def open_file(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        if self.is_closed or not self._source:
            return original(self, name, *args, **kwargs)
        offset, length = self.range(name)
        return MappedPart(memoryview(self._source)[offset:offset + length], name=name)

    compound.CompoundStorage.open_file = open_file
    _installed = True
