"""`annotations list|add|export|import`: the annotation store from the command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from reader.annotations.colors import COLORS
from reader.session import Context

if TYPE_CHECKING:
    from reader.annotations import Annotation, AnnotationStore
# The store, anchoring (rapidfuzz) and exchange load inside the commands, so that building the
# parser (which every start of the app does) stays cheap.

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("annotations", help="list, add, export or import annotations")
    acts = p.add_subparsers(dest="annotations_command", metavar="ACTION", required=True)

    q = acts.add_parser("list", help="every annotation with its anchoring status")
    q.add_argument("--json", action="store_true", help="print JSON")
    q.set_defaults(func=cmd_list)

    q = acts.add_parser("add", help="highlight (or annotate) the first occurrence of a quote")
    q.add_argument("--section", required=True, metavar="ID", help="section id or briefing/section")
    q.add_argument("--quote", required=True, metavar="TEXT", help="text of the section to mark")
    q.add_argument("--note", default="", metavar="TEXT", help="note (Markdown) to attach")
    q.add_argument("--color", default=COLORS[0], choices=COLORS)
    q.add_argument("--tag", action="append", default=[], metavar="TAG", help="tag (repeatable)")
    q.set_defaults(func=cmd_add)

    q = acts.add_parser("export", help="write W3C Web Annotation JSON or Markdown")
    q.add_argument("--format", choices=("json", "md"), default="json")
    q.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    q.set_defaults(func=cmd_export)

    q = acts.add_parser("import", help="merge a W3C JSON file: by id, newer 'modified' wins")
    q.add_argument("file", type=Path, metavar="FILE")
    q.set_defaults(func=cmd_import)


def _store(ctx: Context) -> AnnotationStore | None:
    """The store, opened the way the window opens it: a damaged file is moved aside (never
    deleted), a newer version's file is only read; the user is told in one sentence."""
    from reader.annotations.recovery import open_store

    opened = open_store(ctx.paths.data)
    if opened.notice:
        print(opened.notice, file=sys.stderr)
    return opened.store


def _all_annotations(ctx: Context) -> list[Annotation] | None:
    """Every stored annotation (None, after a message, if there is no usable store)."""
    store = _store(ctx)
    if store is None:
        return None
    try:
        return store.all()
    finally:
        store.close()


class _AnnotationRow(TypedDict):
    id: str
    section: str
    kind: str
    color: str
    quote: str
    note: str
    tags: list[str]
    status: str
    score: float
    start: int
    end: int


def cmd_list(ctx: Context) -> int:
    from reader.annotations import service
    annotations = _all_annotations(ctx)
    if annotations is None:
        return 1
    anchors = service.anchors_in_library(ctx.library, annotations)
    rows: list[_AnnotationRow] = []
    for a in annotations:
        at = anchors[a.id]
        rows.append({
            "id": a.id, "section": a.section_key, "kind": a.kind.value, "color": a.color,
            "quote": a.quote, "note": a.note, "tags": list(a.tags), "status": at.status.value,
            "score": round(at.score, 4), "start": at.start, "end": at.end,
        })
    if ctx.args.json:
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    for r in rows:
        status = f"{r['status']} {r['score']:.2f}" if r["status"] == "fuzzy" else r["status"]
        text = r["quote"] or "(whole section)"
        print(f"{r['id'][:8]}  {r['section']}  [{r['kind']}, {status}]  {text[:60]!r}"
              + (f"  — {r['note'][:60]}" if r["note"] else ""))
    return 0


def cmd_add(ctx: Context) -> int:
    from reader.annotations import StoreError, service
    args = ctx.args
    section = ctx.library.find(args.section)
    if section is None:
        print(f"error: no section {args.section!r} (see `briefing-reader sections`)", file=sys.stderr)
        return 1
    annotation = service.create_for_quote(section, args.quote, note=args.note, color=args.color,
                                          tags=args.tag)
    if annotation is None:
        print(f"error: {args.quote!r} does not occur in section {section.key}", file=sys.stderr)
        return 1
    store = _store(ctx)
    if store is None:
        return 1
    try:
        store.add(annotation)
    except StoreError as exc:  # read-only file, full disk: nothing was written
        print(f"error: the annotation was not saved: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(annotation.id)
    return 0


def cmd_export(ctx: Context) -> int:
    from reader.annotations.exchange import describe_section, export_json, export_markdown
    annotations = _all_annotations(ctx)
    if annotations is None:
        return 1
    try:
        if ctx.args.format == "md":
            n = export_markdown(annotations, ctx.args.output, lambda key: describe_section(ctx.library, key))
        else:
            n = export_json(annotations, ctx.args.output)
    except OSError as exc:
        print(f"error: cannot write {ctx.args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"exported {n} annotation(s) to {ctx.args.output}")
    return 0


def cmd_import(ctx: Context) -> int:
    from reader.annotations import StoreError
    from reader.annotations.exchange import ExchangeError, read_json
    try:
        incoming = read_json(ctx.args.file)
    except ExchangeError as exc:
        log.warning("import failed: %s", exc)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    store = _store(ctx)
    if store is None:
        return 1
    try:
        report = store.merge(incoming)
    except StoreError as exc:  # read-only file, full disk: the merge was rolled back
        print(f"error: nothing was imported: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"imported {ctx.args.file}: {report.added} added, {report.updated} updated, "
          f"{report.unchanged} unchanged")
    return 0
