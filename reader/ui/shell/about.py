"""Help ▸ About: the version of the reader, of the content in use, and the licences of the
libraries shipped with it (Qt and PySide6 are LGPL: users may replace them)."""

from __future__ import annotations

import html
import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from reader import APP_NAME, __version__
from reader.content import Library
from reader.content.page import nice_date

LICENCES = [
    ("Qt", "LGPL-3.0", "https://www.qt.io/licensing/open-source-lgpl-obligations"),
    ("PySide6 (Qt for Python)", "LGPL-3.0", "https://doc.qt.io/qtforpython-6/licenses.html"),
    ("Whoosh-Reloaded", "BSD-2-Clause", "https://github.com/Sygil-Dev/whoosh-reloaded"),
    ("Python-Markdown", "BSD-3-Clause", "https://python-markdown.github.io/"),
    ("nh3 (ammonia)", "MIT", "https://github.com/messense/nh3"),
    ("platformdirs", "MIT", "https://github.com/tox-dev/platformdirs"),
]
DISTRIBUTIONS = {"Whoosh-Reloaded": "Whoosh-Reloaded", "Python-Markdown": "Markdown",
                 "nh3 (ammonia)": "nh3", "platformdirs": "platformdirs"}


def _version(name: str) -> str:
    if name == "Qt":
        return qVersion()
    if name.startswith("PySide6"):
        return pyside_version
    try:
        from importlib import metadata  # here: it costs start-up time, and About is rare

        return metadata.version(DISTRIBUTIONS[name])
    except (KeyError, ImportError, LookupError):
        return ""


def content_versions(library: Library) -> list[str]:
    """One line per briefing: title, version and date."""
    lines = []
    for b in library.briefings:
        version = f"version {b.meta.version}, " if b.meta.version else ""
        lines.append(f"{b.title} — {version}{nice_date(b.meta.date)}")
    return lines


def about_html(library: Library) -> str:
    content = "".join(f"<li>{html.escape(line)}</li>" for line in content_versions(library))
    libs = "".join(
        f"<li>{name} {_version(name)} — {licence} (<a href='{url}'>{url}</a>)</li>"
        for name, licence, url in LICENCES
    )
    return (
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>Read, search, annotate and print briefings offline.</p>"
        f"<p><b>Content</b> (library {library.fingerprint[:10]}):</p><ul>{content}</ul>"
        f"<p><b>Built with</b> Python {platform.python_version()} and:</p><ul>{libs}</ul>"
        "<p>Qt and PySide6 are used under the GNU LGPL version 3; you may replace them with "
        "your own builds of the same versions.</p>"
    )


def show_about(parent: QWidget, library: Library) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("AboutBox")
    box.setWindowTitle(f"About {APP_NAME}")
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setText(about_html(library))
    box.open()  # not exec(): never block, so tests and screen readers are not stuck
    return box
