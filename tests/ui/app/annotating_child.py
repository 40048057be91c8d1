"""Child process for tests/ui/app/test_annotating_crashes.py: live theme switches, the
colour-blind-safe palette toggled and zoom with highlights painted, caret browsing on and a
highlight's popup open; then the window closes with a popup open. Prints "ok" last."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))


def switches_with_popup(data_dir: Path) -> None:
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    from reader.ui.features.annotations.paint import LAYER
    from tests.ui.features_of import annotations_of
    from tests.ui.window_child import _window

    window = _window(data_dir, "iran-russia")
    ctl = annotations_of(window)
    actions = window.actions_by_name
    actions["caret_browsing"].trigger()
    for quote, colour in (("complex relationship", "pink"), ("global politics", "blue")):
        window.article.setTextCursor(QTextCursor(window.article.document().find(quote)))
        ctl.highlight(colour)
    steps = [
        "theme_dark",
        "safe_highlights",
        "theme_sepia",
        "zoom_in",
        "safe_highlights",
        "theme_light",
        "safe_highlights",
        "theme_dark",
        "zoom_out",
        "theme_sepia",
    ]
    for n, step in enumerate(steps):
        hit = ctl.painted[n % len(ctl.painted)]
        popup = ctl.open_popup(hit)  # open across the switch: its swatches, the page re-rendered
        QApplication.processEvents()
        actions[step].trigger()
        QApplication.processEvents()
        assert len(window.article.marks(LAYER)) == 2, step
        if step.startswith("zoom"):  # the page rebuilt under the popup: a choice made now
            assert ctl.popup is popup, step
            popup.swatches["green"].click()
        else:  # a theme or palette switch closes it (its swatches were the old colours)
            assert ctl.popup is None, step
        QApplication.processEvents()
        print(f"{step}: {window.themes.current.name} safe={window.themes.safe_highlights}", flush=True)
    ctl.open_popup(ctl.painted[0])
    QApplication.processEvents()
    window.close()  # with the popup open
    QApplication.processEvents()
    print("ok")


if __name__ == "__main__":
    globals()[sys.argv[1]](Path(sys.argv[2]))
