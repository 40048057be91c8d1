"""Subcommands of `briefing-reader`. Each module registers its own parsers; none imports Qt."""

from reader.cli import annotation_cmds, content_cmds, print_cmds, search_cmds, update_cmds

# Every module here has `register(subparsers)`; order is the order in `--help`.
COMMAND_MODULES = [content_cmds, search_cmds, annotation_cmds, print_cmds, update_cmds]
