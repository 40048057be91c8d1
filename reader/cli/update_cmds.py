"""`import-briefing PATH` and `changes [--json]`: briefing updates from the command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from reader.session import Context

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import-briefing",
                       help="add a pack (folder, .zip or .md) or a document (TXT, HTML, DOCX, EPUB, "
                            "PDF, Markdown folder; converted first) to your library")
    p.add_argument("path", type=Path, metavar="PATH")
    p.add_argument("--format", default="auto",
                   choices=["auto", "txt", "html", "docx", "epub", "pdf", "mdbook", "hugo", "markdown"],
                   help="a document's format (default: detected from its content)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("changes", help="sections new, changed or removed since you last read them")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_changes)


def cmd_import(ctx: Context) -> int:
    # The update machinery (zip reading, diffs) loads here, not with the parser at every start.
    from reader.convert import ConvertError
    from reader.convert.importing import import_document
    from reader.updates import PackError, PackInstallError

    try:
        result = import_document(ctx.args.path, ctx.paths.data, ctx.library, fmt=ctx.args.format)
    except ConvertError as exc:
        log.warning("import refused: %s", exc)
        print(f"error: {exc.source} was not converted: {exc.reason}; your library is unchanged",
              file=sys.stderr)
        return 1
    except PackError as exc:
        log.warning("import refused: %s", exc)
        print(f"error: {exc.source} was refused; your library is unchanged:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except PackInstallError as exc:
        print(f"error: {exc}; your library is unchanged", file=sys.stderr)
        return 1
    print(f"imported {ctx.args.path}: {result.summary()}")
    return 0


def read_marks(ctx: Context) -> dict[str, str]:
    """Section key -> fingerprint of the text last read (empty if the store is unusable)."""
    from reader.annotations import AnnotationStore, StoreError

    try:
        store = AnnotationStore.in_folder(ctx.paths.data)
    except StoreError as exc:
        print(f"warning: read marks unavailable: {exc}", file=sys.stderr)
        return {}
    try:
        return {k: m.fingerprint for k, m in store.read_marks().items()}
    finally:
        store.close()


def cmd_changes(ctx: Context) -> int:
    from reader.updates import SeenVersions, compute_changes

    seen = SeenVersions.in_folder(ctx.paths.data).as_dict()
    changes = compute_changes(ctx.library, read_marks(ctx), seen)
    if ctx.args.json:
        json.dump([c.as_dict() for c in changes], sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    if not changes:
        print("nothing new, changed or removed since you last read")
    for c in changes:
        d = c.as_dict()
        words = (f"  (+{d['inserted_words']} −{d['deleted_words']} words)"
                 if d["inserted_words"] is not None else "")
        print(f"{c.kind.value:8} {c.key}  {c.title}{words}")
    return 0
