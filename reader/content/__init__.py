"""Qt-free content core: briefings parsed from Markdown into section trees."""

from reader.content.library import Library, load_library
from reader.content.model import Briefing, Metadata, Section
from reader.content.parser import ContentError, Problem, parse_briefing, slugify
from reader.content.render import (
    html_to_text,
    markdown_to_html,
    render_section_html,
    sanitize,
    section_plain_text,
)

__all__ = [
    "Briefing", "ContentError", "Library", "Metadata", "Problem", "Section", "html_to_text",
    "load_library", "markdown_to_html", "parse_briefing", "render_section_html", "sanitize",
    "section_plain_text", "slugify",
]
