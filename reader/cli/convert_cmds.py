"""`convert SOURCE... -o DIR`: documents (TXT, HTML, DOCX, EPUB, PDF, Markdown folders) become
briefings in a content folder, which `check` accepts and `import-briefing` installs."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from reader.session import Context

log = logging.getLogger(__name__)
FORMAT_CHOICES = ["auto", "txt", "html", "docx", "epub", "pdf", "mdbook", "hugo", "markdown"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("convert", help="turn TXT, HTML, DOCX, EPUB, PDF files or Markdown folders "
                                       "into briefings (one per SOURCE)")
    p.add_argument("sources", nargs="+", type=Path, metavar="SOURCE")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="DIR",
                   help="content folder to write into (created if missing)")
    p.add_argument("--title", help="the briefing's title (one SOURCE only)")
    p.add_argument("--id", help="the briefing's id (one SOURCE only)")
    p.add_argument("--author")
    p.add_argument("--date", metavar="YYYY-MM-DD")
    p.add_argument("--format", choices=FORMAT_CHOICES, default="auto",
                   help="the sources' format (default: detected from each file's content)")
    p.set_defaults(func=cmd_convert)


def cmd_convert(ctx: Context) -> int:
    from reader.convert import ConvertError, Overrides, convert_source
    from reader.updates import PackError, read_pack

    a = ctx.args
    if len(a.sources) > 1 and (a.title or a.id):
        print("error: --title and --id name one briefing; give one SOURCE with them", file=sys.stderr)
        return 2
    overrides = Overrides(title=a.title, id=a.id, author=a.author, date=a.date)
    failed = 0
    for source in a.sources:
        try:
            converted = convert_source(source, a.format, overrides)
        except ConvertError as exc:
            log.warning("convert refused: %s", exc)
            print(f"error: {exc.source}: {exc.reason}; nothing written", file=sys.stderr)
            failed += 1
            continue
        try:
            written = converted.write(a.output)
        except OSError as exc:
            print(f"error: cannot write into {a.output}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"{source} ({converted.format}{', ' + converted.encoding if converted.encoding else ''})"
              f" -> {written}")
        print(f"  title: {converted.title}")
        if converted.author:
            print(f"  author: {converted.author}")
        print(f"  date: {converted.date} (from the {converted.date_origin})")
        print(f"  {len(converted.parts)} section(s):")
        for line in converted.tree_lines()[1:]:
            print(f"  {line}")
        for warning in converted.warnings:
            print(f"  warning: {warning}")
    if failed:
        return 1
    try:  # what `check` and `import-briefing` will say of it, said now
        read_pack(a.output)
    except PackError as exc:
        print(f"warning: {a.output} is not yet importable as it stands:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    return 0
