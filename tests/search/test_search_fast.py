"""The fast path for AND-of-words and phrase queries, OR of words and excluded words ranks and
scores exactly as Whoosh does."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.content import load_library
from reader.search import SearchIndex
from reader.search.fast import search_fast
from reader.search.query import body_first, parse
from tests.conftest import write_briefing

QUERIES = ["drone technology", "cooperation", '"strategic partnership"', "iran russia",
           '"military cooperation" drone', "economic", "nosuchword", "iran nosuchword",
           # OR of words and excluded words (NOT, -word) take the fast path too
           "iran OR russia", "drone OR technology cooperation", "sanctions OR nosuchword",
           "iran -russia", "sanctions NOT iran", "iran russia -drone", '"strategic partnership" -iran',
           'cooperation -"military cooperation"', "iran -nosuchword", "iran -iran"]


def whoosh_and_fast(index: SearchIndex, text: str, limit: int = 5):
    searcher = index._searcher
    q = body_first(parse(searcher.schema, text).query)
    fast = search_fast(searcher, q, limit)
    assert fast is not None, f"{text!r} should take the fast path"
    results = searcher.search(q, limit=None)
    slow = [(hit.score, hit.docnum) for hit in results]
    return fast, slow


def assert_same(index: SearchIndex, text: str) -> None:
    fast, slow = whoosh_and_fast(index, text)
    assert fast.total == len(slow)
    assert [d for _s, d in fast.docs] == [d for _s, d in slow[:5]]
    assert [s for s, _d in fast.docs] == pytest.approx([s for s, _d in slow[:5]], rel=1e-9)


@pytest.mark.parametrize("text", QUERIES)
def test_fast_path_matches_whoosh_on_the_shipped_briefing(shipped_index, text: str) -> None:
    index, _library = shipped_index
    assert_same(index, text)


def test_fast_path_skips_deleted_documents_after_an_update(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    body = "# Energy\n\n## Oil {#oil}\n\nOil and gas deals.\n\n## Gas {#gas}\n\nGas pipelines and oil.\n"
    write_briefing(folder, "b.md", body, id="b")
    index = SearchIndex(tmp_path / "index")
    index.ensure(load_library([folder]))
    write_briefing(folder, "b.md", body.replace("Gas pipelines and oil.", "Solar panels."), id="b")
    index.ensure(load_library([folder]))  # the old "gas" section is deleted, a new segment added
    assert index._searcher.reader().has_deletions()
    for text in ["oil", "gas", "solar panels", '"oil and gas"', "gas oil"]:
        assert_same(index, text)
    assert [h.key for h in index.search("oil").hits] == ["b/oil"]
    index.close()


def test_other_shapes_go_through_whoosh(shipped_index) -> None:
    index, _library = shipped_index
    searcher = index._searcher
    for text in ['"strategic partnership" OR drone', "(iran russia) OR drone", "sanc*", "title:iran"]:
        q = body_first(parse(searcher.schema, text).query)
        assert search_fast(searcher, q, 5) is None, text


@pytest.mark.parametrize("positions", [[0], [3, 4, 9, 200, 70_000], list(range(0, 5000, 7)), []])
def test_positions_are_decoded_as_whoosh_decodes_them(positions: list[int]) -> None:
    """The phrase check's own decoder reads Whoosh's encoding to the same numbers, with and
    without the pickle's final STOP (Whoosh strips it when it stores a posting's value)."""
    from whoosh.formats import Positions

    from reader.search.fast import _positions, _positions_decoder

    fmt = Positions()
    encoded = fmt.encode(positions)
    for value in (encoded, encoded[:-1]):
        assert list(_positions(value)) == fmt.decode_positions(value) == positions
    assert _positions_decoder(fmt) is _positions


@pytest.mark.parametrize("text", QUERIES + ['"iran russia" cooperation', "drone iran economic"])
def test_postings_read_for_a_few_documents_rank_as_whoosh_does(shipped_index, monkeypatch,
                                                                text: str) -> None:
    """With every word after the rarest read only for the documents still in question (skipping
    blocks), the hits, scores and count are still Whoosh's."""
    from reader.search import fast

    monkeypatch.setattr(fast, "SKIP_READ_RATIO", 0)
    fast._POSTINGS.clear()
    index, _library = shipped_index
    assert_same(index, text)


def test_postings_read_for_a_few_documents_skip_deleted_ones(tmp_path: Path, monkeypatch) -> None:
    from reader.search import fast

    monkeypatch.setattr(fast, "SKIP_READ_RATIO", 0)
    folder = tmp_path / "content"
    body = "# Energy\n\n## Oil {#oil}\n\nOil and gas deals.\n\n## Gas {#gas}\n\nGas pipelines and oil.\n"
    write_briefing(folder, "b.md", body, id="b")
    index = SearchIndex(tmp_path / "index")
    index.ensure(load_library([folder]))
    write_briefing(folder, "b.md", body.replace("Gas pipelines and oil.", "Solar panels."), id="b")
    index.ensure(load_library([folder]))
    for text in ["gas oil", '"oil and gas"', "oil deals gas"]:
        assert_same(index, text)
    assert [h.key for h in index.search("gas oil").hits] == ["b/oil"]
    index.close()


def test_phrases_of_two_to_four_words_match_whoosh_among_many_near_misses(tmp_path: Path) -> None:
    """Sections of a six-word vocabulary (every phrase has hundreds of documents holding its
    words, most not in order; words repeat; one word only, over 1,000 positions, in one section):
    the phrase check that decodes every document's positions at once (`_phrase_docs`) keeps
    exactly the documents Whoosh's phrase matcher finds, and those the check per document keeps."""
    import random

    from reader.search import fast

    rng = random.Random(5)
    vocab = ["amber", "birch", "cedar", "delta", "ember", "fjord"]
    sections = [f"## S{i} {{#s{i}}}\n\n" + " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 40)))
                for i in range(400)]
    sections.append("## Long {#long}\n\n" + " ".join(["amber"] * 1200 + ["birch"]))
    write_briefing(tmp_path / "content", "v.md", "# Vocabulary\n\n" + "\n\n".join(sections), id="v")
    index = SearchIndex(tmp_path / "index")
    index.ensure(load_library([tmp_path / "content"]))
    checked = 0
    for n in (2, 3, 4):
        for _ in range(12):
            text = '"' + " ".join(rng.choice(vocab) for _ in range(n)) + '"'
            assert_same(index, text)
            checked += whoosh_and_fast(index, text)[0].total
    assert_same(index, '"amber amber birch"')  # found only at the end of the long section
    assert_same(index, '"birch amber"')
    assert checked > 1000  # the phrases had documents to check, not only misses
    searcher = index._searcher
    for sub, _offset in searcher.leaf_searchers():
        segment = fast._Segment(searcher, sub)
        read = [fast._read_postings(segment.reader, "body", w, True) for w in ("amber", "birch", "cedar")]
        encoded = [p.values for p in read if p is not None]
        docs = set(encoded[0]) & set(encoded[1]) & set(encoded[2])
        one_by_one = {d for d in docs if fast._in_order(fast._positions, encoded, d)}
        assert fast._phrase_docs(encoded, docs) == one_by_one
    index.close()
