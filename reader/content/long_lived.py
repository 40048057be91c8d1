"""Keeping a large library out of Python's cyclic garbage collector.

100,000 sections are ~1 million objects that live as long as the library. Each full pass of the
collector walks all of them (250-560 ms at 100,000 sections), in whichever thread set it off,
holding the GIL: the window froze for that long while the reader typed in the section filter
and the index built (issue 18). `gc.freeze()` moves every object alive into a generation the
collector never walks; what is created afterwards is collected as usual.

A frozen object is still freed when its reference count drops to zero, but sections refer to
each other (parent, children, briefing), so a library given up after a reload is only freed by
a full pass that sees it: `library_replaced` unfreezes, collects once, and freezes again.
Small libraries are left alone: their passes are short, and freezing keeps whatever else
happens to be alive (a test's windows) from ever being collected.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.content.library import Library

FREEZE_MIN_SECTIONS = 10_000  # 10,000 sections: ~100,000 objects, a full pass of ~40 ms


def keep_out_of_collections(library: Library) -> bool:
    """Freeze everything alive (the library just loaded) if the library is large; True if so."""
    if len(library) < FREEZE_MIN_SECTIONS:
        return False
    gc.freeze()
    return True


def library_replaced(library: Library) -> bool:
    """After the window let go of its old library: let one full pass free it (if anything was
    frozen), then freeze the new one if it is large. Call it once the switch is complete."""
    from reader.content.render import forget_sections

    forget_sections()  # else the render caches' sections would keep the old library alive
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    return keep_out_of_collections(library)


@contextmanager
def many_objects_made(count: int) -> Iterator[None]:
    """Around making ~`count` long-lived objects at once (the index build's section records):
    for a large count, no collector pass while they are made (each full pass would walk all
    made so far, 50-180 ms at 100,000 sections, holding the GIL from the window), and what is
    alive at the end is frozen so later passes skip it too. Objects without reference cycles
    (records) are still freed as soon as nothing refers to them."""
    if count < FREEZE_MIN_SECTIONS:
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
