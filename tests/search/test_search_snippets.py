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


def test_among_stretches_with_as_many_terms_the_one_with_the_rarest_is_shown():
    """"strategic pa": a section with its one "strategic" far from five words starting "pa"
    showed the "pa" words only, not the word typed in full (seen at 100,000 sections)."""
    filler = " ".join(f"word{i}" for i in range(120))
    text = (f"{filler} a strategic autonomy {filler} patuka pavavu pacave paro pasu {filler}")
    matcher = matcher_for(wq.And([wq.Term("body", "strateg"), wq.Prefix("body", "pa")]))
    snippet = make_snippet(text, matcher)
    assert [snippet.text[s:e] for s, e in snippet.spans] == ["strategic"]


def test_a_stretch_with_more_distinct_terms_still_wins_over_rarer_ones():
    filler = " ".join(f"word{i}" for i in range(120))
    text = f"{filler} a strategic autonomy {filler} drone pavavu {filler} drone drone drone"
    matcher = matcher_for(wq.And([wq.Term("body", "strateg"), wq.Term("body", "drone"),
                                  wq.Prefix("body", "pa")]))
    snippet = make_snippet(text, matcher)
    assert [snippet.text[s:e] for s, e in snippet.spans] == ["drone", "pavavu"]
