"""Command line and wiring: `briefing-reader [global options] [command]`; no command opens the window."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import NoReturn

from reader import __version__, crash_log
from reader.logs import setup_logging, use_rotating_log
from reader.paths import AppPaths
from reader.session import Context

log = logging.getLogger("reader")
__all__ = ["build_parser", "main", "parse_args", "setup_logging", "use_rotating_log"]


class _GlobalOptionsOnly(argparse.ArgumentParser):
    """The global options alone: anything it cannot parse is for the full parser to handle
    (and report), never an error of its own."""

    class Unparsed(Exception):
        pass

    def error(self, message: str) -> NoReturn:
        raise self.Unparsed(message)


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The full command line; without `commands`, only the global options (see `parse_args`)."""
    parser = (argparse.ArgumentParser if commands else _GlobalOptionsOnly)(
        prog="briefing-reader",
        description="Read, search, annotate and print briefings offline.",
        add_help=commands,
        exit_on_error=commands,
    )
    parser.add_argument("--version", action="version", version=f"briefing-reader {__version__}")
    parser.add_argument("--content", metavar="DIR", help="folder of briefings (default: bundled)")
    parser.add_argument("--data-dir", metavar="DIR", type=Path,
                        help="folder for annotations, index cache, settings and logs")
    parser.add_argument("--section", metavar="ID", help="open the window at this section")
    parser.add_argument("--self-test", action="store_true",
                        help="open every section offscreen, exit 0 if all rendered")
    if commands:
        from reader.cli import command_modules

        sub = parser.add_subparsers(dest="command", metavar="COMMAND")
        for module in command_modules():
            module.register(sub)
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line. Opening the window takes global options only, and those are
    parsed without building the commands' parsers or importing their modules (~7 ms of the
    start); anything else (a command, --help, a mistake) goes to the full parser, so usage,
    help and error messages are the full ones."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args, rest = build_parser(commands=False).parse_known_args(argv)
    except (argparse.ArgumentError, _GlobalOptionsOnly.Unparsed):
        rest = argv
    if rest:
        return build_parser().parse_args(argv)
    args.command = None
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    paths = AppPaths.create(args.data_dir)
    setup_logging(paths, rotating=bool(args.command or args.self_test))
    ctx = Context(args=args, paths=paths)
    if args.command:
        return int(args.func(ctx) or 0)
    # The window's crash trace is on before Qt loads; a trace the last run left is reported.
    last_crash = None if args.self_test else crash_log.start(paths.log_dir)
    from reader.ui.app.application import run_gui, run_self_test  # Qt only for the window

    if args.self_test:
        return run_self_test(ctx)
    return run_gui(ctx, last_crash=last_crash)
