"""Thin Qt layer over the core: widgets, item models, dialogs, printing and workers."""
