"""Hit matching and snippet cutting on plain strings."""

from __future__ import annotations

from whoosh import query as wq

from reader.search.snippets import HitMatcher, make_snippet, matcher_for


def test_matcher_uses_stems_prefixes_and_skips_excluded_terms():
    q = wq.And([wq.Term("body", "economi"), wq.Prefix("body", "sanc"),
                wq.Not(wq.Term("body", "drone"))])
    matcher = matcher_for(q)
    text = "Economy, economies and sanctions; drones are excluded; Économie too."
    found = [text[s:e] for s, e in matcher.spans(text)]
    assert found == ["Economy", "economies", "sanctions", "Économie"]


def test_snippet_is_around_the_densest_hits_and_marks_them():
    filler = " ".join(f"word{i}" for i in range(200))
    text = f"{filler} the drone technology section {filler}"
    snippet = make_snippet(text, HitMatcher(frozenset({"drone", "technolog"})))
    assert snippet.text.startswith("… ") and snippet.text.endswith(" …")
    assert [snippet.text[s:e] for s, e in snippet.spans] == ["drone", "technology"]
    assert snippet.html().count("<b>") == 2
    assert snippet.marked() .count("[") == 2


def test_snippet_without_body_hits_shows_the_beginning():
    snippet = make_snippet("First words here. " * 40, HitMatcher(frozenset({"absent"})))
    assert snippet.text.startswith("First words here.")
    assert snippet.spans == ()
