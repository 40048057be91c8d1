"""Printing and PDF export from the window: the dialog and the background print jobs."""
