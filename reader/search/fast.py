"""A faster way to run the commonest queries: words and phrases that must all be in the body, each
maybe boosted by a title match (what `query.body_first` makes of plain typing and of "phrases").

Whoosh matches such a query one posting at a time through Python matcher objects (`skip_to`,
spans rebuilt per document), and scores every match. Here each term's posting list is read a block
at a time, the documents having every body term are found by set intersection, phrase positions
are checked on those documents only, and BM25F is computed with Whoosh's own formula, parameters
and statistics (idf, average and per-document field lengths), so scores and ranking are the same.
Counting the matches is then free, so the count is exact. While typing, a prefix completed to a
few terms (`completion.Completion`, alone or OR-ed with the word itself) is one more clause: the
union of its terms' documents, each term scored where it occurs; so is a settled prefix (all its
terms) and a plain `a OR b` of words. Excluded words (`NOT`, `-word`) take their documents away
from those left, unscored, as Whoosh's `AndNot` does. Any other query shape (an OR of phrases or
of AND groups, other scorers, sloppy phrases) returns None and goes through Whoosh.

Posting lists read are kept with their segment reader (up to `CACHED_POSTINGS` postings), so the
next keystroke of a query does not read its other words again. A common word's list is not read
whole when only a few documents are still in question (a rarer word came first): its blocks are
skipped to those documents (`SKIP_READ_RATIO`), as Whoosh's matchers do; what is read then serves
this query only.
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import sub as minus
from pickle import loads
from typing import Any, TypeAlias
from weakref import WeakKeyDictionary

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from reader.search.completion import Completion
from reader.search.scope import Scope

CACHED_POSTINGS = 400_000  # per segment reader: a few tens of MB of Python dicts
# A term's postings are read only for the documents still in question when the segment holds this
# many times more of them. Postings are stored in blocks of up to 128; skipping to a document
# decodes its block and steps through it posting by posting, so it pays only when most blocks
# hold none of the documents (a rare word and a common one); otherwise the whole list is read.
SKIP_READ_RATIO = 64


@dataclass(frozen=True)
class _Union:
    """Any of some terms of one field (a completed prefix, maybe with the whole word)."""

    fieldname: str
    words: tuple[str, ...]
    boost: float = 1.0


Clause: TypeAlias = wq.Term | wq.Phrase | _Union


@dataclass
class Ranked:
    """The best `limit` documents (score, global document number), best first, and the count."""

    docs: list[tuple[float, int]]
    total: int


@dataclass
class _Postings:
    weights: dict[int, float]  # document -> term frequency (times the field boost)
    values: dict[int, bytes]  # document -> encoded positions (read for phrase words only)


def search_fast(searcher: Searcher, q: wq.Query, limit: int, within: Scope | None = None
                ) -> Ranked | None:
    """Run `q` if it has a shape this module handles, else None (use Whoosh); with `within`,
    only over the documents in that scope (ranked and counted among themselves)."""
    plan = _plan(q)
    if plan is None or not isinstance(searcher.weighting, BM25F):
        return None
    scope = within.query() if within is not None else None
    best: list[tuple[float, int]] = []
    total = 0
    for sub, offset in searcher.leaf_searchers():
        allowed = set(sub.docs_for_query(scope)) if scope is not None else None
        scored = _Segment(searcher, sub).run(plan, allowed)
        total += len(scored)
        # Ties go to the lower document number, as in Whoosh's collector. Only documents scoring
        # at least the limit-th best score can be among the best: a pair for each of them only.
        if len(scored) > limit:
            least = heapq.nlargest(limit, scored.values())[-1] if limit else float("inf")
            scored = {d: s for d, s in scored.items() if s >= least}
        best = heapq.nlargest(limit, best + [(s, -(offset + d)) for d, s in scored.items()])
    return Ranked([(s, -neg) for s, neg in best], total)


@dataclass(frozen=True)
class _Plan:
    body: list[Clause]  # all required in the body
    titles: list[Clause]  # optional title boosts
    excluded: list[Clause]  # none may match (NOT, -word): documents only taken away
    # Whoosh matches a NOT inside an AND with an inverse matcher scoring 1.0 for every document
    # it lets through; added as it adds it, so scores stay Whoosh's (AndNot adds nothing).
    bonus: float = 0.0


def _plan(q: wq.Query) -> _Plan | None:
    """The query as clauses, or None if not a shape this module runs."""
    titles: list[Any] = []
    while isinstance(q, wq.AndMaybe):
        titles.append(q.b)
        q = q.a
    negated: list[Any] = []
    while isinstance(q, wq.AndNot):
        negated.append(q.b)
        q = q.a
    body = list(q.subqueries) if isinstance(q, wq.And) and not isinstance(q, Completion) else [q]
    nots = [c for c in body if isinstance(c, wq.Not)]
    negated += [c.query for c in nots]
    body = [c for c in body if not isinstance(c, wq.Not)]
    body_clauses = [_clause(c) for c in body]
    title_clauses = [_clause(c) for c in titles]
    excluded = [_clause(c) for c in negated]
    if not body_clauses or not all(c is not None and c.fieldname == "body" for c in body_clauses):
        return None
    if not all(c is not None for c in title_clauses + excluded):
        return None
    return _Plan([c for c in body_clauses if c], [c for c in title_clauses if c],
                 [c for c in excluded if c], bonus=float(len(nots)))


def _clause(q: Any) -> Clause | None:
    """The clause `q` is, or None when this module does not run it."""
    if isinstance(q, wq.Phrase):
        return q if q.slop == 1 and len(q.words) > 0 else None
    if type(q) is wq.Term:
        return q
    return _union(q)


def _union(q: Any) -> _Union | None:
    """A completed prefix, or an OR of terms and completed prefixes of one field."""
    if isinstance(q, Completion):
        return _Union(q.fieldname, tuple(q.terms), q.boost)
    if type(q) is not wq.Or or q.boost != 1.0:
        return None
    words: dict[str, None] = {}
    fields = set()
    for child in q.subqueries:
        if type(child) is wq.Term and child.boost == 1.0:
            words[child.text] = None
        elif isinstance(child, Completion) and child.boost == 1.0:
            words.update(dict.fromkeys(child.terms))
        else:
            return None
        fields.add(child.fieldname)
    return _Union(fields.pop(), tuple(words)) if len(fields) == 1 else None


class _Segment:
    """One segment's share of a query."""

    def __init__(self, parent: Searcher, sub: Searcher) -> None:
        self.parent, self.sub, self.reader = parent, sub, sub.reader()
        self.weighting: BM25F = parent.weighting
        self._postings: dict[tuple[str, str, bool], _Postings | None] = {}

    def run(self, plan: _Plan, within: set[int] | None = None) -> dict[int, float]:
        """Document -> score of every document (of `within`, when given) matching all of the
        plan's body clauses and none of its excluded ones."""
        body, titles = plan.body, plan.titles
        if within is not None and not within:
            return {}
        docs = within  # the scope's documents are the first ones in question
        for clause in sorted(body, key=self._rarity):  # rarest first: smaller sets to intersect
            docs = self._matching(clause, docs)
            if not docs:
                return {}
        assert docs is not None
        deleted = getattr(self.reader, "deleted_docs_set", None)
        if deleted:
            docs -= set(deleted)
        for clause in plan.excluded:  # looked up among the documents left only
            if not docs:
                return {}
            docs -= self._matching(clause, docs)
        scores = dict.fromkeys(docs, plan.bonus)
        for clause in body:
            self._add_scores(clause, scores, list(docs))
        for clause in titles:
            self._add_scores(clause, scores, list(self._matching(clause, docs)))
        return scores

    def _rarity(self, clause: Clause) -> int:
        frequencies = [self.reader.doc_frequency(clause.fieldname, w) for w in _words(clause)]
        if isinstance(clause, _Union):
            return sum(frequencies)
        return min(frequencies, default=0)

    def _matching(self, clause: Clause, within: set[int] | None) -> set[int]:
        """Documents of `within` (or all) that match `clause`."""
        words = _words(clause)
        if isinstance(clause, _Union):
            return self._any_of(clause, within)
        positions = isinstance(clause, wq.Phrase) and len(words) > 1
        found = None
        read: list[_Postings] = []
        for word in words:
            postings = self._read(clause.fieldname, word, positions, found or within)
            if postings is None:
                return set()
            read.append(postings)
            ids = postings.weights.keys()
            found = set(ids) if found is None else found & ids
            if within is not None:
                found &= within
        assert found is not None
        if positions:
            decode = _positions_decoder(self.parent.schema[clause.fieldname].format)
            encoded = [p.values for p in read]  # read with values: `positions` is True here
            if decode is _positions:
                found = _phrase_docs(encoded, found)
            else:
                found = {d for d in found if _in_order(decode, encoded, d)}
        return found

    def _any_of(self, clause: _Union, within: set[int] | None) -> set[int]:
        found: set[int] = set()
        for word in clause.words:
            postings = self._read(clause.fieldname, word, False)
            if postings is not None:
                found.update(postings.weights.keys() if within is None
                             else within.intersection(postings.weights.keys()))
        return found

    def _add_scores(self, clause: Clause, scores: dict[int, float], docs: list[int]) -> None:
        """Add the clause's BM25F score (each word's, as Whoosh sums them) to each of `docs`."""
        if not docs:
            return
        field = clause.fieldname
        avgfl = self.parent.avg_field_length(field) or 1
        B = self.weighting._field_B.get(field, self.weighting.B)
        K1, boost = self.weighting.K1, clause.boost
        lengths = _lengths(self.reader, field)
        if type(lengths) is dict:
            for d in docs:
                if d not in lengths:
                    lengths[d] = self.sub.doc_field_length(d, field, 1)
        for word in _words(clause):
            postings = self._read(field, word, False)
            if postings is None:
                continue  # a union's term not in this segment (others always are)
            idf = self.parent.idf(field, _bytes(self.parent, field, word))
            tf = postings.weights
            where: Any = docs
            if isinstance(clause, _Union):  # only where this term occurs
                where = tf.keys() & docs if len(tf) < len(docs) else [d for d in docs if d in tf]
            # `scoring.bm25` written out (the same operations, so the same floats): a call per
            # posting is a good part of the time for common words.
            for d in where:
                t = tf[d]
                scores[d] += idf * ((t * (K1 + 1)) / (t + K1 * ((1 - B) + B * lengths[d] / avgfl))
                                    ) * boost

    def _read(self, field: str, word: str, values: bool, within: set[int] | None = None
              ) -> _Postings | None:
        """A term's postings in this segment; with `within`, maybe only those of `within`'s
        documents. Kept for the rest of the query, whose documents are all among them: the set
        of documents in question only shrinks as a query runs."""
        key = (field, word, values)
        if key not in self._postings:
            if not values and (field, word, True) in self._postings:
                return self._postings[(field, word, True)]
            if (within is not None and not _is_cached(self.reader, key)
                    and len(within) * SKIP_READ_RATIO < self.reader.doc_frequency(field, word)):
                self._postings[key] = _postings_of(self.reader, key, within)
            else:
                self._postings[key] = _cached_postings(self.reader, key)
        return self._postings[key]


class _PostingsCache:
    """Posting lists of one segment reader, the least recently used dropped beyond a size."""

    def __init__(self) -> None:
        self.lists: OrderedDict[tuple[str, str, bool], _Postings | None] = OrderedDict()
        self.size = 0


_POSTINGS: WeakKeyDictionary[Any, _PostingsCache] = WeakKeyDictionary()


def _cached_postings(reader: Any, key: tuple[str, str, bool]) -> _Postings | None:
    try:
        cache = _POSTINGS.setdefault(reader, _PostingsCache())
    except TypeError:  # a reader that cannot be weakly referenced: no cache
        return _read_postings(reader, *key)
    if key in cache.lists:
        cache.lists.move_to_end(key)
        return cache.lists[key]
    found = _read_postings(reader, *key)
    cache.lists[key] = found
    cache.size += len(found.weights) if found else 0
    while cache.size > CACHED_POSTINGS and len(cache.lists) > 1:
        _old, dropped = cache.lists.popitem(last=False)
        cache.size -= len(dropped.weights) if dropped else 0
    return found


def _is_cached(reader: Any, key: tuple[str, str, bool]) -> bool:
    cache = _POSTINGS.get(reader)
    return cache is not None and key in cache.lists


def _postings_of(reader: Any, key: tuple[str, str, bool], docs: set[int]) -> _Postings | None:
    """A term's postings for `docs` only (deleted documents included), skipping the blocks that
    hold none of them; None if the segment does not have the term."""
    field, word, values = key
    m = _leaf_matcher(reader, field, word)
    if m is None:
        return None
    weights: dict[int, float] = {}
    vals: dict[int, bytes] = {}
    for doc in sorted(docs):
        if m.is_active():  # skipping an ended matcher raises
            m.skip_to(doc)
        if not m.is_active():
            break
        if m.id() == doc:
            weights[doc] = m.weight()
            if values:
                vals[doc] = m.value()
    return _Postings(weights, vals)


def _in_order(decode: Callable[[bytes], Iterable[int]], encoded: list[dict[int, bytes]],
              doc: int) -> bool:
    """True if the phrase's words (their encoded positions in `doc`) follow one another."""
    starts = set(decode(encoded[0][doc]))
    for i in range(1, len(encoded)):
        starts.intersection_update([p - i for p in decode(encoded[i][doc])])
        if not starts:
            return False
    return True


def _phrase_docs(encoded: list[dict[int, bytes]], docs: set[int]) -> set[int]:
    """The documents of `docs` where the phrase's words (their encoded positions, Whoosh's own
    `Positions` encoding) follow one another: `_in_order` for every document, with each word's
    positions in all of them decoded by one pickle load (`_all_positions`) and the per-document
    work done in C (set, map, isdisjoint): a call per document and word was most of a phrase
    query of common words, which have thousands of documents to check."""
    order = list(docs)
    decoded = [_all_positions([e[d] for d in order]) for e in encoded]
    first, middle, last = decoded[0], decoded[1:-1], decoded[-1]
    shift = len(decoded) - 1
    kept: set[int] = set()
    for i, doc in enumerate(order):
        starts = set(accumulate(first[i]))
        for k, word in enumerate(middle, 1):
            starts.intersection_update(map(minus, accumulate(word[i]), repeat(k)))
            if not starts:
                break
        else:
            if not starts.isdisjoint(map(minus, accumulate(last[i]), repeat(shift))):
                kept.add(doc)
    return kept


def _all_positions(values: list[bytes]) -> list[list[int]]:
    """The pickled position deltas of many postings (as `_positions` reads one) by a single
    load: each value's pickle, without its final STOP, pushes its list; a MARK before them all
    and a LIST after gather them into one list. (A PROTO opcode in mid-stream is allowed, and
    the memo entries each value sets are only overwritten.)"""
    parts = [b"\x80\x02("]
    for value in values:
        end = -1 if value.endswith(b".") else len(value)
        parts.append(value[_INT_SIZE:end])
    parts.append(b"l.")
    decoded: list[list[int]] = loads(b"".join(parts))
    return decoded


def _positions_decoder(fmt: Any) -> Callable[[bytes], Iterable[int]]:
    """How to read a posting's positions: for Whoosh's own `Positions` encoding, `_positions`
    (the same numbers); any other format decodes as Whoosh does."""
    if type(fmt).decode_positions is Positions.decode_positions:
        return _positions
    decode: Callable[[bytes], Iterable[int]] = fmt.decoder("positions")
    return decode


def _positions(value: bytes) -> Iterable[int]:
    """`Positions.decode_positions` with the running sum of the pickled deltas done in C: that
    Python loop was most of a phrase query's time for common words (every document having both
    words is checked)."""
    if not value.endswith(b"."):  # Whoosh strips the pickle's final STOP when it stores values
        value += b"."
    return accumulate(loads(value[_INT_SIZE:]))


# Per segment reader and field: document -> field length, as scoring needs it: the segment's whole
# column read at once (one byte a document), or else each looked up through Whoosh's three method
# calls. The searcher is reused, so the lengths are kept with it.
_LENGTHS: WeakKeyDictionary[Any, dict[str, dict[int, int] | list[int]]] = WeakKeyDictionary()
_BYTE_LENGTHS = [byte_to_length(b) for b in range(256)]


def _lengths(reader: Any, field: str) -> dict[int, int] | list[int]:
    try:
        per_field = _LENGTHS.setdefault(reader, {})
    except TypeError:  # a reader that cannot be weakly referenced: no cache
        return {}
    found = per_field.get(field)
    if found is None:
        found = per_field[field] = _column_lengths(reader, field) or {}
    return found


def _column_lengths(reader: Any, field: str) -> list[int] | None:
    """Every document's length of `field` from Whoosh 3's length column, or None (another codec,
    a length byte of 0, which Whoosh's own look-up answers differently)."""
    try:
        column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        if column is None or column._fixedlen != 1 or column._count != reader.doc_count_all():
            return None
        raw = column._dbfile.get(column._basepos, column._count)
    except AttributeError:
        return None
    if 0 in raw:
        return None
    return [_BYTE_LENGTHS[b] for b in raw]


def _words(clause: Clause) -> list[str]:
    if isinstance(clause, wq.Term):
        return [clause.text]
    return list(clause.words)


def _bytes(searcher: Searcher, field: str, word: str) -> bytes:
    return searcher.schema[field].to_bytes(word)


def _leaf_matcher(reader: Any, field: str, word: str) -> Any:
    """The term's posting matcher in one segment without the deletion filter (the callers remove
    deletions themselves), or None if the segment does not have the term."""
    try:
        m = reader.postings(field, word)
    except TermNotFound:
        return None
    return m.child if isinstance(m, FilterMatcher) else m


def _read_postings(reader: Any, field: str, word: str, values: bool) -> _Postings | None:
    """A term's whole posting list in one segment (deleted documents included), or None."""
    m = _leaf_matcher(reader, field, word)
    if m is None:
        return None
    ids: list[int] = []
    weights: list[float] = []
    vals: list[bytes] = []
    if isinstance(m, W3LeafMatcher):
        while m.is_active():  # a block at a time: no per-posting matcher calls
            m._read_ids()
            m._read_weights()
            ids.extend(m._ids)
            weights.extend(m._weights)
            if values:
                m._read_values()
                vals.extend(m._values)
            m._next_block()
    else:
        _read_each(m, ids, weights, vals if values else None)
    return _Postings(dict(zip(ids, weights, strict=True)),
                     dict(zip(ids, vals, strict=True)) if values else {})


def _read_each(m: Any, ids: list[int], weights: list[float], vals: list[bytes] | None) -> None:
    """Read any other matcher (e.g. a short inlined posting list) posting by posting."""
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        if vals is not None:
            vals.append(m.value())
        m.next()

