"""Make the README screenshots of briefing updates (run under Xvfb at 1400x900):

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python docs/updates_screenshots.py

Builds a realistic update of the shipped briefing in a temporary pack (same id, later version, one
paragraph edited, one section added, one removed), imports it into a temporary data folder and
captures the screen: the tree with change markers, then the word diff of the edited section.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")  # the test helpers would pick offscreen
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from reader.paths import AppPaths  # noqa: E402
from reader.session import Context  # noqa: E402
from reader.ui.app.application import create_window, make_app  # noqa: E402
from reader.updates import ChangeKind  # noqa: E402
from tests.updates.helpers import EDITED, make_pack  # noqa: E402


def shoot(name: str) -> None:
    QApplication.processEvents()
    subprocess.run(["import", "-window", "root", str(ROOT / "docs" / name)], check=True)


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="updates-shots-"))
    data = tmp / "data"
    args = argparse.Namespace(content=None, data_dir=data, section=None, self_test=False, command=None)
    app = make_app()
    window = create_window(Context(args=args, paths=AppPaths.create(data)))
    window.restore("deepening-ties")
    window.setGeometry(0, 0, 1400, 900)  # no window manager under Xvfb: place it by hand
    window.show()
    from reader.ui.features.annotations.feature import AnnotationsFeature
    from reader.ui.features.updates.feature import UpdatesFeature

    ctl = window.features.require(UpdatesFeature).controller
    annotations = window.features.require(AnnotationsFeature).controller

    def step1() -> None:
        ctl.import_path(make_pack(tmp / "pack"))
        window.tree.expandAll()
        if annotations is not None:
            annotations.dock.hide()
        window.resizeDocks([window.contents_dock], [380], Qt.Orientation.Horizontal)
        window.resizeDocks([ctl.dock], [500], Qt.Orientation.Horizontal)
        QTimer.singleShot(1200, step2)

    def step2() -> None:
        ctl._dwell.setInterval(600_000)  # keep the markers while the pictures are taken
        [removed] = [c for c in ctl.changes if c.kind is ChangeKind.REMOVED]
        ctl.go_to(removed)  # the removed section's row, readable from the older version
        QTimer.singleShot(800, lambda: (shoot("screenshot-updates-tree.png"), step2b()))

    def step2b() -> None:
        [changed] = [c for c in ctl.changes if c.kind is ChangeKind.CHANGED and c.section.id == EDITED]
        ctl.go_to(changed)
        QTimer.singleShot(800, step3)

    def step3() -> None:
        shoot("screenshot-updates-diff.png")
        app.quit()

    QTimer.singleShot(1500, step1)
    app.exec()


if __name__ == "__main__":
    main()
