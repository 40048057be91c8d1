"""Light, dark and sepia themes: the window palette, the article CSS and page colours, tinted
toolbar icons, and the style of every kind of mark painted over text (one table per theme, here).

"system" follows Qt's colour scheme (`QStyleHints.colorScheme()`): dark when the desktop is dark,
light otherwise. Colours are asked for by kind: `theme.style(MarkKind.SEARCH_HIT)` or
`theme.style(ChangeTone.INSERTED)` (kit/marks.py); the article view asks whenever it paints its
marks, other views repaint on `window.themes.changed`.
"""

from __future__ import annotations

import gc
import logging
import weakref
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

import shiboken6
from PySide6.QtCore import QByteArray, QObject, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QWidget

from reader.paths import resource
from reader.ui.kit.marks import (
    ChangeTone,
    Entry,
    MarkKind,
    MarkStyle,
    boxed,
    fill,
    style_of,
    text_colour,
    underline,
)

log = logging.getLogger(__name__)
CHOICES = {"system": "Follow the &System", "light": "&Light", "dark": "&Dark", "sepia": "S&epia"}

# kind -> style. Foregrounds are set with every fill, so text stays legible whatever the page
# colour: dark themes get deep, saturated backgrounds under light text. A note is its highlight's
# fill plus the NOTE underline over the same range, with a marker after it. Search and find hits
# are boxed (their line >= 3:1 on the page): a yellow hit is told from a yellow highlight by shape.
NOTE_MARKER = "#f5b400"
LIGHT_STYLES: dict[MarkKind | ChangeTone, Entry] = {
    MarkKind.SEARCH_HIT: boxed("#ffe680", "#1d2228", "#8a6400"),
    MarkKind.CURRENT_HIT: boxed("#ffb020", "#111418", "#a35200"),
    MarkKind.FIND_MATCH: boxed("#c8f0c0", "#1d2228", "#2e7d32"),
    MarkKind.FIND_CURRENT: boxed("#5fd35f", "#111418", "#1b6e20"),
    MarkKind.HIGHLIGHT_YELLOW: fill("#fff3a0", "#1d2228"),
    MarkKind.HIGHLIGHT_GREEN: fill("#c8e6b0", "#1d2228"),
    MarkKind.HIGHLIGHT_BLUE: fill("#b9dcf7", "#1d2228"),
    MarkKind.HIGHLIGHT_PINK: fill("#f8c4d8", "#1d2228"),
    MarkKind.HIGHLIGHT_PURPLE: fill("#dacdf0", "#1d2228"),
    MarkKind.NOTE: underline("#8a6d00", NOTE_MARKER),
    # The updates feature: list entries by change, the diff's words; each >= 4.5:1 on the theme.
    ChangeTone.NEW: text_colour("#1d7a3a"), ChangeTone.CHANGED: text_colour("#9a5a06"),
    ChangeTone.REMOVED: text_colour("#a1261c"),
    ChangeTone.INSERTED: fill("#d9f2dc", "#14532d"), ChangeTone.DELETED: fill("#fbe0de", "#8c1d18"),
}
DARK_STYLES: dict[MarkKind | ChangeTone, Entry] = {
    MarkKind.SEARCH_HIT: boxed("#6b5a12", "#fff6d5", "#e6c84a"),
    MarkKind.CURRENT_HIT: boxed("#9a6414", "#ffffff", "#ffb347"),
    MarkKind.FIND_MATCH: boxed("#284d2c", "#e6ffe6", "#7bd88f"),
    MarkKind.FIND_CURRENT: boxed("#2f7a37", "#ffffff", "#a6f0a6"),
    MarkKind.HIGHLIGHT_YELLOW: fill("#5f5420", "#fff6d5"),
    MarkKind.HIGHLIGHT_GREEN: fill("#34502c", "#e9f7e1"),
    MarkKind.HIGHLIGHT_BLUE: fill("#24476a", "#e3f1ff"),
    MarkKind.HIGHLIGHT_PINK: fill("#6a2f47", "#ffe6f0"),
    MarkKind.HIGHLIGHT_PURPLE: fill("#4b3b6e", "#f0e9ff"),
    MarkKind.NOTE: underline("#e0b84a", NOTE_MARKER),
    ChangeTone.NEW: text_colour("#72d38f"), ChangeTone.CHANGED: text_colour("#f0b35a"),
    ChangeTone.REMOVED: text_colour("#ff8f86"),
    ChangeTone.INSERTED: fill("#1f4a2a", "#d5f5dc"), ChangeTone.DELETED: fill("#5a2220", "#ffdcd8"),
}
SEPIA_STYLES: dict[MarkKind | ChangeTone, Entry] = {
    MarkKind.SEARCH_HIT: boxed("#f3d36b", "#2e2418", "#7a5200"),
    MarkKind.CURRENT_HIT: boxed("#e59a2b", "#1f170e", "#96460a"),
    MarkKind.FIND_MATCH: boxed("#c9dfae", "#2e2418", "#3f6e22"),
    MarkKind.FIND_CURRENT: boxed("#8cc276", "#1f170e", "#2d5e14"),
    MarkKind.HIGHLIGHT_YELLOW: fill("#f6e38f", "#2e2418"),
    MarkKind.HIGHLIGHT_GREEN: fill("#cfdcae", "#2e2418"),
    MarkKind.HIGHLIGHT_BLUE: fill("#c4d6dc", "#2e2418"),
    MarkKind.HIGHLIGHT_PINK: fill("#eec2bd", "#2e2418"),
    MarkKind.HIGHLIGHT_PURPLE: fill("#d9c8dc", "#2e2418"),
    MarkKind.NOTE: underline("#8a5a00", NOTE_MARKER),
    ChangeTone.NEW: text_colour("#1d6a34"), ChangeTone.CHANGED: text_colour("#85500a"),
    ChangeTone.REMOVED: text_colour("#962218"),
    ChangeTone.INSERTED: fill("#d5e6c0", "#1f4a1f"), ChangeTone.DELETED: fill("#f2d2c8", "#7a1d12"),
}

# The colour-blind-safe highlight colours (View ▸ Colour-Blind-Safe Highlight Colours): Okabe and
# Ito's palette, tinted towards the page (light, sepia) or shaded (dark) so text stays >= 4.5:1 on
# it. Under simulated protanopia, deuteranopia and tritanopia any two stay apart (CIELAB distance
# >= 8; the regular set falls to ~1.4 in dark under deuteranopia): yellow, bluish green, sky blue,
# vermillion (pink) and reddish purple (purple).
SAFE_HIGHLIGHTS: dict[str, dict[MarkKind | ChangeTone, Entry]] = {
    "light": {
        MarkKind.HIGHLIGHT_YELLOW: fill("#f6ef8e", "#1d2228"),
        MarkKind.HIGHLIGHT_GREEN: fill("#66c5ab", "#1d2228"),
        MarkKind.HIGHLIGHT_BLUE: fill("#9ad2f2", "#1d2228"),
        MarkKind.HIGHLIGHT_PINK: fill("#e69e66", "#1d2228"),
        MarkKind.HIGHLIGHT_PURPLE: fill("#e0afca", "#1d2228"),
    },
    "dark": {
        MarkKind.HIGHLIGHT_YELLOW: fill("#6c671e", "#ffffff"),
        MarkKind.HIGHLIGHT_GREEN: fill("#004734", "#ffffff"),
        MarkKind.HIGHLIGHT_BLUE: fill("#275169", "#ffffff"),
        MarkKind.HIGHLIGHT_PINK: fill("#602a00", "#ffffff"),
        MarkKind.HIGHLIGHT_PURPLE: fill("#5c364b", "#ffffff"),
    },
    "sepia": {
        MarkKind.HIGHLIGHT_YELLOW: fill("#f2e77e", "#2e2418"),
        MarkKind.HIGHLIGHT_GREEN: fill("#62bd9b", "#2e2418"),
        MarkKind.HIGHLIGHT_BLUE: fill("#95cae2", "#2e2418"),
        MarkKind.HIGHLIGHT_PINK: fill("#e19756", "#2e2418"),
        MarkKind.HIGHLIGHT_PURPLE: fill("#dca7bb", "#2e2418"),
    },
}


@dataclass(frozen=True)
class Theme:
    name: str
    css_file: str  # under resources/
    page: str  # article page background
    text: str  # article body text
    window: str
    window_text: str
    base: str  # tree and input backgrounds
    alternate: str
    button: str
    selection: str
    selection_text: str
    link: str
    mid: str  # borders and disabled text
    icon: str  # stroke colour of the toolbar icons
    quiet: str  # secondary text (status labels, placeholders): >= 4.5:1 on window, base, button
    styles: dict[MarkKind | ChangeTone, Entry] = field(default_factory=dict, hash=False)

    def style(self, kind: MarkKind | ChangeTone) -> MarkStyle:
        """How a kind of mark (or an updates colour) looks on this theme."""
        return style_of(self.styles[kind])

    def page_palette(self) -> QPalette:
        """Palette of the article widget (its margins are filled with `Base` too, see
        MainWindow). A palette, not a style sheet: a style sheet makes Qt style the widget
        through its CSS engine, slower to start and to paint."""
        p = self.palette()
        role = QPalette.ColorRole
        for r, colour in ((role.Base, self.page), (role.Text, self.text),
                          (role.Highlight, self.selection),
                          (role.HighlightedText, self.selection_text)):
            p.setColor(r, QColor(colour))
        return p

    def palette(self) -> QPalette:
        p = QPalette()
        role = QPalette.ColorRole
        pairs = {
            role.Window: self.window, role.WindowText: self.window_text, role.Base: self.base,
            role.AlternateBase: self.alternate, role.Text: self.window_text,
            role.Button: self.button, role.ButtonText: self.window_text,
            role.Highlight: self.selection, role.HighlightedText: self.selection_text,
            role.Link: self.link, role.ToolTipBase: self.base, role.ToolTipText: self.window_text,
            role.PlaceholderText: self.quiet, role.Mid: self.mid, role.BrightText: "#ff5555",
        }
        for r, colour in pairs.items():
            p.setColor(r, QColor(colour))
        for r in (role.Text, role.WindowText, role.ButtonText):
            p.setColor(QPalette.ColorGroup.Disabled, r, QColor(self.mid))
        return p


THEMES = {
    "light": Theme("light", "article.css", page="#fbfaf7", text="#1d2228", window="#efefef",
                   window_text="#1d2228", base="#ffffff", alternate="#f5f5f3", button="#e8e8e8",
                   selection="#3584e4", selection_text="#ffffff", link="#1a5fb4", mid="#8a9099",
                   icon="#3d4650", quiet="#5c636c", styles=LIGHT_STYLES),
    "dark": Theme("dark", "article-dark.css", page="#1f2124", text="#d9dcdf", window="#2b2d31",
                  window_text="#e3e5e8", base="#25272b", alternate="#2e3035", button="#35383d",
                  selection="#3d6fb4", selection_text="#ffffff", link="#8ab4f8", mid="#80868e",
                  icon="#d0d4d9", quiet="#a4aab2", styles=DARK_STYLES),
    "sepia": Theme("sepia", "article-sepia.css", page="#f4ecd8", text="#3b2f22", window="#e9dfc8",
                   window_text="#3b2f22", base="#f8f1e0", alternate="#efe5cf", button="#e2d6ba",
                   selection="#a0652a", selection_text="#fffaf0", link="#8a4b12", mid="#8f7f66",
                   icon="#5a4630", quiet="#6a5a43", styles=SEPIA_STYLES),
}


@cache  # one variant per theme: identity comparisons (`resolve(...) is current`) keep working
def with_safe_highlights(theme: Theme) -> Theme:
    """`theme` with the colour-blind-safe highlight colours."""
    return replace(theme, styles={**theme.styles, **SAFE_HIGHLIGHTS[theme.name]})


def system_theme_name() -> str:
    """The theme that matches the desktop's colour scheme (light when Qt cannot tell)."""
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def resolve(choice: str, safe_highlights: bool = False) -> Theme:
    """The theme for a settings value; unknown values follow the system."""
    theme = THEMES.get(choice) or THEMES[system_theme_name()]
    return with_safe_highlights(theme) if safe_highlights else theme


@cache
def _svg(name: str) -> str:
    return resource(f"icons/{name}.svg").read_text(encoding="utf-8")


class TintedSvgEngine(QIconEngine):
    """Draws an SVG with `currentColor` replaced by the mode's tint, rendered at the size Qt
    asks for, when it first asks: sharp at any scale, and a toolbar costs one or two renders
    per icon instead of every size in every mode up front (~6 ms of the start)."""

    def __init__(self, svg: str, tints: dict[QIcon.Mode, str]) -> None:
        super().__init__()
        self.svg, self.tints = svg, tints
        self._pixmaps: dict[tuple[int, int, QIcon.Mode], QPixmap] = {}

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        key = (size.width(), size.height(), mode)
        if key not in self._pixmaps:
            tint = self.tints.get(mode, self.tints[QIcon.Mode.Normal])
            renderer = QSvgRenderer(QByteArray(self.svg.replace("currentColor", tint).encode()))
            pixmap = QPixmap(size)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            renderer.render(painter, QRectF(pixmap.rect()))
            painter.end()
            self._pixmaps[key] = pixmap
        return self._pixmaps[key]

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatioF() if painter.device() else 1.0
        size = QSize(round(rect.width() * scale), round(rect.height() * scale))
        painter.drawPixmap(rect, self.pixmap(size, mode, state))

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        side = min(size.width(), size.height())  # the icons are square
        return QSize(side, side)

    def clone(self) -> QIconEngine:
        # Qt owns the copy, but PySide does not hand it ownership of a returned object: without
        # a reference kept here, Python would free it under Qt. (Qt clones only when a shared
        # icon is changed, which the app never does; this keeps such a change safe.)
        copy = TintedSvgEngine(self.svg, self.tints)
        _CLONES.append(copy)
        return copy


_CLONES: list[TintedSvgEngine] = []


@lru_cache(maxsize=256)  # one engine per icon and tint: its renders serve every later ask
def tinted_icon(name: str, colour: str, disabled: str) -> QIcon:
    """An SVG icon from resources/icons in `colour`; the disabled look is drawn in `disabled`
    (Qt's automatic greying is invisible on dark)."""
    return QIcon(TintedSvgEngine(_svg(name), {QIcon.Mode.Normal: colour, QIcon.Mode.Disabled: disabled}))


def use_fusion(app: QApplication) -> None:
    """Fusion honours palettes on every platform; native styles ignore parts of them. A new
    application gets it from `-style fusion` on its command line (application.make_app), which
    spares the start-up the Python side of QStyle (its enums alone take ~5 ms to build)."""
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")


FLAT_TOOLBAR = "QToolBar { border: none; spacing: 2px; }"

# The widgets that carry a style sheet, so a theme switch can re-polish them without walking
# `QApplication.allWidgets()`: converting that list builds a wrapper per widget, and a garbage
# collection run in between may free a Python-owned window (and all its children) whose pointers
# are still in the list -- the next conversion then reads freed memory (a CI segfault in
# test_comfort_themes; tests/ui/test_theme_repolish.py reproduces it).
_STYLED: weakref.WeakSet[QWidget] = weakref.WeakSet()


def flat_toolbar(bar: QWidget) -> None:
    """No panel frame and tight spacing. This one style sheet stays: Fusion draws a toolbar's
    frame with no way to turn it off, and, set on the toolbar alone, it styles nothing else."""
    bar.setStyleSheet(FLAT_TOOLBAR)
    _STYLED.add(bar)


def mute(label: QWidget) -> None:
    """Status bar labels in the theme's quiet colour (the palette's placeholder text, `quiet`)."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)


def repolish_style_sheets() -> None:
    """Re-style the widgets that have a style sheet of their own. Qt's style-sheet style resolves
    a palette for such a widget and its children when it polishes them and sets it on them
    explicitly, so a new application palette stops there: after a live switch the annotation
    toolbar kept the old theme's text on the new theme's window (1.1:1). Setting the sheet again
    makes Qt polish them anew with the current palette."""
    # No collection while we hold wrappers: one could delete a window (and a toolbar in it)
    # between the validity check and the call.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for widget in list(_STYLED):
            if shiboken6.isValid(widget):
                widget.setStyleSheet(widget.styleSheet())
    finally:
        if was_enabled:
            gc.enable()


class ThemeController(QObject):
    """Applies the chosen theme to the application and tells features when it changes."""

    changed = Signal(object)  # the Theme now in use

    def __init__(self, parent: QObject, choice: str = "system") -> None:
        super().__init__(parent)
        self.choice = choice if choice in CHOICES else "system"
        self.safe_highlights = False  # the colour-blind-safe highlight colours
        self.current: Theme = resolve(self.choice)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme)

    def set_choice(self, choice: str) -> None:
        self.choice = choice if choice in CHOICES else "system"
        self.apply()

    def set_safe_highlights(self, on: bool) -> None:
        """Paint highlights in the colour-blind-safe colours (or the regular ones), live."""
        if on != self.safe_highlights:
            self.safe_highlights = on
            self.apply()

    def apply(self) -> None:
        """Set the palette on the whole application; emit `changed`."""
        self.current = resolve(self.choice, self.safe_highlights)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            # Only on a real change: each call re-polishes every widget of the application
            # (including ones of other windows waiting for deletion).
            palette = self.current.palette()
            if app.palette() != palette:
                app.setPalette(palette)
                repolish_style_sheets()
        log.info("theme %s (%s)", self.current.name, self.choice)
        self.changed.emit(self.current)

    def icon(self, name: str) -> QIcon:
        # Halfway between the borders' colour and the window: visibly "off" on every theme.
        a, b = QColor(self.current.mid), QColor(self.current.window)
        disabled = QColor((a.red() + b.red()) // 2, (a.green() + b.green()) // 2,
                          (a.blue() + b.blue()) // 2)
        return tinted_icon(name, self.current.icon, disabled.name())

    def _on_system_scheme(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice == "system" and resolve("system", self.safe_highlights) is not self.current:
            self.apply()
