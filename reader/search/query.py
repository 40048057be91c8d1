"""Turning what the user typed into a Whoosh query, running it, and shaping the results.

Plain words must all match (BM25F over title and body, title boosted); when nothing has all of
them the search is repeated with any word, and the results say so. Whoosh syntax works
(`"phrases"`, `prefix*`, `-word`/`NOT`, `OR`, `title:word`), but a query that does not parse
sensibly is searched as plain words instead of failing. While typing, the last word also matches
as a prefix, completed to its most frequent terms (`completion`), and a large count may be a lower
bound ("more than N results"); the settled query (`as_you_type=False`) expands prefixes in full.
Few or no hits bring a "Did you mean" built from the index's own vocabulary.

Words are matched by script and language (see `stemming`): in a library of several languages each
word matches its forms under each (`parser.FormsParser`); a Persian affix typed apart from its word
is joined to it first, as the index sees it.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup
from whoosh.searching import Searcher
from whoosh.support.levenshtein import distance

from reader.search.completion import complete_prefixes, expand_in_full
from reader.search.fast import search_fast
from reader.search.parser import FormsParser
from reader.search.schema import TITLE_BOOST
from reader.search.scope import Scope
from reader.search.scripts import MARKS, ZWNJ, join_detached_affixes, words
from reader.search.snippets import HitMatcher, Snippet, make_snippet, matcher_for
from reader.search.stemming import DEFAULT, Stemming, fold, stemmings_for, terms, word_forms
from reader.search.stored_text import decompress

log = logging.getLogger(__name__)

DEFAULT_FIELDS = ["title", "body"]
MAX_QUERY_CHARS = 500
MAX_TERMS = 24  # a pasted page becomes its first 24 distinct words
MIN_PREFIX = 2  # `a*` would expand to a large part of the vocabulary
MAX_WORD = 40  # longer "words" (pasted junk) get no spelling suggestion
FEW_HITS = 3  # fewer hits than this brings a spelling suggestion
EXACT_COUNT_UP_TO = 500  # counting more means re-running the query: show "more than N"
_MINUS = re.compile(r"(?:(?<=[\s(])|^)-(?=[\w\"(])")
_LAST_WORD = re.compile(rf"(?:(?<=[\s(:-])|^)([\w{MARKS}][\w{MARKS}{ZWNJ}]+)$")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


@dataclass
class Hit:
    key: str  # document key (a section key, or e.g. "note:42")
    kind: str
    section: str  # key of the section to open
    title: str
    path: str  # breadcrumb: the titles above the section, " › "-separated
    score: float
    snippet: Snippet
    title_spans: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.key, "kind": self.kind, "section": self.section, "title": self.title,
                "path": self.path, "score": round(self.score, 4), "snippet": self.snippet.text,
                "highlights": [list(s) for s in self.snippet.spans]}


@dataclass
class SearchResults:
    text: str  # what was typed
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # documents matched (hits holds the first `limit`)
    total_exact: bool = True  # False: at least `total` (counting all would cost a second pass)
    any_words: bool = False  # nothing had all the words; these have some of them
    plain: bool = False  # the query did not parse and was searched as plain words
    shortened: bool = False  # a long query was cut to its first words
    suggestion: str | None = None
    matcher: HitMatcher = field(default_factory=HitMatcher)
    seconds: float = 0.0

    @property
    def count_text(self) -> str:
        """"3 results", "more than 20 results"."""
        if not self.total_exact:
            return f"more than {self.total} results"
        return f"{self.total} result{'s' if self.total != 1 else ''}"

    @property
    def notice(self) -> str:
        """One line for the user about how the query was understood."""
        notes = []
        if self.shortened:
            notes.append(f"Long query: searched for its first {MAX_TERMS} words.")
        elif self.plain:
            notes.append("Searched as plain words.")
        if self.any_words:
            notes.append("No result has all the words; showing results with any of them.")
        return " ".join(notes)

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.text, "total": self.total, "total_exact": self.total_exact,
                "any_words": self.any_words,
                "plain": self.plain, "notice": self.notice, "suggestion": self.suggestion,
                "results": [h.to_dict() for h in self.hits]}


@dataclass
class Parsed:
    query: wq.Query
    words: list[str]  # the plain positive words typed, for spelling suggestions
    plain: bool = False
    shortened: bool = False


# -- parsing ----------------------------------------------------------------------------------------
def parse(schema: Any, text: str, as_you_type: bool = False, any_word: bool = False,
          stemmings: tuple[Stemming, ...] = (DEFAULT,)) -> Parsed:
    """Parse `text` for an index of `stemmings`; anything odd (unbalanced quotes, lone operators,
    `*`, huge pastes) falls back to plain words, so no input is ever an error."""
    text = join_detached_affixes(text.strip())
    plain_words = _plain_words(text)
    if not plain_words:
        return Parsed(wq.NullQuery, [], plain=bool(text))
    if len(text) > MAX_QUERY_CHARS or len(plain_words) > MAX_TERMS:
        return _plain_query(plain_words[:MAX_TERMS], as_you_type=False, any_word=any_word,
                            shortened=len(plain_words) > MAX_TERMS, stemmings=stemmings)
    source = _MINUS.sub("NOT ", text)
    if as_you_type:
        source = _prefix_last_word(source)
    group = OrGroup if any_word else AndGroup
    boosts = {"title": TITLE_BOOST}
    parser = (MultifieldParser(DEFAULT_FIELDS, schema, fieldboosts=boosts, group=group)
              if stemmings == (DEFAULT,) else
              FormsParser(DEFAULT_FIELDS, schema, stemmings, fieldboosts=boosts, group=group))
    try:
        q = parser.parse(source)
    except Exception as exc:  # Whoosh's parser has many failure modes; all mean "plain words"
        log.info("query %r did not parse: %r", text, exc)
        q = None
    if q is None or not _sensible(q) or text.count('"') % 2:
        return _plain_query(plain_words, as_you_type, any_word, stemmings=stemmings)
    return Parsed(q, _positive_words(text))


def _plain_words(text: str) -> list[str]:
    seen = dict.fromkeys(m.group() for m in words(text[: MAX_QUERY_CHARS * 40]))
    return [w for w in seen if w not in _OPERATORS]


def _positive_words(text: str) -> list[str]:
    """Typed words outside field prefixes, exclusions and operators."""
    cleaned = re.sub(r"(?:(?<=\s)|^)(?:-|NOT\s+)\S+", " ", text)
    cleaned = re.sub(r"\w+:", " ", cleaned)
    return [w for w in _plain_words(cleaned) if not w.isdigit()]


def _prefix_last_word(source: str) -> str:
    m = _LAST_WORD.search(source)
    if m is None or m.group(1) in _OPERATORS or source.count('"') % 2:
        return source
    word = m.group(1)
    return f"{source[: m.start(1)]}({word} OR {word}*)"


def _sensible(q: wq.Query) -> bool:
    """False for parses that would surprise: match-everything, one-letter wildcards, nothing."""
    if q is wq.NullQuery or isinstance(q, wq.Every):
        return False
    for leaf in q.leaves():
        if isinstance(leaf, wq.Every) or leaf is wq.NullQuery:
            return False
        if isinstance(leaf, (wq.Prefix, wq.Wildcard)):
            fixed = re.split(r"[*?]", leaf.text)[0]
            if len(fixed) < MIN_PREFIX:
                return False
    return not _only_negative(q)


def _only_negative(q: wq.Query) -> bool:
    if isinstance(q, wq.Not):
        return True
    if isinstance(q, (wq.And, wq.Or)):
        return all(_only_negative(c) for c in q.children())
    return False


def _plain_query(plain_words: list[str], as_you_type: bool, any_word: bool,
                 shortened: bool = False, stemmings: tuple[Stemming, ...] = (DEFAULT,)) -> Parsed:
    parts: list[wq.Query] = []
    for i, word in enumerate(plain_words):
        alternatives: list[wq.Query] = []
        for form in word_forms(word, stemmings):
            alternatives += [wq.Term("title", form, boost=TITLE_BOOST), wq.Term("body", form)]
        if as_you_type and i == len(plain_words) - 1 and len(word) >= MIN_PREFIX:
            alternatives += [wq.Prefix("title", fold(word), boost=TITLE_BOOST),
                             wq.Prefix("body", fold(word))]
        if alternatives:
            parts.append(wq.Or(alternatives))
    if not parts:
        return Parsed(wq.NullQuery, plain_words, plain=True, shortened=shortened)
    combined = wq.Or(parts) if any_word else wq.And(parts)
    return Parsed(combined, plain_words, plain=True, shortened=shortened)


def body_first(q: wq.Query) -> wq.Query:
    """Rewrite "each word in title OR body" into "each word in body, title maybe".

    The body field also holds the title's words, so `Or(title:w, body:w)` matches exactly what
    `body:w` does; matching on body alone intersects plain posting lists (several times faster
    in Whoosh than intersecting unions), and the title clauses only add their boost.
    """
    titles: list[wq.Query] = []
    main = _split_title(q, titles)
    if isinstance(main, wq.NullQuery.__class__):
        return main
    # One AndMaybe per title clause rather than one over their Or: Whoosh matches an Or of
    # several terms with a union matcher that reads every posting of every term, while an
    # AndMaybe only skips each (short) title posting list to the documents the body matched.
    # The score is the same sum.
    for title in titles:
        main = wq.AndMaybe(main, title)
    return main


def _split_title(q: wq.Query, titles: list[wq.Query]) -> wq.Query:
    if isinstance(q, wq.Or) and len(q.subqueries) >= 2:
        fields = {getattr(c, "fieldname", None) for c in q.subqueries}
        if fields == {"title", "body"}:  # one word (or phrase, prefix) across both fields
            titles.extend(c for c in q.subqueries if c.fieldname == "title")
            body = [c for c in q.subqueries if c.fieldname == "body"]
            return body[0] if len(body) == 1 else wq.Or(body)
    if isinstance(q, wq.Not):
        return wq.Not(_split_title(q.query, []))
    if isinstance(q, (wq.And, wq.Or)):
        return type(q)([_split_title(c, titles) for c in q.subqueries], boost=q.boost)
    return q


def _term_count(q: wq.Query) -> int:
    return sum(1 for _ in q.leaves())


# -- running ----------------------------------------------------------------------------------------
def run_query(searcher: Searcher, text: str, limit: int = 20, as_you_type: bool = False,
              languages: tuple[str, ...] = (), settled: bool = False,
              within: Scope | None = None) -> SearchResults:
    """Search an index of briefings in `languages` (the manifest's; () for the default only)
    and build the results (snippets only for the `limit` hits shown); with `within`, only the
    documents of that scope are searched, ranked and counted.

    `as_you_type`: the last word is also a prefix, completed to its most frequent terms (a
    keystroke's quick answer); with `settled` too, the prefix is expanded in full (typing paused)."""
    start = time.perf_counter()
    stemmings = stemmings_for(languages)
    parsed = parse(searcher.schema, text, as_you_type, stemmings=stemmings)
    out = SearchResults(text=text, plain=parsed.plain, shortened=parsed.shortened)
    if parsed.query is wq.NullQuery:
        out.seconds = time.perf_counter() - start
        return out
    typing = as_you_type and not settled
    found = _search(searcher, parsed.query, limit, typing=typing, within=within)
    if not found.total and not found.exact:  # the left-out completions may have the hits
        found = _search(searcher, parsed.query, limit, within=within)
    if not found.total and len(parsed.words) > 1:
        relaxed = parse(searcher.schema, text, as_you_type, any_word=True, stemmings=stemmings)
        if relaxed.query is not wq.NullQuery and _term_count(relaxed.query) > 1:
            parsed, out.any_words = relaxed, True
            found = _search(searcher, parsed.query, limit, typing=typing, within=within)
    out.matcher = matcher_for(parsed.query, stemmings)
    out.total, out.total_exact = found.total, found.exact
    out.hits = [_make_hit(fields, score, out.matcher) for fields, score in found.hits]
    if out.total < FEW_HITS and (out.total == 0 or not as_you_type):
        out.suggestion = suggest(searcher, text, parsed.words, stemmings)
    out.seconds = time.perf_counter() - start
    return out


@dataclass
class _Found:
    hits: list[tuple[dict[str, Any], float]]  # (stored fields, score) of the best `limit`
    total: int
    exact: bool


def _search(searcher: Searcher, q: wq.Query, limit: int, typing: bool = False,
            within: Scope | None = None) -> _Found:
    """The best `limit` documents (of `within`, when given): by `fast.search_fast` when it
    handles the query, else Whoosh.

    `typing`: prefixes are completed to their most frequent terms; the count is then a lower
    bound (not exact) when some completions were left out."""
    q = body_first(q)
    whole = True
    if typing:
        q, whole = complete_prefixes(searcher, q)
    else:  # every term of each prefix, ranked and counted in full (completion.expand_in_full)
        q = expand_in_full(searcher, q)
    ranked = search_fast(searcher, q, limit, within)
    if ranked is not None:
        return _Found([(searcher.stored_fields(d), s) for s, d in ranked.docs], ranked.total,
                      whole)
    # Whoosh applies a filter while it collects: the count and the best hits are the scope's.
    results = searcher.search(q, limit=limit, filter=within.query() if within else None)
    total, exact = _count(results)
    return _Found([(hit.fields(), float(hit.score or 0.0)) for hit in results], total,
                  exact and whole)


def _count(results: Any) -> tuple[int, bool]:
    """(number of matches, exact?). When Whoosh skipped blocks to find the top hits, counting
    means running the query again, so large counts become a lower bound: the hits shown."""
    if results.has_exact_length():
        return len(results), True
    if results.estimated_length() <= EXACT_COUNT_UP_TO:
        return len(results), True
    return results.scored_length(), False


def _make_hit(stored: dict[str, Any], score: float, matcher: HitMatcher) -> Hit:
    body = decompress(stored["text"]) if stored.get("text") else ""
    title = stored.get("title", "")
    return Hit(key=stored["key"], kind=stored.get("kind", ""), section=stored.get("section", ""),
               title=title, path=stored.get("path", ""), score=score,
               snippet=make_snippet(body, matcher), title_spans=tuple(matcher.spans(title)))


# -- "Did you mean" -----------------------------------------------------------------------------
def suggest(searcher: Searcher, text: str, typed: list[str],
            stemmings: tuple[Stemming, ...] = (DEFAULT,)) -> str | None:
    """`text` with each word the index does not know replaced by its closest indexed word.

    Known means under any stemming in use, after folding: Persian typed on an Arabic keyboard
    (كتاب for کتاب) is found, not corrected."""
    reader = searcher.reader()
    suggestion, changed = text, False
    for word in typed:
        forms = word_forms(word, stemmings)
        if (not forms or len(word) > MAX_WORD or not word.isalpha()
                or any(_doc_frequency(reader, form) > 0 for form in forms)):
            continue
        better = _closest_word(searcher, word, forms[0], stemmings)
        if better and better.lower() != word.lower():
            suggestion = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", better, suggestion, count=1)
            changed = True
    return suggestion if changed else None


def _doc_frequency(reader: Any, form: str) -> int:
    return int(reader.doc_frequency("body", form) + reader.doc_frequency("title", form))


def _closest_word(searcher: Searcher, word: str, form: str,
                  stemmings: tuple[Stemming, ...] = (DEFAULT,)) -> str | None:
    """The indexed term nearest to `form` (edit distance, then frequency), as a real word."""
    reader = searcher.reader()
    candidates: set[str] = set()
    # Distance 1 first: the automaton for distance 2 costs several times more.
    for maxdist in (1, 2) if len(form) > 4 else (1,):
        for leaf, _offset in reader.leaf_readers():  # per segment: Whoosh's fast automaton
            candidates.update(leaf.terms_within("body", form, maxdist, prefix=1))
        if candidates:
            break
    if not candidates:
        return None
    best = min(candidates, key=lambda c: (distance(form, c), -_doc_frequency(reader, c), c))
    return _surface_word(searcher, best, word, stemmings) or best


def _surface_word(searcher: Searcher, form: str, typed: str,
                  stemmings: tuple[Stemming, ...] = (DEFAULT,)) -> str | None:
    """How the indexed term `form` is actually written: the spelling in a document that contains
    it closest to what was typed (the index keeps stems, "sanction", not "sanctions")."""
    # Several documents: the best-scoring one may hold the word only in its (unstored) title.
    found = _search(searcher, wq.Term("body", form), 10)
    seen: Counter[str] = Counter()
    for stored, _score in found.hits:
        text = (stored.get("title") or "") + "\n"
        text += decompress(stored["text"]) if stored.get("text") else ""
        counts = Counter(m.group() for m in words(text))  # each distinct word looked up once
        seen.update({w: n for w, n in counts.items() if form in terms(w, stemmings)})
    if not seen:
        return None
    typed_folded = fold(typed)
    lower: Counter[str] = Counter()
    for w, n in seen.items():
        lower[w.lower() if w.lower() in seen or not w[:1].isupper() else w] += n
    return min(lower, key=lambda w: (distance(typed_folded, fold(w)), -lower[w]))
