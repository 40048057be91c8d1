"""Which features the window has.

The first screen's features install before the window is shown; the later ones from the event
loop just after its first paint (`reader.ui.app.application`). Glue between two features is a
feature of its own that only settles (reader/ui/features/notes_in_search.py,
annotations_in_print.py): it finds the two through the host and does nothing when either is
missing.
"""

from __future__ import annotations

from reader.ui.shell.feature_host import Feature


def first_screen_features() -> list[type[Feature]]:
    """Features that shape the first screen: the Search tab beside Contents. Installed before
    the window is shown, so the first paint already has its final layout."""
    # Imported here so that a feature's Qt modules load only with the window.
    from reader.ui.features.search.feature import SearchFeature

    return [SearchFeature]


def later_features() -> list[type[Feature]]:
    """Features that add menu entries, a toolbar beside the navigation one, docks hidden by
    default, highlights and badges: `start_window` has them installed just after the first
    paint (about 40 ms of imports and set-up the reader need not wait for)."""
    from reader.ui.features.annotations.feature import AnnotationsFeature
    from reader.ui.features.annotations_in_print import AnnotationsInPrint
    from reader.ui.features.annotations_in_updates import AnnotationsInUpdates
    from reader.ui.features.notes_in_search import NotesInSearch
    from reader.ui.features.printing.feature import PrintingFeature
    from reader.ui.features.updates.feature import UpdatesFeature

    # A batch installs in this order, then settles in it: glue that links two features settles
    # before a feature whose settle() uses the link (read marks before the first markers).
    return [AnnotationsFeature, AnnotationsInUpdates, UpdatesFeature, PrintingFeature,
            AnnotationsInPrint, NotesInSearch]
