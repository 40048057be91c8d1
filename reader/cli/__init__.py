"""Subcommands of `briefing-reader`. Each module registers its own parsers; none imports Qt.

The modules load only when the command line has a command (or asks for help): opening the
window does not need them (reader.app.parse_args)."""

from __future__ import annotations

from types import ModuleType


def command_modules() -> list[ModuleType]:
    """Every module here has `register(subparsers)`; order is the order in `--help`."""
    from reader.cli import annotation_cmds, content_cmds, convert_cmds, print_cmds, search_cmds, update_cmds

    return [content_cmds, search_cmds, annotation_cmds, print_cmds, update_cmds, convert_cmds]
