"""`search` and `index`: full-text search and index maintenance from the command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reader.session import Context

if TYPE_CHECKING:
    from reader.search import SearchIndex, SearchResults

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("search", help="full-text search: ranked results with snippets")
    p.add_argument("query", help='words, "a phrase", prefix*, -excluded, OR, title:word')
    p.add_argument("--limit", type=int, default=10, metavar="N", help="at most N results (10)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("index", help="build or update the search index; print counts and time")
    p.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    p.add_argument("--output", type=Path, metavar="DIR",
                   help="build a fresh index into DIR (e.g. the prebuilt index for packaging)")
    p.set_defaults(func=cmd_index)


def _open_index(ctx: Context, rebuild: bool = False) -> SearchIndex:
    from reader.search import SearchIndex  # Whoosh loads only for search commands

    for problem in ctx.library.problems:
        print(problem, file=sys.stderr)
    index = SearchIndex.for_paths(ctx.paths)
    report = index.ensure(ctx.library, rebuild=rebuild)
    if report.message:
        print(report.message, file=sys.stderr)
    if report.mode == "incremental":
        print(report.summary(), file=sys.stderr)
    _sync_notes(ctx, index)
    return index


def _sync_notes(ctx: Context, index: SearchIndex) -> None:
    """Your notes and highlights are searched with the briefings."""
    from reader.annotations.searchable import sync_notes
    from reader.annotations.store import AnnotationStore, StoreError

    try:
        store = AnnotationStore.in_folder(ctx.paths.data)
    except StoreError as exc:
        print(f"warning: notes not searched: {exc}", file=sys.stderr)
        return
    try:
        sync_notes(index, store, ctx.library)
    finally:
        store.close()


def cmd_search(ctx: Context) -> int:
    try:
        index = _open_index(ctx)
    except OSError as exc:
        log.exception("cannot open the search index")
        print(f"Cannot build the search index: {exc}", file=sys.stderr)
        return 1
    results = index.search(ctx.args.query, limit=max(1, ctx.args.limit))
    index.close()
    if ctx.args.json:
        json.dump(results.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print_results(results)
    return 0


def print_results(results: SearchResults) -> None:
    if results.notice:
        print(results.notice)
    if results.suggestion:
        print(f"Did you mean: {results.suggestion}")
    if not results.hits:
        print("No results.")
        return
    bold = sys.stdout.isatty()
    shown = len(results.hits)
    more = f", showing {shown}" if shown < results.total or not results.total_exact else ""
    print(results.count_text + more)
    for n, hit in enumerate(results.hits, 1):
        where = f"{hit.path} › " if hit.path else ""
        print(f"{n:>2}. {hit.title}  [{hit.key}]  score {hit.score:.2f}")
        print(f"    {where}{hit.title}")
        snippet = hit.snippet.marked("\033[1m", "\033[0m") if bold else hit.snippet.marked()
        print(f"    {snippet}")


def cmd_index(ctx: Context) -> int:
    try:
        if ctx.args.output:
            return _build_into(ctx, ctx.args.output)
        index = _open_index(ctx, rebuild=ctx.args.rebuild)
    except OSError as exc:
        log.exception("indexing failed")
        print(f"Cannot write the search index: {exc}", file=sys.stderr)
        return 1
    report = index.last_report
    assert report is not None
    print(report.summary())
    print(f"Index folder: {report.location}")
    index.close()
    return 0


def _build_into(ctx: Context, folder: Path) -> int:
    from reader.search import build_full

    if folder.exists() and any(folder.iterdir()):
        print(f"{folder} is not empty; choose a new or empty folder.", file=sys.stderr)
        return 1
    report = build_full(ctx.library, folder)
    print(report.summary())
    print(f"Index folder: {folder}")
    return 0
