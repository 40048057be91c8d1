"""Search as you type: a typed prefix completed to its most frequent index terms.

A prefix query matches every indexed term that starts with it, and two or three letters of a common
word start thousands of terms (issue 18): reading all their postings on every keystroke is what
made typing lag in large libraries. While typing, a prefix is matched by its `TOP_TERMS` most
frequent terms instead (document frequency from the index, the other terms left out while their
postings together stay under `POSTINGS_BUDGET`), so a keystroke costs a bounded number of postings.
Every hit still holds a term starting with the prefix, as the full query's do; what is left out is
only documents whose only match is a rarer completion, and the results then count "more than N".
The settled query (the debounce, Enter) expands the prefix in full, as before.

A prefix's terms are listed once per index generation: the list is kept with the searcher's reader
(a new searcher after an update starts afresh), and the next keystroke, a longer prefix, filters
the list of the shorter one rather than reading the term dictionary again.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from whoosh import query as wq
from whoosh.searching import Searcher

from reader.search.parser import TEXT_FIELDS

TOP_TERMS = 6  # completions of one prefix searched while typing
POSTINGS_BUDGET = 10_000  # ... beyond the most frequent one, while their postings add up to this
MAX_PREFIXES = 512  # prefixes kept per index generation (each a list of its terms)
# The settled query runs a prefix as the union of all its terms while their postings add up to
# no more than this (`expand_in_full`); beyond, Whoosh's own prefix query (unscored) runs it.
FULL_POSTINGS_BUDGET = 2_000_000


class Completion(wq.Or):
    """A prefix matched by some of its terms: an OR of terms, which `fast` runs as one union.

    `complete` is False when terms with the prefix were left out."""

    def __init__(self, fieldname: str, prefix: str, terms: list[str], boost: float = 1.0,
                 complete: bool = True) -> None:
        super().__init__([wq.Term(fieldname, t) for t in terms], boost=boost)
        self.fieldname, self.prefix, self.terms, self.complete = fieldname, prefix, terms, complete

    def __repr__(self) -> str:
        return f"Completion({self.fieldname!r}, {self.prefix!r}, {self.terms!r})"

    def normalize(self) -> wq.Query:
        return self  # Or.normalize would flatten it into a plain Or (or a single Term)


# reader -> (field, prefix) -> [(document frequency, term)], most frequent first
_TERMS: WeakKeyDictionary[Any, dict[tuple[str, str], list[tuple[int, str]]]] = WeakKeyDictionary()


def prefix_terms(searcher: Searcher, field: str, prefix: str) -> list[tuple[int, str]]:
    """Every term of `field` starting with `prefix` with its document frequency, most frequent
    first; cached per index generation, a longer prefix filtered from a shorter one's list."""
    reader = searcher.reader()
    try:
        cache = _TERMS.setdefault(reader, {})
    except TypeError:  # a reader that cannot be weakly referenced: no cache
        cache = {}
    found = cache.get((field, prefix))
    if found is not None:
        return found
    for n in range(len(prefix) - 1, 0, -1):
        shorter = cache.get((field, prefix[:n]))
        if shorter is not None:
            found = [(df, t) for df, t in shorter if t.startswith(prefix)]
            break
    else:
        found = _read_prefix(searcher, field, prefix)
    if len(cache) >= MAX_PREFIXES:
        cache.clear()
    cache[(field, prefix)] = found
    return found


def _read_prefix(searcher: Searcher, field: str, prefix: str) -> list[tuple[int, str]]:
    """Read from each segment's term dictionary in order (a multi-segment reader looks each
    term's statistics up in every segment: several times slower)."""
    frequencies: dict[bytes, int] = {}
    for leaf, _offset in searcher.leaf_searchers():
        for text, info in leaf.reader().iter_prefix(field, prefix):
            frequencies[text] = frequencies.get(text, 0) + info.doc_frequency()
    decode = searcher.schema[field].from_bytes
    return sorted(((df, decode(text)) for text, df in frequencies.items()),
                  key=lambda e: (-e[0], e[1]))


def complete(searcher: Searcher, field: str, prefix: str, boost: float = 1.0) -> Completion:
    """`prefix` in `field` as its most frequent terms (see the module docstring)."""
    every = prefix_terms(searcher, field, prefix)
    chosen: list[str] = []
    postings = 0
    for df, term in every[:TOP_TERMS]:
        if chosen and postings + df > POSTINGS_BUDGET:
            break
        chosen.append(term)
        postings += df
    return Completion(field, prefix, chosen, boost=boost, complete=len(chosen) == len(every))


def expand_in_full(searcher: Searcher, q: wq.Query) -> wq.Query:
    """`q` with each prefix on a text field as the union of all its terms (`Completion`,
    complete): the settled answer, counted exactly and ranked by BM25F over the terms found.

    Whoosh runs a prefix query with a constant score (every match ranks alike, in index order)
    and cannot count a large one without running it twice: at 100,000 sections a two-letter
    prefix took 2-3 s and said "more than 20 results". As a union, `fast` runs it with the
    terms' postings; the same query through Whoosh (an OR of terms) gives the same answer."""
    if isinstance(q, wq.Prefix) and q.fieldname in TEXT_FIELDS and not isinstance(q, Completion):
        every = prefix_terms(searcher, q.fieldname, q.text)
        if not every or sum(df for df, _t in every) > FULL_POSTINGS_BUDGET:
            return q
        return Completion(q.fieldname, q.text, [t for _df, t in every], boost=q.boost)
    if isinstance(q, wq.Not):
        return q  # excluded in full, as it is
    if isinstance(q, wq.AndNot):
        return wq.AndNot(expand_in_full(searcher, q.a), q.b)
    if isinstance(q, wq.AndMaybe):
        return wq.AndMaybe(expand_in_full(searcher, q.a), expand_in_full(searcher, q.b))
    if isinstance(q, (wq.And, wq.Or)) and not isinstance(q, Completion):
        return type(q)([expand_in_full(searcher, c) for c in q.subqueries], boost=q.boost)
    return q


def complete_prefixes(searcher: Searcher, q: wq.Query) -> tuple[wq.Query, bool]:
    """`q` with each prefix on a text field completed; (query, True if no term was left out)."""
    if isinstance(q, wq.Prefix) and q.fieldname in TEXT_FIELDS and not isinstance(q, Completion):
        done = complete(searcher, q.fieldname, q.text, q.boost)
        return done, done.complete
    if isinstance(q, wq.Not):
        return q, True  # an excluded prefix is excluded in full: fewer hits, never wrong ones
    if isinstance(q, wq.AndNot):
        a, whole = complete_prefixes(searcher, q.a)
        return wq.AndNot(a, q.b), whole
    if isinstance(q, wq.AndMaybe):
        a, whole_a = complete_prefixes(searcher, q.a)
        b, whole_b = complete_prefixes(searcher, q.b)
        return wq.AndMaybe(a, b), whole_a and whole_b
    if isinstance(q, (wq.And, wq.Or)) and not isinstance(q, Completion):
        parts = [complete_prefixes(searcher, c) for c in q.subqueries]
        return type(q)([p for p, _ in parts], boost=q.boost), all(w for _, w in parts)
    return q, True
