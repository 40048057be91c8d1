"""`export-pdf`: print sections or a whole briefing to a PDF file, without a display.

Qt is imported inside the command only, so the other commands stay Qt-free.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from reader.content.model import Section
from reader.content.print_job import PAGE_SIZES, PrintAnnotation, PrintOptions, make_job
from reader.session import Context

log = logging.getLogger(__name__)



def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "export-pdf", help="write sections or a whole briefing to a PDF file (no display needed)",
        description="Without --section, the whole (newest) briefing is exported.",
    )
    p.add_argument("--section", metavar="ID", action="append", default=[], dest="sections",
                   help="a section to print (id or briefing/id); repeat for several")
    p.add_argument("--subtree", action="store_true", help="also print each section's sub-sections")
    p.add_argument("--all", action="store_true", help="print the whole briefing of the sections")
    p.add_argument("--with-highlights", action="store_true", help="print highlights in their colours")
    p.add_argument("--with-notes", action="store_true",
                   help="print numbered note markers and each section's notes after it")
    p.add_argument("--page-size", choices=PAGE_SIZES, default="A4", help="paper size (default A4)")
    p.add_argument("--landscape", action="store_true", help="landscape pages")
    p.add_argument("-o", "--output", metavar="FILE.pdf", type=Path, required=True,
                   help="the PDF file to write")
    p.set_defaults(func=cmd_export_pdf)


def chosen_sections(ctx: Context) -> list[Section]:
    """The sections the options ask for; raises ValueError with a message for the user."""
    library = ctx.library
    args = ctx.args
    if not library.briefings:
        raise ValueError("no briefings to print")
    picked: list[Section] = []
    for ref in args.sections:
        section = library.find(ref)
        if section is None:
            raise ValueError(f"no section “{ref}” (see `briefing-reader sections`)")
        picked.append(section)
    if not picked:  # nothing named: the whole newest briefing
        return list(library.briefings[0].sections())
    if args.all:
        return [s for s in picked[0].briefing.sections()] if picked[0].briefing else picked
    if args.subtree:
        return [node for s in picked for node in s.walk()]
    return picked


def gather_annotations(ctx: Context) -> list[PrintAnnotation]:
    """The reader's highlights and notes from the data dir's annotation store."""
    from reader.annotations.printing import print_annotations
    from reader.annotations.store import AnnotationStore, StoreError

    try:
        store = AnnotationStore.in_folder(ctx.paths.data)
    except StoreError as exc:
        print(f"warning: annotations unavailable, printing without them: {exc}", file=sys.stderr)
        return []
    try:
        return print_annotations(store, ctx.library)
    finally:
        store.close()


def cmd_export_pdf(ctx: Context) -> int:
    args = ctx.args
    try:
        sections = chosen_sections(ctx)
        options = PrintOptions(include_highlights=args.with_highlights,
                               include_notes=args.with_notes, page_size=args.page_size,
                               landscape=args.landscape)
        wanted = args.with_highlights or args.with_notes
        job = make_job(sections, options, gather_annotations(ctx) if wanted else ())
    except ValueError as exc:
        print(f"export-pdf: {exc}", file=sys.stderr)
        return 2
    from reader.qtgui.printing import PrintError, export_headless  # Qt only for this command

    try:
        pages = export_headless(args.output, job)
    except PrintError as exc:
        log.exception("export-pdf failed")
        print(f"export-pdf: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}: {pages} page(s), {len(job.sections)} section(s) of “{job.title}”")
    return 0
