"""A real session of the app for tests of how it ends (tests/ui/app/test_ending.py): runs
`reader.app.main` (the command line, crash trace, signal handling and window as a user starts
them) and, once every feature is installed, prints one `report {json}` line saying where the
window is, then performs the actions given after `--` and prints `done`. The test then ends the
process (a signal) or an action does (a crash). Running outside pytest, it opens the window
through `reader.app.main`, not conftest's `open_window`.

    python tests/ui/session_child.py --data-dir D [reader options] -- go:KEY scroll:0.5 note:TEXT
"""

from __future__ import annotations

import faulthandler
import json
import os
import sys
from pathlib import Path

from tests.ui.features_of import annotations_of

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader.ui.app import application  # noqa: E402 - after the path


def report(window) -> dict:  # MainWindow -> what the test checks
    from reader.ui.features.annotations.dock import NoteEditor
    from tests.ui.top_level import visible_top_level

    editors = visible_top_level(NoteEditor)
    at = window.visible_section()
    return {
        "page": window.current.key if window.current else None,
        "visible": at.key if at else None,
        "fraction": window.article.scroll_fraction(),
        "notice": window.crash_notice,
        "editor": ({"note": editors[0].note.toPlainText(), "quote": editors[0].annotation.quote}
                   if editors else None),
    }


def act(window, action: str) -> None:
    from PySide6.QtWidgets import QApplication

    name, _, value = action.partition(":")
    if name == "go":  # a link or Go menu entry: scrolls when the section is on the page
        window.open_reference(value)
    elif name == "scroll":
        window.article.set_scroll_fraction(float(value))
    elif name == "note":  # select a word of the page, Add Note, type
        cursor = window.article.document().find("complex relationship")
        window.article.setTextCursor(cursor)
        annotations_of(window).add_note().note.setPlainText(value)
    elif name == "save-note":
        annotations_of(window).editor.accept()
    elif name == "segv":
        faulthandler._sigsegv()
    elif name == "abort":
        os.abort()
    QApplication.processEvents()


def main() -> int:
    split = sys.argv.index("--") if "--" in sys.argv else len(sys.argv)
    reader_args, actions = sys.argv[1:split], sys.argv[split + 1:]
    real_start = application.start_window

    def start_window(ctx):  # noqa: ANN001, ANN202
        from PySide6.QtCore import QTimer

        window = real_start(ctx)
        poll = QTimer(window, interval=50)

        def when_ready() -> None:
            if window.features_ready:
                poll.stop()
                print("report " + json.dumps(report(window)), flush=True)
                for action in actions:
                    act(window, action)
                print("done " + json.dumps(report(window)), flush=True)

        poll.timeout.connect(when_ready)
        poll.start()
        return window

    application.start_window = start_window
    from reader.app import main as reader_main

    return reader_main(reader_args)


if __name__ == "__main__":
    sys.exit(main())
