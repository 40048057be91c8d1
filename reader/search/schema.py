"""The Whoosh schema of the search index and the analyzer shared by indexing, queries and snippets.

One analyzer does what Whoosh's `RegexTokenizer | LowercaseFilter | CharsetFilter | StopFilter |
StemFilter` chain does, in a single pass with a per-word cache: indexing a large library spends most
of its time in analysis, and the filter chain costs a generator hop per token per filter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import STOP_WORDS, Token, Tokenizer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

# Bump whenever the schema, the analyzer or the document fields change: the index is rebuilt.
SCHEMA_VERSION = 5  # 5: titles as plain text, bodies with their definitions (issue 16)
WORD = re.compile(r"\w+(?:\.?\w+)*")
TITLE_BOOST = 3.0
MIN_WORD = 2  # one-letter words are dropped, as Whoosh's StopFilter does
_STOP = object()
_FORMS: dict[str, Any] = {}  # surface word -> indexed form (or _STOP); shared by all threads
_FOLDED: dict[str, str] = {}
_CACHE_LIMIT = 500_000


def fold(word: str) -> str:
    """Lower-case and strip accents: 'Économie' -> 'economie'."""
    folded = _FOLDED.get(word)
    if folded is None:
        if len(_FOLDED) > _CACHE_LIMIT:
            _FOLDED.clear()
        folded = _FOLDED[word] = word.lower().translate(accent_map)
    return folded


def _form(word: str) -> Any:
    form = _FORMS.get(word)
    if form is None:
        folded = fold(word)
        form = _STOP if len(folded) < MIN_WORD or folded in STOP_WORDS else stem(folded)
        if len(_FORMS) > _CACHE_LIMIT:
            _FORMS.clear()
        _FORMS[word] = form
    return form


def index_form(word: str) -> str | None:
    """The term a word is indexed as (folded, stemmed), or None for a stop word."""
    form = _form(word)
    return None if form is _STOP else form


def words(text: str) -> Iterator[re.Match[str]]:
    """The word matches of a text, as the analyzer sees them."""
    return WORD.finditer(text)


class FoldingStemAnalyzer(Tokenizer):
    """Tokenize, lower-case, fold accents, drop stop words and Porter-stem, in one pass."""

    is_morph = True

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(
        self, value: str, positions: bool = False, chars: bool = False,
        keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
        start_char: int = 0, tokenize: bool = True, mode: str = "", no_morph: bool = False,
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:  # prefixes, wildcards, ranges: one token, folded and stemmed
            t.original = value
            folded = fold(value)
            t.text = folded if no_morph or not folded.isalnum() else stem(folded)
            t.boost, t.stopped = 1.0, False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for pos, match in enumerate(WORD.finditer(value), start_pos):
            word = match.group()
            form = fold(word) if no_morph else _form(word)
            if form is _STOP or (no_morph and (len(form) < MIN_WORD or form in STOP_WORDS)):
                if removestops:
                    continue
                t.stopped, t.text = True, fold(word)
            else:
                t.stopped, t.text = False, form
            t.boost = 1.0
            if keeporiginal:
                t.original = word
            if positions:
                t.pos = pos
            if chars:
                t.startchar, t.endchar = start_char + match.start(), start_char + match.end()
            yield t


class FastPositions(Positions):
    """Whoosh's `Positions` format with `word_values` done in one loop for our analyzer.

    Produces exactly the postings `Positions.word_values` does (same terms in the same order,
    frequencies, weights and encoded positions) without a Token object per word. Only the index
    builder's private copy of the schema uses it (see `build.fast_formats`); the schema saved in
    the index keeps Whoosh's own class.
    """

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        if type(analyzer) is not FoldingStemAnalyzer or not isinstance(value, str) or kwargs.get(
                "no_morph") or kwargs.get("removestops") is False:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        poses: dict[str, list[int]] = {}
        for pos, match in enumerate(WORD.finditer(value)):
            form = _form(match.group())
            if form is _STOP:
                continue  # stop words are dropped but keep their place in the positions
            seen = poses.get(form)
            if seen is None:
                poses[form] = [pos]
            else:
                seen.append(pos)
        fb, encode = self.field_boost, self.encode
        for word, poslist in poses.items():
            yield (word, len(poslist), float(len(poslist)) * fb, encode(poslist))


def make_schema() -> Schema:
    """Sections (kind "section") and extra documents such as notes (kind "note") share one index.

    `key` is unique per document; `section` is the section key a hit opens. The body is indexed
    but stored compressed in `text` (for snippets) to keep the index small.
    """
    analyzer = FoldingStemAnalyzer()
    return Schema(
        key=ID(unique=True, stored=True),
        kind=ID(stored=True),
        briefing=ID(stored=True),
        section=ID(stored=True),
        title=TEXT(analyzer=analyzer, stored=True),  # boosted at query time (TITLE_BOOST)
        path=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer),
        text=STORED(),
        date=ID(stored=True),
    )
