"""Start the window (`run_gui`) or the offscreen smoke test (`run_self_test`)."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from reader import APP_ID, APP_NAME, __version__, timing
from reader.content.long_lived import library_replaced
from reader.content.render import use_render_cache
from reader.content.render_cache import FILE_NAME as RENDER_CACHE_FILE
from reader.content.render_cache import RenderCache
from reader.paths import AppPaths, resource
from reader.qtgui.fonts import (
    ARABIC_SCRIPT,
    FALLBACK_FILES,
    install_script_fallback,
    missing_glyphs,
    needs_script_fallback,
    script_fallback_family,
)
from reader.session import Context
from reader.ui.app import feature_list as features
from reader.ui.kit.pyside_import_check import quicken as quicken_import_check
from reader.ui.kit.settings import Settings
from reader.ui.kit.themes import use_fusion
from reader.ui.library.library_folders import use_remembered_folder
from reader.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)

# Checks run by --self-test after every section has rendered: the window's own, then each
# feature's (Feature.self_test). Each returns a one-line report, raising on failure.
SelfTestCheck = Callable[[MainWindow], str]

# Orders that differ from code-point order; Swedish sorts "ö" after "z", unlike English.
COLLATION_CASES = {"en": ["a", "B", "ö", "z"], "sv": ["a", "z", "ö"], "ru": ["е", "ё", "ж", "Я"]}


def locale_services_check(window: MainWindow) -> str:
    """Qt's locale-aware sorting (file dialogs) and case mapping work: the frozen app ships a
    trimmed ICU data library (freeze/icu_data.py), and this is what Qt reads from it."""
    from functools import cmp_to_key

    from PySide6.QtCore import QCollator, QLocale

    for name, expected in COLLATION_CASES.items():
        got = sorted(reversed(expected), key=cmp_to_key(QCollator(QLocale(name)).compare))
        if got != expected:
            raise AssertionError(f"{name} collation sorts {got}, expected {expected}")
    if QLocale("tr").toUpper("i") != "\u0130":
        raise AssertionError("Turkish upper case of i is not dotted capital I")
    return f"locale-aware sorting ({', '.join(COLLATION_CASES)}) and case mapping work"


def script_fallback_check(window: MainWindow) -> str:
    """The shipped Arabic-script font is registered and fills italic Persian, which the
    machine's own fonts may draw as empty boxes (reader/qtgui/fonts.py)."""
    install_script_fallback()
    family = script_fallback_family()
    if family is None:
        raise AssertionError(f"the fallback font did not load ({', '.join(FALLBACK_FILES)})")
    font = window.article.document().defaultFont()
    font.setItalic(True)
    boxes = missing_glyphs("متن فارسی می‌توانیم", font)
    if boxes:
        raise AssertionError(f"{boxes} Persian glyph(s) in italic {font.family()} would be boxes")
    return f"italic Persian in {font.family()} has every glyph ({family} as the fallback)"


def section_walk_check(window: MainWindow) -> str:
    from reader.ui.app.section_walk import self_test_check

    return self_test_check(window)


WINDOW_CHECKS: list[SelfTestCheck] = [locale_services_check, script_fallback_check,
                                      section_walk_check]


def peak_rss_kb() -> int:
    """The process's peak resident set in KiB (0 where `resource` is missing: Windows)."""
    try:
        import resource
    except ImportError:  # pragma: no cover
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def self_test_checks(window: MainWindow) -> list[tuple[str, Callable[[], str | None]]]:
    """(name, check) of the window's own checks, then of every installed feature, in order."""
    checks: list[tuple[str, Callable[[], str | None]]] = [
        (check.__name__, partial(check, window)) for check in WINDOW_CHECKS]
    checks += [(type(f).__name__, f.self_test) for f in window.features.installed()]
    return checks


# How long a thread running Python keeps the GIL before another may take it (CPython's default:
# 5 ms). Searches, the index build and the filter's workers run Python in threads; every Python
# call the GUI thread makes (a slot, a model's data(), a delegate's sizeHint) first waits for the
# GIL, up to this long each: fifty such calls after one keystroke's answer stalled the window
# ~250 ms at 100,000 sections. 0.3 ms makes each wait shorter; the workers lose a few % to
# switching. Typing phrases into the search box at 100,000 sections, the longest stall per phrase
# (an A/B on one index, 2-3 runs each): 1 ms 47-113 ms, 0.3 ms 26-57 ms, 0.1 ms 31-49 ms.
SWITCH_INTERVAL_S = 0.0003


def make_app(argv: list[str] | None = None) -> QApplication:
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    quicken_import_check()  # before the search code loads on the build's thread
    app = QApplication.instance()
    if app is None:
        app = QApplication([*(argv or [sys.argv[0]]), "-style", "fusion"])  # see themes.use_fusion
    else:
        assert isinstance(app, QApplication)
        use_fusion(app)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(resource("icons/briefing-reader.svg"))))
    return app


timing.mark("window code loaded")


def create_window(ctx: Context, *, defer_features: bool = False) -> MainWindow:
    """The main window with every feature installed; with `defer_features`, only those of the
    first screen, the rest being left to `install_later_features`."""
    # Pages seen in an earlier run (the first one above all) are shown without Markdown.
    use_render_cache(RenderCache(ctx.paths.cache / RENDER_CACHE_FILE))
    settings = Settings(ctx.paths.settings_file)
    use_remembered_folder(ctx, settings)  # File ▸ Open Content Folder outlives the session
    window = MainWindow(ctx, settings)
    timing.mark("main window built")
    # Once every feature has let go of the old library (the next turn of the event loop), one
    # collector pass frees it and the new one is kept out of later passes (long_lived.py).
    window.library_changed.connect(
        lambda library: QTimer.singleShot(0, lambda: library_replaced(library)))
    if not defer_features or _library_needs_script_fallback(window):
        install_script_fallback()  # else just after the first paint (_finish_start)
    window.features.install(features.first_screen_features())
    if not defer_features:
        window.features.install(features.later_features())
    return window


def _library_needs_script_fallback(window: MainWindow) -> bool:
    """Whether the first screen may show Arabic script: some title, or a briefing's language."""
    library = window.library
    return needs_script_fallback((s.title for s in library.sections()),
                                 (b.meta.language for b in library.briefings))


def install_later_features(window: MainWindow) -> None:
    """Install the features `create_window(defer_features=True)` left out, into the shown
    window: their docks and toolbars go where the last session left them."""
    window.features.install(features.later_features())
    window.features_added()
    window.features_ready = True
    timing.mark("features ready")


def start_window(ctx: Context) -> MainWindow:
    """Build, restore and show the window; what `run_gui` does before the event loop.

    The first screen comes first: the section is painted before the features that do not
    shape it are even imported, then those install from the event loop, a few tens of
    milliseconds later (progressive start-up, as browsers and editors do)."""
    window = create_window(ctx, defer_features=True)
    window.restore(ctx.args.section)
    timing.mark("section shown")
    window.article.viewport().installEventFilter(
        AfterFirstPaint(window, lambda: _finish_start(window)))
    if os.environ.get(timing.ENV):
        window.article.viewport().installEventFilter(FirstPaintProbe(window))
    window.show()
    window.raise_()
    window.activateWindow()  # window shortcuts need an active window, even without a WM
    window.tree.setFocus()
    return window


def _finish_start(window: MainWindow) -> None:
    from reader.logs import use_rotating_log

    use_rotating_log(window.ctx.paths)
    if install_script_fallback() and ARABIC_SCRIPT.search(window.article.toPlainText()):
        window.apply_article_style()  # laid out before the fallback: boxes where italic
    install_later_features(window)
    mode = os.environ.get(timing.ENV)
    if mode:
        rss_kb = peak_rss_kb()
        print(f"ready {time.time():.6f} rss-kb {rss_kb}", flush=True)
        if mode == "exit":
            QTimer.singleShot(0, QApplication.quit)


def run_gui(ctx: Context, last_crash: Path | None = None) -> int:
    """The window until it closes; `last_crash` is the trace the last session left, if any.
    Ended by a signal, it closes as if the user had and exits with 128 + the signal's number."""
    app = make_app()
    timing.mark("QApplication")
    window = start_window(ctx)
    # Signals and the crash notice are set up just after the first paint, with the features:
    # nothing is there to save before it, and the module's imports stay off the first screen.
    window.article.viewport().installEventFilter(
        AfterFirstPaint(window, lambda: _handle_endings(app, window, last_crash)))
    code = app.exec()
    from reader.ui.app import shutdown

    shutdown.before_exit(window)
    return code


def _handle_endings(app: QApplication, window: MainWindow, last_crash: Path | None) -> None:
    from reader.ui.app import shutdown

    shutdown.install(app, window)
    if last_crash is not None:
        shutdown.show_crash_notice(window, last_crash)


class AfterFirstPaint(QObject):
    """Calls `then` from the event loop once the watched widget has painted the first time."""

    def __init__(self, parent: QObject, then: Callable[[], None]) -> None:
        super().__init__(parent)
        self.then = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.then)  # after this paint has reached the screen
        return False


class FirstPaintProbe(QObject):
    """For bench/startup_bench.py: report wall-clock time and peak RSS when the article first
    paints, after the start-up steps; the benchmark subtracts the time it started the process.
    `_finish_start` reports "ready" (every feature installed) and quits in "exit" mode."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            rss_kb = peak_rss_kb()
            for step, at in timing.marks():
                print(f"step {at:.6f} {step}")
            print(f"first-paint {time.time():.6f} rss-kb {rss_kb}", flush=True)
        return False


def run_self_test(ctx: Context) -> int:
    """Open every section in a real (offscreen) window; exit 0 only if all rendered."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="briefing-reader-selftest-") as tmp:
        if ctx.args.data_dir is None:  # never touch the user's real data in a self-test
            ctx = replace(ctx, paths=AppPaths.create(Path(tmp)))
        make_app()
        window = create_window(ctx)
        window.resize(1200, 800)
        window.show()
        try:
            failures = _render_all(window)
            for name, check in self_test_checks(window):
                try:
                    report = check()
                except Exception as exc:  # report every failing check, not just the first
                    log.exception("self-test check failed")
                    failures.append(f"{name}: {exc}")
                    traceback.print_exc()
                else:
                    if report:
                        print(f"self-test: {report}")
        finally:
            window.close()
    if failures:
        for f in failures:
            print(f"self-test FAILED: {f}", file=sys.stderr)
        return 1
    print("self-test: ok")
    return 0


def _render_all(window: MainWindow) -> list[str]:
    failures: list[str] = []
    sections = list(window.library.sections())
    if not sections:
        return ["no sections to render"]
    for section in sections:
        window.show_section(section)
        QApplication.processEvents()
        text = window.article.toPlainText()
        if section.title not in text:
            failures.append(f"{section.key}: heading not rendered")
        elif section.markdown.strip() and len(text) <= len(section.title) + 1:
            failures.append(f"{section.key}: body not rendered")
    print(f"self-test: rendered {len(sections)} section(s) in "
          f"{len(window.library.briefings)} briefing(s)")
    return failures
