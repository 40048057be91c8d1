"""Qt-free full-text search: Whoosh schema and analyzer, index build/update, queries, snippets.

Typical use (the window and the command line do the same):

    index = SearchIndex.for_paths(ctx.paths)
    report = index.ensure(ctx.library)      # build / update / reuse; report.message says which
    results = index.search("drone technology", limit=10)
"""

from typing import TYPE_CHECKING

from reader.lazy import lazy_exports

if TYPE_CHECKING:  # for type checkers and readers; at run time names load lazily
    from reader.search.build import (
        BuildCancelled,
        ExtraDocument,
        UpdateReport,
        build_full,
        content_fingerprint,
    )
    from reader.search.index import IndexUnavailable, SearchIndex, default_prebuilt
    from reader.search.query import Hit, SearchResults, parse, run_query
    from reader.search.search_process import SearchProcess, SearchProcessGone
    from reader.search.snippets import HitMatcher, Snippet, make_snippet

_EXPORTS = {
    "BuildCancelled": "build",
    "ExtraDocument": "build",
    "UpdateReport": "build",
    "build_full": "build",
    "content_fingerprint": "build",
    "IndexUnavailable": "index",
    "SearchIndex": "index",
    "default_prebuilt": "index",
    "Hit": "query",
    "SearchResults": "query",
    "parse": "query",
    "run_query": "query",
    "SearchProcess": "search_process",
    "SearchProcessGone": "search_process",
    "HitMatcher": "snippets",
    "Snippet": "snippets",
    "make_snippet": "snippets",
}
__getattr__ = lazy_exports("reader.search", _EXPORTS)

__all__ = [
    "BuildCancelled", "ExtraDocument", "Hit", "HitMatcher", "IndexUnavailable", "SearchIndex",
    "SearchProcess", "SearchProcessGone", "SearchResults", "Snippet", "UpdateReport", "build_full",
    "content_fingerprint", "default_prebuilt", "make_snippet", "parse", "run_query",
]
