"""`sections` and `check`: the section tree and content validation, without a display."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TypedDict

from reader.content import load_library
from reader.session import Context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sections", help="list every section: id, title, depth")
    p.add_argument("--json", action="store_true", help="print JSON instead of an indented list")
    p.set_defaults(func=cmd_sections)

    p = sub.add_parser("check", help="validate content; exit 1 with file:line messages on problems")
    p.add_argument("content_dir", nargs="?", type=Path, help="folder to check (default: --content)")
    p.set_defaults(func=cmd_check)


class _SectionRow(TypedDict):
    id: str
    key: str
    briefing: str
    title: str
    depth: int


def cmd_sections(ctx: Context) -> int:
    library = ctx.library
    for problem in library.problems:
        print(problem, file=sys.stderr)
    rows: list[_SectionRow] = [
        {
            "id": s.id,
            "key": s.key,
            "briefing": s.briefing.id if s.briefing else "",
            "title": s.title,
            "depth": s.depth,
        }
        for s in library.sections()
    ]
    if ctx.args.json:
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        for row in rows:
            print(f"{'  ' * row['depth']}{row['title']}  [{row['key']}]")
    return 0


def cmd_check(ctx: Context) -> int:
    """Loading problems and content findings (reader.content.check) as file:line lines; exit 1
    on any but warnings."""
    from reader.content.check import check_library

    dirs = [ctx.args.content_dir] if ctx.args.content_dir else ctx.content_dirs
    for d in dirs:
        if not d.is_dir():
            print(f"{d}:1: not a folder", file=sys.stderr)
            return 1
    library = load_library(dirs)
    problems = [*library.problems, *check_library(library)]
    for problem in problems:
        print(problem)
    sections = sum(1 for _ in library.sections())
    errors = [p for p in problems if not p.warning]
    warnings = len(problems) - len(errors)
    if errors:
        print(f"{len(errors)} problem(s){f' and {warnings} warning(s)' if warnings else ''} in "
              f"{', '.join(map(str, dirs))}", file=sys.stderr)
        return 1
    if not library.briefings:
        print(f"{dirs[0]}:1: no briefings found")
        return 1
    print(f"ok: {len(library.briefings)} briefing(s), {sections} section(s)"
          + (f", {warnings} warning(s)" if warnings else ""))
    return 0
