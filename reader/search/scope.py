"""Where a search looks: one briefing, or one section and those below it (`Scope`), and the
documents of the index that are in it.

A scope is applied before ranking and counting, so the count and the best hits are those of the
scope, not a filtered share of the library's. It is matched on the stored ID fields every
document has (`briefing`, and `section`, the key of the section a hit opens), so your notes on
a section are in that section's scope too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from whoosh import query as wq

    from reader.content import Section


@dataclass(frozen=True)
class Scope:
    """The documents of briefing `briefing`; with `sections`, only those whose section key
    ("briefing-id/section-id") is one of them."""

    briefing: str
    sections: frozenset[str] | None = None

    @classmethod
    def of_briefing(cls, briefing_id: str) -> Scope:
        return cls(briefing_id)

    @classmethod
    def of_subtree(cls, section: Section) -> Scope:
        """`section` and every section below it (a briefing's root: the whole briefing, matched
        on one term rather than on each of its sections')."""
        assert section.briefing is not None
        if section.parent is None:
            return cls(section.briefing.id)
        return cls(section.briefing.id, frozenset(s.key for s in section.walk()))

    def query(self) -> wq.Query:
        """A Whoosh query matching exactly the documents in the scope."""
        from whoosh import query as wq  # here: the window makes scopes before Whoosh is loaded

        if self.sections is None:
            return wq.Term("briefing", self.briefing)
        keys = sorted(k for k in self.sections if k.startswith(f"{self.briefing}/"))
        return wq.Or([wq.Term("section", k) for k in keys]) if keys else wq.NullQuery
