"""Subcommands of `briefing-reader`. Each module registers its own parsers; none imports Qt."""

from reader.cli import annotation_cmds, content_cmds, update_cmds

# Every module here has `register(subparsers)`; order is the order in `--help`.
COMMAND_MODULES = [content_cmds, annotation_cmds, update_cmds]
