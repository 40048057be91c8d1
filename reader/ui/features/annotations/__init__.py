"""Highlights, notes and bookmarks in the window: the toolbar, the list dock, painting."""
