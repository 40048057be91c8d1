"""The library pane: the section tree model, its filter and the content folders (open, import,
reload)."""
